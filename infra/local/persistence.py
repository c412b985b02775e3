"""Save moto's state when the stack stops and load it when it starts again (``.local/``).

moto keeps every table, bucket, queue, bus and user pool as plain Python objects in this
process (the moto server runs in a thread of the stack), so a snapshot is a pickle of the
backends of the services the stack uses. Two kinds of objects do not pickle as they are:

- locks (SQS queues hold a ``threading.RLock``): a restored object gets a fresh lock;
- the Cognito signing key (a ``joserfc`` ``RSAKey`` around a ``cryptography`` key object):
  it is written as its JWK and imported again, so tokens signed before a restart still
  verify after it;
- KMS asymmetric keys (``cryptography`` RSA and EC private keys): written as PKCS#8 DER and
  loaded again, so what was signed before a restart (a badge link) still verifies after it.

One pickles, but too slowly to load: a DynamoDB item's attributes are a ``LimitedSizeDict``
(moto/dynamodb/models/dynamo_type.py), whose ``__setitem__`` sums the size of every
attribute already there, and unpickling a dict subclass goes through ``__setitem__`` once
per key. It is rebuilt from a plain dict instead (its constructor's ``update`` does not
check), which loads a 50,000-item table several times faster.

The file starts with one line of JSON (format version, moto version, and whatever the
caller keeps beside moto: the resources provisioned, the demo logins), then the pickle. A
file of another format or moto version is refused with :class:`IncompatibleState`, whose
message says to start clean (``make run FRESH=1``). Writes go to a temporary file that is
renamed over the old one, so a crash while saving leaves the previous state intact.

While the stack runs, :class:`StateSaver` saves when something changed, with moto's
requests held back by a :class:`Gate` so that the snapshot is never half a request.

The file is loaded with ``pickle``: it is trusted like any file the developer's own stack
wrote under ``.local/`` (never load one from somewhere else).
"""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import moto
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.jwk import RSAKey
from moto.backends import get_backend
from moto.dynamodb.models.dynamo_type import LimitedSizeDict

from infra.local.workers import Worker

log = logging.getLogger("infra.local")

#: Bump when what is saved changes shape; older files are then refused, not misread.
FORMAT_VERSION = 1
MAGIC = b"NQMS local stack state\n"
STATE_FILE = "moto-state.pickle"
#: The services whose resources the stack provisions or its functions use. Not
#: ``dynamodbstreams``: its backend only holds shard iterators, which are per run.
SERVICES = (
    "dynamodb",
    "s3",
    "sqs",
    "events",
    "cognito-idp",
    "kms",
    "ses",
    "sesv2",
    "secretsmanager",
)
FRESH_HINT = "start clean with `make run FRESH=1` (python -m infra.local run --fresh)"

_LOCK = type(threading.Lock())
_RLOCK = type(threading.RLock())


class IncompatibleState(RuntimeError):
    """The saved state cannot be loaded by this version of the stack or of moto."""


@dataclass(frozen=True)
class SaveStats:
    path: Path
    size_bytes: int
    seconds: float


def _new_lock() -> Any:
    return threading.Lock()


def _new_rlock() -> Any:
    return threading.RLock()


def _rsa_key(jwk: dict[str, Any]) -> RSAKey:
    return RSAKey.import_key(jwk)


def _private_key(der: bytes) -> Any:
    return serialization.load_der_private_key(der, password=None)


class StatePickler(pickle.Pickler):
    """A pickler for moto's objects: locks become fresh locks, keys their serialised form."""

    def reducer_override(self, obj: Any) -> Any:
        # A lock's state (held or not) means nothing in another process.
        if isinstance(obj, _LOCK):
            return _new_lock, ()
        if isinstance(obj, _RLOCK):
            return _new_rlock, ()
        if isinstance(obj, RSAKey):
            return _rsa_key, (obj.as_dict(private=obj.is_private),)
        if isinstance(obj, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            der = obj.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            return _private_key, (der,)
        if type(obj) is LimitedSizeDict:
            return LimitedSizeDict, (dict(obj),)
        return NotImplemented


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    StatePickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def snapshot() -> dict[str, Any]:
    """Every backend (account, region) of :data:`SERVICES`, plus S3's bucket directory."""
    backends: dict[str, dict[str, dict[str, Any]]] = {}
    for service in SERVICES:
        backend_dict: Any = get_backend(service)  # type: ignore[call-overload]
        backends[service] = {
            account: dict(regions.items()) for account, regions in backend_dict.items()
        }
    s3: Any = get_backend("s3")
    return {"backends": backends, "s3_bucket_accounts": dict(s3.bucket_accounts)}


def install(state: dict[str, Any]) -> None:
    """Put saved backends in place of moto's (done before anything is provisioned)."""
    for service, accounts in state["backends"].items():
        backend_dict: Any = get_backend(service)
        for account, regions in accounts.items():
            holder = backend_dict[account]  # creates (and registers) the account's dict
            for region, backend in regions.items():
                holder[region] = backend
    s3: Any = get_backend("s3")
    s3.bucket_accounts.update(state["s3_bucket_accounts"])


def save_state(path: Path, meta: dict[str, Any]) -> SaveStats:
    """Write moto's state and ``meta`` (JSON) atomically; call when nothing mutates moto."""
    started = time.perf_counter()
    header = {
        "format": FORMAT_VERSION,
        "moto": moto.__version__,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "meta": meta,
    }
    payload = dumps(snapshot())
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as file:
        file.write(MAGIC)
        file.write(json.dumps(header, sort_keys=True).encode() + b"\n")
        file.write(payload)
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(path)
    return SaveStats(path, path.stat().st_size, time.perf_counter() - started)


@dataclass(frozen=True)
class LoadedState:
    meta: dict[str, Any]
    saved_at: str
    size_bytes: int
    seconds: float


def load_state(path: Path) -> LoadedState:
    """Install the saved moto state; returns the caller's ``meta`` saved with it."""
    started = time.perf_counter()
    data = path.read_bytes()
    if not data.startswith(MAGIC):
        raise IncompatibleState(f"{path} is not a saved local stack state: {FRESH_HINT}")
    end = data.find(b"\n", len(MAGIC))
    header = _checked_header(path, data[len(MAGIC) : end])
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects: collecting meanwhile costs 3-4x
    try:
        state = pickle.loads(data[end + 1 :])  # noqa: S301 - our own file under .local/
    except Exception as exc:
        raise IncompatibleState(f"{path} cannot be read ({exc}): {FRESH_HINT}") from exc
    finally:
        if collecting:
            gc.enable()
    install(state)
    return LoadedState(
        meta=dict(header.get("meta", {})),
        saved_at=str(header.get("saved_at", "")),
        size_bytes=len(data),
        seconds=time.perf_counter() - started,
    )


def _checked_header(path: Path, line: bytes) -> dict[str, Any]:
    try:
        header: dict[str, Any] = json.loads(line)
    except ValueError as exc:
        raise IncompatibleState(f"{path} has a damaged header: {FRESH_HINT}") from exc
    if header.get("format") != FORMAT_VERSION:
        raise IncompatibleState(
            f"{path} was saved in format {header.get('format')!r}, this stack reads format "
            f"{FORMAT_VERSION}: {FRESH_HINT}"
        )
    if header.get("moto") != moto.__version__:
        raise IncompatibleState(
            f"{path} was saved by moto {header.get('moto')}, this stack runs moto "
            f"{moto.__version__} (its objects may differ): {FRESH_HINT}"
        )
    return header


def forget_stream_records(stream_arn: str, through_sequence: int) -> int:
    """Drop a table's stream records up to a sequence number (delivered before a stop).

    The stream is saved with the table; without this, the relay (``TRIM_HORIZON``) would
    deliver every record again after a restart and publish each event twice. Sequence
    numbers continue where they were. Returns how many records were dropped.
    """
    _, _, _, region, account, resource = stream_arn.split(":", 5)
    table_name = resource.split("/")[1]
    backend: Any = get_backend("dynamodb")
    table = backend[account][region].tables.get(table_name)
    shard = getattr(table, "stream_shard", None)
    if shard is None:
        return 0
    count: int = max(
        0, min(len(shard.items), through_sequence - shard.starting_sequence_number + 1)
    )
    shard.items = shard.items[count:]
    shard.starting_sequence_number += count
    return count


# ==================================================================== saving while running
#: Operations (JSON protocol's X-Amz-Target) that change nothing worth saving: the workers
#: poll with these all the time, and a save after them would only repeat the last one.
_READ_PREFIXES = ("Get", "Describe", "List", "Query", "Scan", "BatchGet", "Receive")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Gate:
    """moto's requests pass it side by side; a save passes it alone.

    A snapshot taken while a request runs could hold half of it (pickle also fails when a
    dict changes size under it); every change to moto's state is made by a request, so
    holding new requests back and waiting for those in flight gives a consistent state.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._in_flight = 0
        self._closed = False
        #: Requests that may have changed something, since the start.
        self.writes = 0

    @contextmanager
    def request(self, writes: bool) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._closed)
            self._in_flight += 1
        try:
            yield
        finally:
            with self._condition:
                self._in_flight -= 1
                self.writes += writes
                self._condition.notify_all()

    @contextmanager
    def alone(self, timeout: float | None = None) -> Iterator[None]:
        """Hold new requests back and wait for those in flight (at most ``timeout`` seconds:
        the last save, once moto has stopped, must not wait on a request that never ends)."""
        with self._condition:
            self._condition.wait_for(lambda: not self._closed, timeout)
            self._closed = True
            if not self._condition.wait_for(lambda: self._in_flight == 0, timeout):
                log.warning("saving with %d moto request(s) still unfinished", self._in_flight)
        try:
            yield
        finally:
            with self._condition:
                self._closed = False
                self._condition.notify_all()


def gated(app: WsgiApp, gate: Gate) -> WsgiApp:
    """moto's WSGI app, each request through ``gate`` (its whole response read inside)."""

    def gated_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with gate.request(_writes(environ)):
            response = app(environ, start_response)
            try:
                return list(response)
            finally:
                close = getattr(response, "close", None)
                if callable(close):
                    close()

    return gated_app


def _writes(environ: dict[str, Any]) -> bool:
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target:
        return not target.rsplit(".", 1)[-1].startswith(_READ_PREFIXES)
    return environ.get("REQUEST_METHOD") not in ("GET", "HEAD", "OPTIONS")


class StateSaver(Worker):
    """Saves moto's state while the stack runs, when something changed since the last save,
    so that a crash or ``kill -9`` loses at most the last ``interval`` seconds.

    moto's requests wait while a save runs (see :class:`Gate`): a few milliseconds for the
    demo data, about 2 s for 50,000 items, so the interval grows with the time a save takes
    (at most a twentieth of the time is spent saving).
    """

    def __init__(self, gate: Gate, save: Callable[[], float], interval: float) -> None:
        super().__init__("state-saver", interval)
        self._gate = gate
        self._save = save
        self._base_interval = interval
        self._saved_writes = gate.writes

    def run(self) -> None:
        while not self.pause(self.interval):
            try:
                self.poll_once()
            except Exception:
                log.exception("saving the local state failed; it is saved again on stop")

    def poll_once(self) -> None:
        writes = self._gate.writes
        if writes == self._saved_writes:
            return
        with self._gate.alone():
            seconds = self._save()
        self._saved_writes = writes
        self.interval = max(self._base_interval, 20 * seconds)
