from __future__ import annotations

import pytest

from shared.errors import InvalidRequest
from shared.pagination import decode_cursor, encode_cursor


def test_a_cursor_round_trips_within_its_list() -> None:
    position = {"pk": "X", "sk": "Y"}
    assert decode_cursor("list-a", encode_cursor("list-a", position)) == position


def test_a_cursor_from_another_list_is_refused() -> None:
    with pytest.raises(InvalidRequest):
        decode_cursor("list-b", encode_cursor("list-a", {"pk": "X"}))


@pytest.mark.parametrize("garbage", ["garbage", "!!!", "eyJ4IjoxfQ", "bnVsbA"])
def test_tampered_cursors_are_a_400_not_a_crash(garbage: str) -> None:
    with pytest.raises(InvalidRequest):
        decode_cursor("list-a", garbage)


def test_no_cursor_means_the_first_page() -> None:
    assert decode_cursor("list-a", None) is None
