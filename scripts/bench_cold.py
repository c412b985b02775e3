"""Cold start of every API function as Lambda pays it, next to the floor, in one run.

For each function of the template with API events: a fresh interpreter with the function's own
environment (the template's, as the local stack resolves it) imports the handler and answers
one first request (a read its callers make first) against the local stack's moto; paired, run
by run, with the floor: a fresh interpreter that imports boto3, makes one client and does one
GetItem. Each pair's ratio; the median of the ratios is the figure (pairs cancel the machine's
load, which moves both alike).

    python -m scripts.bench_cold            # starts a stack of its own, prints the table
    BENCH_COLD_PAIRS=5 python -m scripts.bench_cold

``make bench`` runs it too (scripts/bench_stack.py), on the stack it already has.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.support.apigw import api_event, claims_for

if TYPE_CHECKING:
    from infra.local.stack import LocalStack
    from scripts.bench_stack import AnswerSession

ROOT = Path(__file__).resolve().parents[1]
COLD_PAIRS = int(os.environ.get("BENCH_COLD_PAIRS", "10"))
#: At most this many times the floor (issue 21).
BUDGET = 1.3

# A fresh interpreter importing the handler and answering its first request (argv: handler,
# event).
HANDLER_CHILD = """
import sys, json
from infra.local.execution_environment import LambdaContext, load_handler  # stdlib only

handler = load_handler(sys.argv[1])
response = handler(json.loads(sys.argv[2]), LambdaContext("bench", 3.0))
assert response["statusCode"] == 200, response
"""

# The floor: a fresh interpreter, boto3, one client, one GetItem (argv: table, partition key).
FLOOR_CHILD = """
import sys, boto3
key = {"pk": {"S": sys.argv[2]}, "sk": {"S": "CYCLE"}}
assert "Item" in boto3.client("dynamodb").get_item(TableName=sys.argv[1], Key=key)
"""


@dataclass(frozen=True)
class FirstRequest:
    """What a function answers first in the bench: a read its callers make first."""

    function: str  # the template's logical id
    label: str  # the operation, as the table prints it
    event: Callable[[AnswerSession], dict[str, Any]]


def _member(session: AnswerSession) -> dict[str, str]:
    return claims_for(session.sub, session.email, ["program-staff"])


def _staff(session: AnswerSession) -> dict[str, str]:
    return claims_for(session.staff_sub, session.staff_email, ["affiliate-staff"])


FIRST_REQUESTS = (
    FirstRequest(
        "AssessmentFunction",
        "getCycle",
        lambda s: api_event("GET", "/cycles/{cycleId}", {"cycleId": s.cycle_id}, claims=_member(s)),
    ),
    FirstRequest(
        "DirectoryFunction",
        "getProgram",
        lambda s: api_event(
            "GET", "/programs/{programId}", {"programId": s.program_id}, claims=_member(s)
        ),
    ),
    FirstRequest(
        "ReviewFunction",
        "listReviews",
        lambda s: api_event("GET", "/reviews", claims=_staff(s)),
    ),
    FirstRequest(
        "PlanFunction",
        "getPlan",
        lambda s: api_event(
            "GET", "/cycles/{cycleId}/plan", {"cycleId": s.cycle_id}, claims=_member(s)
        ),
    ),
    FirstRequest(
        "ReportFunction",
        "getProgramProgress",
        lambda s: api_event(
            "GET", "/programs/{programId}/progress", {"programId": s.program_id}, claims=_member(s)
        ),
    ),
    FirstRequest(
        "BadgeFunction",
        "listProgramBadges",
        lambda s: api_event(
            "GET", "/programs/{programId}/badges", {"programId": s.program_id}, claims=_member(s)
        ),
    ),
    FirstRequest(
        "NotifyApiFunction",
        "getMyNotificationPreferences",
        lambda s: api_event("GET", "/me/notification-preferences", claims=_member(s)),
    ),
)


@dataclass(frozen=True)
class ColdStart:
    function: str
    label: str
    pairs: list[tuple[float, float]]  # (handler, floor) seconds

    @property
    def ratio(self) -> float:
        return statistics.median(h / f for h, f in self.pairs)

    def as_json(self) -> dict[str, Any]:
        return {"function": self.function, "label": self.label, "pairs": self.pairs}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ColdStart:
        pairs = [(float(h), float(f)) for h, f in raw["pairs"]]
        return cls(str(raw["function"]), str(raw["label"]), pairs)


def api_functions() -> set[str]:
    """The template's functions with API events: every one must be in FIRST_REQUESTS."""
    from infra.local.template import decode_template

    resources: dict[str, Any] = decode_template()["Resources"]
    return {
        logical_id
        for logical_id, resource in resources.items()
        if resource.get("Type") == "AWS::Serverless::Function"
        and any(
            e.get("Type") == "Api"
            for e in resource.get("Properties", {}).get("Events", {}).values()
        )
    }


def _time_child(code: str, args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]}: exit {done.returncode}\n{done.stderr[-3000:]}")
    return took


def cold_starts(stack: LocalStack, session: AnswerSession) -> list[ColdStart]:
    """Every API function's (handler, floor) pairs, each in a fresh interpreter."""
    assert stack.provisioned is not None
    functions = stack.provisioned.functions
    missing = api_functions() - {r.function for r in FIRST_REQUESTS}
    if missing:
        raise RuntimeError(f"no first request for the API functions {sorted(missing)}")
    floor_args = [stack.provisioned.ref("Table"), f"CYCLE#{session.cycle_id}"]
    found = []
    for request in FIRST_REQUESTS:
        spec = functions[request.function]
        env = {**os.environ, **spec.environment, "PYTHONPATH": str(ROOT)}
        handler_args = [spec.handler, json.dumps(request.event(session))]
        _time_child(HANDLER_CHILD, handler_args, env)  # compile bytecode once: Lambda ships .pyc
        _time_child(FLOOR_CHILD, floor_args, env)
        pairs = [
            (
                _time_child(HANDLER_CHILD, handler_args, env),
                _time_child(FLOOR_CHILD, floor_args, env),
            )
            for _ in range(COLD_PAIRS)
        ]
        found.append(ColdStart(request.function, request.label, pairs))
    return found


def rows(found: list[ColdStart]) -> list[tuple[str, ...]]:
    """One row per function: handler and floor (min, median ms), the ratios."""
    table: list[tuple[str, ...]] = []
    for cold in found:
        handler = [h for h, _ in cold.pairs]
        floor = [f for _, f in cold.pairs]
        table.append(
            (
                cold.function,
                cold.label,
                f"{min(handler) * 1000:.0f}",
                f"{statistics.median(handler) * 1000:.0f}",
                f"{statistics.median(floor) * 1000:.0f}",
                f"{min(handler) / min(floor):.2f}",
                f"{cold.ratio:.2f}",
                "ok" if cold.ratio <= BUDGET else f"over {BUDGET}",
            )
        )
    return table


HEADER = (
    "function",
    "first request",
    "min ms",
    "median ms",
    "floor median ms",
    "min/min",
    "ratio (median of pairs)",
    "",
)


def title(found: list[ColdStart]) -> str:
    pairs = len(found[0].pairs) if found else 0
    return (
        f"Cold start as Lambda pays it, {pairs} pairs per function: fresh interpreter, import, "
        "first request vs floor (import boto3, one client, one GetItem)"
    )


def main() -> int:
    from infra.local.stack import LocalStack, StackOptions
    from scripts.bench import _print_table
    from scripts.bench_stack import AnswerSession

    with tempfile.TemporaryDirectory() as state:
        options = StackOptions(port=0, moto_port=0, state_dir=Path(state), schedules=False)
        with LocalStack(options) as stack:
            found = cold_starts(stack, AnswerSession(stack))
    _print_table(title(found), HEADER, rows(found))
    return 0 if all(c.ratio <= BUDGET for c in found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
