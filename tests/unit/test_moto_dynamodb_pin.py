"""The moto code that infra/local/moto_dynamodb.py replaces or relies on has not changed."""

from __future__ import annotations

from infra.local import moto_dynamodb


def test_moto_code_replaced_by_the_adapter_is_the_code_it_was_written_for() -> None:
    # When this fails, moto was upgraded: read the new code (names below), port the adapter's
    # rollback to it or drop the adapter if moto fixed the whole-table copy, then update PINNED.
    assert moto_dynamodb.check_pinned() == []


def test_every_locked_request_is_a_handler_of_this_moto() -> None:
    for handler, names in moto_dynamodb.LOCKED_REQUESTS.items():
        missing = [name for name in names if not callable(getattr(handler, name, None))]
        assert missing == [], f"{handler.__name__} has no {missing}"
