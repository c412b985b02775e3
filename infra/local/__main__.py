"""Command line of the local stack.

    python -m infra.local run [--port 8000] [--moto-port 5000] [--no-seed]
    python -m infra.local token staff@mentor-va.example [--state-dir .local]
    python -m infra.local job outbox-sweeper [--as-of 2029-01-01] [--state-dir .local]

``run`` starts everything in this process and stops everything on Ctrl-C. ``token`` and
``job`` talk to the running stack, which they find through ``stack.json`` in its state
directory (``.local/``; tests run a stack with its own).
"""

from __future__ import annotations

import argparse
import logging
import re
import signal
import sys
import threading
import time
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from types import FrameType

from infra.local.aws import AwsClients, Endpoint
from infra.local.identity import LoginFailed, login
from infra.local.seed import DEMO_PASSWORD
from infra.local.specs import Schedule
from infra.local.stackfile import STATE_DIR, StackInfo, StackNotRunning, read_stack_info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local", description="NQMS local stack")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start moto, the gateway, the workers and demo data")
    run.add_argument("--port", type=int, default=8000, help="the API's port (0: any free port)")
    run.add_argument("--moto-port", type=int, default=5000, help="moto's port (0: any free)")
    run.add_argument("--no-seed", action="store_true", help="start without demo data")

    running = argparse.ArgumentParser(add_help=False)
    running.add_argument(
        "--state-dir", type=Path, default=STATE_DIR, help="the running stack's state directory"
    )

    token = commands.add_parser(
        "token", parents=[running], help="log in as a demo user and print the ID token"
    )
    token.add_argument("email")
    token.add_argument("--password", default=DEMO_PASSWORD)

    job = commands.add_parser(
        "job", parents=[running], help="run a scheduled job once against the running stack"
    )
    job.add_argument("name", help="function or rule, loosely: outbox-sweeper, OutboxSweeper…")
    job.add_argument("--as-of", type=date.fromisoformat, help="run as if today were this date")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    try:
        if args.command == "run":
            return run_stack(args.port, args.moto_port, seed=not args.no_seed)
        if args.command == "token":
            return print_token(read_stack_info(args.state_dir), args.email, args.password)
        return run_job(read_stack_info(args.state_dir), args.name, args.as_of)
    except (StackNotRunning, LoginFailed, JobNotFound) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


# ==================================================================== run
def run_stack(port: int, moto_port: int, *, seed: bool) -> int:
    from infra.local.stack import LocalStack, StackOptions

    started = time.perf_counter()
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    with LocalStack(StackOptions(port=port, moto_port=moto_port, seed=seed)) as stack:
        print(banner(stack.info, time.perf_counter() - started), flush=True)
        while not stopping.wait(0.5):
            pass
        print("\nstopping the local stack…", flush=True)
    print("stopped.", flush=True)
    return 0


def banner(info: StackInfo, seconds: float) -> str:
    width = max((len(u.email) for u in info.demo_users), default=10)
    users = "\n".join(
        f"    {u.email:<{width}}  {u.role:<16} password: {u.password}" for u in info.demo_users
    )
    example = next((u.email for u in info.demo_users if u.role == "affiliate-staff"), "EMAIL")
    return f"""
NQMS Cloud local stack is up ({seconds:.1f} s).

  API          {info.api_url}
  API docs     {info.docs_url}   (OpenAPI: {info.openapi_url})
  moto (AWS)   {info.moto_url}
  sent email   {info.mail_dir}/*.eml
  events       {info.events_log}

  Demo logins (Cognito user pool {info.user_pool_id}):
{users or "    (none: started with --no-seed)"}

  Log in and call the API:
    TOKEN=$(make -s token USER={example})
    curl -H "Authorization: Bearer $TOKEN" {info.api_url}/programs

Ctrl-C stops everything.
"""


# ==================================================================== token
def print_token(info: StackInfo, email: str, password: str) -> int:
    clients = AwsClients(Endpoint(info.moto_url, info.region, info.account_id))
    with _stack_environment(info):
        print(login(clients, info.user_pool_client_id, email, password))
    return 0


# ==================================================================== job
class JobNotFound(LookupError):
    """No schedule of the running stack matches the name given."""


def find_schedule(schedules: list[Schedule], name: str) -> Schedule:
    """The schedule whose function, rule or target matches ``name`` loosely."""
    wanted = _loose(name)
    matches = [
        s
        for s in schedules
        if any(
            wanted and wanted in _loose(text)
            for text in (s.function, s.rule_name, s.rule_logical_id)
        )
    ]
    if len(matches) != 1:
        known = ", ".join(sorted(s.function for s in schedules)) or "none"
        how = "matches several" if matches else "matches none"
        raise JobNotFound(f"{name!r} {how} of the scheduled jobs: {known}")
    return matches[0]


def run_job(info: StackInfo, name: str, as_of: date | None) -> int:
    from infra.local.runtime import FunctionRuntime
    from infra.local.workers import run_schedule_once
    from shared.clock import OffsetClock, use_clock

    schedule = find_schedule(info.schedules, name)
    at = datetime.now(UTC)
    if as_of is not None:
        at = datetime.combine(as_of, at.time(), tzinfo=UTC)
    clients = AwsClients(Endpoint(info.moto_url, info.region, info.account_id))
    runtime = FunctionRuntime(info.functions)
    with _stack_environment(info), use_clock(OffsetClock(at - datetime.now(UTC))):
        result = run_schedule_once(schedule, runtime, clients, at)
    print(f"{schedule.function} ran as of {at.date().isoformat()}: {result!r}")
    return 0


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower()).removesuffix("function")


def _stack_environment(info: StackInfo) -> AbstractContextManager[None]:
    from infra.local.runtime import patched_environ
    from infra.local.stack import stack_environment

    return patched_environ(stack_environment(Endpoint(info.moto_url, info.region, info.account_id)))


if __name__ == "__main__":
    sys.exit(main())
