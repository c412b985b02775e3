"""The local stack's saved state: what moto holds that plain pickle refuses, and which files
are refused (with the way out) instead of being misread."""

from __future__ import annotations

import json
import pickle
import threading
import time
from pathlib import Path
from typing import Any

import moto
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, LimitedSizeDict
from moto.utilities.utils import load_resource

from infra.local import persistence
from infra.local.persistence import Gate, IncompatibleState, StateSaver, dumps, gated


class Queue:
    """Shaped like moto's SQS queue: data beside a lock."""

    def __init__(self) -> None:
        self.messages = ["m1", "m2"]
        self.lock = threading.RLock()
        self.plain = threading.Lock()


def test_locks_come_back_as_fresh_usable_locks_even_if_held_while_saving() -> None:
    queue = Queue()
    with pytest.raises(TypeError):
        pickle.dumps(queue)  # why the pickler exists
    with queue.lock, queue.plain:
        restored = pickle.loads(dumps(queue))  # noqa: S301 - bytes made just above

    assert restored.messages == ["m1", "m2"]
    assert isinstance(restored.lock, type(threading.RLock()))
    assert isinstance(restored.plain, type(threading.Lock()))
    assert restored.plain.acquire(blocking=False), "a lock held at save time is free again"
    with restored.lock, restored.lock:  # still re-entrant
        pass


def test_the_cognito_signing_key_survives_so_tokens_signed_before_still_verify() -> None:
    key = RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))
    with pytest.raises(TypeError):
        pickle.dumps(key)
    token = jwt.encode({"alg": "RS256", "kid": key.kid}, {"sub": "before"}, key)

    restored = pickle.loads(dumps({"pool": {"json_web_key": key}}))  # noqa: S301
    restored_key = restored["pool"]["json_web_key"]

    assert restored_key.thumbprint() == key.thumbprint()
    assert jwt.decode(token, restored_key).claims["sub"] == "before"
    signed_after = jwt.encode({"alg": "RS256"}, {"sub": "after"}, restored_key)
    assert jwt.decode(signed_after, key).claims["sub"] == "after"


def test_other_objects_are_pickled_as_usual() -> None:
    value = {"items": [1, 2.5, "three", None], "nested": {"set": {1, 2}}}
    assert pickle.loads(dumps(value)) == value  # noqa: S301


def test_item_attributes_load_without_a_size_check_per_attribute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """moto checks an item's whole size on every ``__setitem__``: per attribute on load, that
    is quadratic (a 50,000-item table took 7 s to load instead of 1.5 s)."""
    item = LimitedSizeDict({f"a{i}": DynamoType({"S": "x" * 10}) for i in range(20)})
    saved = dumps({"items": [item]})
    checks = []
    original = LimitedSizeDict.__setitem__

    def counting(self: LimitedSizeDict, key: str, value: object) -> None:
        checks.append(key)
        original(self, key, value)

    monkeypatch.setattr(LimitedSizeDict, "__setitem__", counting)
    restored = pickle.loads(saved)["items"][0]  # noqa: S301

    assert checks == []
    assert type(restored) is LimitedSizeDict
    assert restored == item
    with pytest.raises(ItemSizeTooLarge):  # and moto's limit still holds afterwards
        restored["big"] = DynamoType({"S": "x" * 410_000})


def state_file(tmp_path: Path, header: dict[str, object]) -> Path:
    path = tmp_path / persistence.STATE_FILE
    body = dumps({"backends": {}, "s3_bucket_accounts": {}})
    path.write_bytes(persistence.MAGIC + json.dumps(header).encode() + b"\n" + body)
    return path


@pytest.mark.parametrize(
    ("header", "why"),
    [
        ({"format": persistence.FORMAT_VERSION + 1, "moto": moto.__version__}, "format"),
        ({"format": persistence.FORMAT_VERSION - 1, "moto": moto.__version__}, "format"),
        ({"format": persistence.FORMAT_VERSION, "moto": "4.0.0"}, "moto 4.0.0"),
    ],
)
def test_a_file_of_another_format_or_moto_version_is_refused_with_the_way_out(
    tmp_path: Path, header: dict[str, object], why: str
) -> None:
    path = state_file(tmp_path, header)
    with pytest.raises(IncompatibleState) as refused:
        persistence.load_state(path)
    assert why in str(refused.value)
    assert "make run FRESH=1" in str(refused.value)


def test_a_file_that_is_not_a_saved_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / persistence.STATE_FILE
    path.write_bytes(b"\x80\x05something else entirely")
    with pytest.raises(IncompatibleState, match="FRESH=1"):
        persistence.load_state(path)


def test_a_truncated_file_is_refused(tmp_path: Path) -> None:
    header = {"format": persistence.FORMAT_VERSION, "moto": moto.__version__}
    path = state_file(tmp_path, header)
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(IncompatibleState, match="cannot be read"):
        persistence.load_state(path)


def test_a_readable_file_gives_back_what_the_caller_saved_beside_moto(tmp_path: Path) -> None:
    meta = {"demo_users": [{"email": "a@example.org"}]}
    header = {"format": persistence.FORMAT_VERSION, "moto": moto.__version__, "meta": meta}
    loaded = persistence.load_state(state_file(tmp_path, header))
    assert loaded.meta == meta


# ==================================================================== saving while running
def run_request(gate: Gate, target: str = "", method: str = "POST") -> list[bytes]:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        return [b"moto ", b"says hi"]

    environ = {"REQUEST_METHOD": method} | ({"HTTP_X_AMZ_TARGET": target} if target else {})
    return list(gated(app, gate)(environ, lambda *args: None))


def test_requests_that_change_something_call_for_a_save_reads_and_polls_do_not() -> None:
    gate = Gate()
    assert run_request(gate, "DynamoDB_20120810.GetItem") == [b"moto ", b"says hi"]
    run_request(gate, "DynamoDBStreams_20120810.GetRecords")
    run_request(gate, "AmazonSQS.ReceiveMessage")
    run_request(gate, "DynamoDB_20120810.Query")
    run_request(gate, method="GET")  # an S3 download
    assert gate.writes == 0
    run_request(gate, "DynamoDB_20120810.TransactWriteItems")
    run_request(gate, "AWSCognitoIdentityProviderService.InitiateAuth")  # a login
    run_request(gate, method="PUT")  # an S3 upload
    assert gate.writes == 3


def test_a_save_waits_for_requests_in_flight_and_holds_new_ones_back() -> None:
    gate = Gate()
    in_request, finish_request = threading.Event(), threading.Event()
    order: list[str] = []

    def slow_request() -> None:
        with gate.request(writes=True):
            in_request.set()
            finish_request.wait(5)
            order.append("request done")

    def save() -> None:
        with gate.alone():
            order.append("save")
            time.sleep(0.2)
            order.append("save done")

    def late_request() -> None:
        with gate.request(writes=False):
            order.append("late request")

    threads = [threading.Thread(target=slow_request)]
    threads[0].start()
    assert in_request.wait(5)
    threads.append(threading.Thread(target=save))
    threads[1].start()
    time.sleep(0.1)
    assert order == []  # the save waits for the request in flight
    finish_request.set()
    while "save" not in order:
        time.sleep(0.01)
    threads.append(threading.Thread(target=late_request))
    threads[2].start()
    for thread in threads:
        thread.join(5)
    assert order == ["request done", "save", "save done", "late request"]


def test_the_saver_saves_only_after_a_change_and_less_often_when_saving_is_slow() -> None:
    gate = Gate()
    saves: list[float] = []

    def save() -> float:
        saves.append(time.monotonic())
        return 3.0  # a big state

    saver = StateSaver(gate, save, interval=30)
    saver.poll_once()
    assert saves == []
    run_request(gate, "DynamoDB_20120810.PutItem")
    saver.poll_once()
    saver.poll_once()
    assert len(saves) == 1
    assert saver.interval == 60  # at most a twentieth of the time spent saving
