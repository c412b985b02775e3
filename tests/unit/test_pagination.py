from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest

from shared.errors import InvalidRequest
from shared.settings import SettingsError
from shared.store.pagination import (
    decode_cursor,
    decode_start_key,
    encode_cursor,
    refuse_cursor,
    start_key_attributes,
)

SECRET = "k" * 40
OTHER_SECRET = "o" * 40
GSI1_KEY = {"pk": "P", "sk": "S", "gsi1pk": "G", "gsi1sk": "H"}
INVALID = "The `next` cursor is not valid for this list; start again without it."


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(scope: str, cursor: str | None, index: str | None = "gsi1") -> Any:
    return decode_start_key(scope, cursor, index, secret=SECRET)


def _refused(scope: str, cursor: str, index: str | None = "gsi1") -> None:
    with pytest.raises(InvalidRequest) as caught:
        _decode(scope, cursor, index)
    assert caught.value.detail == INVALID


def test_a_cursor_round_trips_within_its_list() -> None:
    assert _decode("list-a", encode_cursor("list-a", GSI1_KEY, secret=SECRET)) == GSI1_KEY
    table_key = {"pk": "X", "sk": "Y"}
    cursor = encode_cursor("list-a", table_key, secret=SECRET)
    assert _decode("list-a", cursor, None) == table_key


def test_a_cursor_from_another_list_or_caller_is_refused() -> None:
    _refused("programs:user-b:*", encode_cursor("programs:user-a:*", GSI1_KEY, secret=SECRET))


def test_a_cursor_signed_with_another_key_is_refused() -> None:
    _refused("list-a", encode_cursor("list-a", GSI1_KEY, secret=OTHER_SECRET))


def test_a_position_changed_under_a_valid_signature_is_refused() -> None:
    _body, signature = encode_cursor("list-a", GSI1_KEY, secret=SECRET).split(".")
    forged = _b64(json.dumps({**GSI1_KEY, "gsi1pk": "AFFILIATE#other#PROGRAMS"}).encode())
    _refused("list-a", f"{forged}.{signature}")


def test_a_flipped_signature_is_refused() -> None:
    body, signature = encode_cursor("list-a", GSI1_KEY, secret=SECRET).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    _refused("list-a", f"{body}.{flipped}")


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage",
        "!!!",
        "eyJ4IjoxfQ",  # the old, unsigned format: {"x":1}
        "bnVsbA",
        "a.b.c",
        "é.é",
        "." * 2,
        "x" * 5000,
    ],
)
def test_garbage_is_a_400_not_a_crash(garbage: str) -> None:
    _refused("list-a", garbage)


@pytest.mark.parametrize(
    "position",
    [
        {"pk": "P", "sk": "S"},  # a table key where the index's is expected
        {**GSI1_KEY, "extra": "x"},
        {**GSI1_KEY, "pk": 1},
        {**GSI1_KEY, "sk": None},
        {**GSI1_KEY, "gsi1sk": ""},
        {**GSI1_KEY, "gsi1pk": {"S": "G"}},
        {**GSI1_KEY, "gsi1pk": ["G"]},
    ],
)
def test_a_signed_position_of_the_wrong_shape_is_refused(position: dict[str, Any]) -> None:
    # Signed with the real key: the shape is checked even for a cursor this service made.
    _refused("list-a", encode_cursor("list-a", position, secret=SECRET))


@pytest.mark.parametrize("payload", [b"null", b"[1,2]", b'"text"', b"{", b"\xff\xfe"])
def test_a_signed_body_that_is_not_a_json_object_is_refused(payload: bytes) -> None:
    # Forge the signature the way the service would, over a body that is not an object.
    body = _b64(payload)
    message = json.dumps(["list-a", body], separators=(",", ":")).encode()
    signature = _b64(hmac.new(SECRET.encode(), message, hashlib.sha256).digest())
    _refused("list-a", f"{body}.{signature}")


def test_a_custom_position_is_checked_by_its_list() -> None:
    def valid(position: dict[str, Any]) -> bool:
        return type(position.get("source")) is int

    good = encode_cursor("programs", {"source": 2}, secret=SECRET)
    assert decode_cursor("programs", good, valid, secret=SECRET) == {"source": 2}
    bad = encode_cursor("programs", {"source": "2"}, secret=SECRET)
    with pytest.raises(InvalidRequest):
        decode_cursor("programs", bad, valid, secret=SECRET)


def test_no_cursor_means_the_first_page() -> None:
    assert _decode("list-a", None) is None
    assert _decode("list-a", "") is None
    refuse_cursor(None)


def test_a_list_of_one_page_refuses_any_cursor() -> None:
    with pytest.raises(InvalidRequest):
        refuse_cursor(encode_cursor("affiliates", GSI1_KEY, secret=SECRET))


def test_a_short_or_missing_key_is_a_configuration_error() -> None:
    with pytest.raises(SettingsError):
        encode_cursor("list-a", GSI1_KEY, secret="short")
    with pytest.raises(SettingsError):
        decode_start_key("list-a", "x.y", "gsi1", secret="")


def test_start_keys_are_the_table_key_plus_the_index_key() -> None:
    assert start_key_attributes() == {"pk", "sk"}
    assert start_key_attributes("gsi1") == set(GSI1_KEY)
