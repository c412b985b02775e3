"""Cold start of every API function as Lambda pays it, next to the floor, in one run.

For each function of the template with API events: a fresh interpreter with the function's own
environment (the template's, as the local stack resolves it) imports the handler and answers
one first request (a read its callers make first) against the local stack's moto; paired, run
by run, with the floor: a fresh interpreter that imports boto3, makes one client and does one
GetItem. Each pair's ratio; the median of the ratios is the figure (pairs cancel the machine's
load, which moves both alike). The CPU time of the same pairs (user + system, the child's own)
is shown beside it: on a machine shared with other work it moves much less than wall time.

    python -m scripts.bench_cold            # starts a stack of its own, prints the table
    BENCH_COLD_PAIRS=5 python -m scripts.bench_cold
    python -m scripts.bench_cold --profile AssessmentFunction   # where its first request goes

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

from infra.local.runtime import lambda_variables
from tests.support.apigw import api_event, claims_for

if TYPE_CHECKING:
    from infra.local.specs import FunctionSpec
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

# The same, under cProfile: the costliest calls (cumulative), then the slowest imports.
PROFILE_CHILD = """
import cProfile, pstats, sys, json
from infra.local.execution_environment import LambdaContext, load_handler

profile = cProfile.Profile()
profile.enable()
handler = load_handler(sys.argv[1])
response = handler(json.loads(sys.argv[2]), LambdaContext("bench", 3.0))
profile.disable()
assert response["statusCode"] == 200, response
pstats.Stats(profile).sort_stats("cumulative").print_stats(int(sys.argv[3]))
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
    cpu_pairs: list[tuple[float, float]]  # the same runs' CPU seconds

    @property
    def ratio(self) -> float:
        return statistics.median(h / f for h, f in self.pairs)

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(h / f for h, f in self.cpu_pairs)

    def as_json(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "label": self.label,
            "pairs": self.pairs,
            "cpu_pairs": self.cpu_pairs,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ColdStart:
        pairs = [(float(h), float(f)) for h, f in raw["pairs"]]
        cpu_pairs = [(float(h), float(f)) for h, f in raw["cpu_pairs"]]
        return cls(str(raw["function"]), str(raw["label"]), pairs, cpu_pairs)


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


def _function_environment(spec: FunctionSpec) -> dict[str, str]:
    """What the function's process sees in Lambda: the template's variables and the runtime's
    own (``AWS_LAMBDA_FUNCTION_NAME`` among them, so the handler validates its settings and
    does what else it does only in an execution environment)."""
    return {**os.environ, **spec.environment, **lambda_variables(spec), "PYTHONPATH": str(ROOT)}


def _time_child(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The child's wall time and its CPU time (user + system), seconds."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        _, status, usage = os.wait4(child.pid, 0)
        took = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace")
            raise RuntimeError(f"{args[0]}: exit {child.returncode}\n{text[-3000:]}")
    return took, usage.ru_utime + usage.ru_stime


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
        env = _function_environment(spec)
        handler_args = [spec.handler, json.dumps(request.event(session))]
        _time_child(HANDLER_CHILD, handler_args, env)  # compile bytecode once: Lambda ships .pyc
        _time_child(FLOOR_CHILD, floor_args, env)
        runs = [
            (
                _time_child(HANDLER_CHILD, handler_args, env),
                _time_child(FLOOR_CHILD, floor_args, env),
            )
            for _ in range(COLD_PAIRS)
        ]
        pairs = [(handler[0], floor[0]) for handler, floor in runs]
        cpu_pairs = [(handler[1], floor[1]) for handler, floor in runs]
        found.append(ColdStart(request.function, request.label, pairs, cpu_pairs))
    return found


def profile(stack: LocalStack, session: AnswerSession, function: str, top: int = 40) -> str:
    """One cold first request of ``function`` under cProfile, and ``-X importtime``'s slowest
    imports (cumulative ms) of the same."""
    assert stack.provisioned is not None
    (request,) = [r for r in FIRST_REQUESTS if r.function == function]
    spec = stack.provisioned.functions[function]
    env = _function_environment(spec)
    args = [spec.handler, json.dumps(request.event(session))]
    _time_child(HANDLER_CHILD, args, env)  # bytecode compiled, as Lambda ships it
    profiled = subprocess.run(
        [sys.executable, "-c", PROFILE_CHILD, *args, str(top)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    imports = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", HANDLER_CHILD, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    timed = []
    for line in imports.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            timed.append((int(parts[1]) / 1000, parts[2].rstrip()))
    slowest = sorted(timed, reverse=True)[:top]
    listed = "\n".join(f"{ms:8.1f} ms  {name}" for ms, name in slowest)
    return f"{profiled}\nSlowest imports (cumulative):\n{listed}\n"


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
                f"{cold.cpu_ratio:.2f}",
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
    "CPU ratio",
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

    profiled = sys.argv[2] if len(sys.argv) == 3 and sys.argv[1] == "--profile" else None
    with tempfile.TemporaryDirectory() as state:
        options = StackOptions(port=0, moto_port=0, state_dir=Path(state), schedules=False)
        with LocalStack(options) as stack:
            if profiled is not None:
                print(profile(stack, AnswerSession(stack), profiled))
                return 0
            found = cold_starts(stack, AnswerSession(stack))
    _print_table(title(found), HEADER, rows(found))
    return 0 if all(c.ratio <= BUDGET for c in found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
