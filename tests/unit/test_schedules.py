"""Schedule expressions: which run locally, at what interval, and which are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from infra.local.schedules import ScheduleExpressionError, is_cron, rate_interval


@pytest.mark.parametrize(
    ("expression", "interval"),
    [
        ("rate(1 minute)", timedelta(minutes=1)),
        ("rate(5 minutes)", timedelta(minutes=5)),
        ("rate(1 hour)", timedelta(hours=1)),
        ("rate(12 hours)", timedelta(hours=12)),
        ("rate(1 day)", timedelta(days=1)),
        ("  rate( 7 days )  ", timedelta(days=7)),
    ],
)
def test_rate_intervals(expression: str, interval: timedelta) -> None:
    assert rate_interval(expression) == interval


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("rate(1 minutes)", "use the singular unit for 1 only"),
        ("rate(5 minute)", "use the singular unit for 1 only"),
        ("rate(0 minutes)", "a rate must be positive"),
        ("rate(-1 minutes)", "not a rate expression"),
        ("rate(30 seconds)", "not a rate expression"),
        ("rate(1.5 hours)", "not a rate expression"),
        ("cron(0 12 * * ? *)", "not a rate expression"),
    ],
)
def test_bad_rates_are_refused_with_the_expression(expression: str, message: str) -> None:
    with pytest.raises(ScheduleExpressionError, match=message) as raised:
        rate_interval(expression)
    assert repr(expression) in str(raised.value)


def test_cron_expressions_are_told_apart() -> None:
    assert is_cron("cron(0 12 * * ? *)")
    assert is_cron(" cron(0/5 * * * ? *) ")
    assert not is_cron("rate(5 minutes)")
