"""What `make run` prints and accepts: the banner says when the clock is moved and gives the
`export` lines a client needs; `--as-of` and `--cors-origin` are read as a user writes them."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta

import pytest

from infra.local.__main__ import banner, origin
from infra.local.origins import LOCAL_ORIGINS, allowed_origins
from infra.local.stack import offset_to
from infra.local.stackfile import StackInfo


def _info(**changes: object) -> StackInfo:
    info = StackInfo(
        stack_name="nqms-local",
        region="us-east-1",
        account_id="123456789012",
        moto_url="http://127.0.0.1:5123",
        api_url="http://127.0.0.1:8123",
        user_pool_id="us-east-1_abc",
        user_pool_client_id="client123",
        table_name="t",
        event_bus_name="b",
        events_log=".local/events.jsonl",
        mail_dir=".local/mail",
        allowed_origins=allowed_origins(("http://localhost:4200",)),
    )
    for name, value in changes.items():
        setattr(info, name, value)
    return info


def test_the_banner_gives_the_export_lines_of_this_stack() -> None:
    shown = banner(_info(), 2.0)
    assert "    export API=http://127.0.0.1:8123\n" in shown
    assert "    export USER_POOL_ENDPOINT=http://127.0.0.1:5123\n" in shown
    assert "    export USER_POOL_ID=us-east-1_abc\n" in shown
    assert "    export USER_POOL_CLIENT_ID=client123\n" in shown
    assert "http://localhost:4200" in shown
    assert "MOVED" not in shown  # the real clock says nothing


def test_the_banner_says_the_clock_is_moved_and_to_which_day() -> None:
    offset = offset_to(date(2029, 12, 10))
    assert offset is not None
    info = _info(clock_offset_s=offset.total_seconds())
    assert info.now().date() == date(2029, 12, 10)
    shown = banner(info, 2.0)
    assert "clock        MOVED: today is 2029-12-10" in shown
    assert f"really {datetime.now(UTC).date().isoformat()}" in shown


def test_a_moved_clock_keeps_the_time_of_day() -> None:
    offset = offset_to(date(2029, 12, 10))
    assert offset is not None
    whole_days = timedelta(days=round(offset / timedelta(days=1)))
    assert abs(offset - whole_days) < timedelta(seconds=1)
    assert offset_to(None) is None


def test_added_origins_come_after_the_defaults_once_each() -> None:
    extra = ("http://localhost:4200", "http://localhost:3000", "http://localhost:4200")
    assert allowed_origins(extra) == [*LOCAL_ORIGINS, "http://localhost:4200"]


@pytest.mark.parametrize(
    "text", ["localhost:4200", "http://localhost:4200/", "ftp://x", "http://a/b", "*"]
)
def test_an_origin_is_written_as_a_browser_sends_it(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="not an origin"):
        origin(text)
    assert origin("http://localhost:8081") == "http://localhost:8081"
