"""Command line of the local stack.

    python -m infra.local run [--port 8000] [--moto-port 5000] [--no-seed] [--fresh]
                              [--as-of 2029-12-10]
                              [--web-port 5173]
    python -m infra.local token staff@mentor-va.example [--password P] [--state-dir .local]
    python -m infra.local job outbox-sweeper [--as-of 2029-01-01]
    eval "$(python -m infra.local env)"     # API=, USER_POOL_ENDPOINT=, ... of the running stack

``run`` starts everything in this process and stops everything on Ctrl-C (or SIGTERM),
saving moto's state in ``.local/`` for the next ``run`` (``--fresh`` starts clean). ``token``,
``job`` and ``env`` talk to the running stack, which they find through ``.local/stack.json``
(a stack that has stopped is one line on stderr and status 2).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import logging
import os
import re
import shlex
import signal
import sys
import threading
import time
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from textwrap import indent
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from infra.local.aws import AwsClients, Endpoint
from infra.local.identity import LoginFailed, sign_in
from infra.local.origins import NotAnOrigin, describe, parse_origin
from infra.local.persistence import IncompatibleState
from infra.local.seed import DEMO_PASSWORD
from infra.local.servers import HOST, PortInUse, ensure_free
from infra.local.specs import Schedule
from infra.local.stackfile import STATE_DIR, StackInfo, StackNotRunning, running_stack_info
from infra.local.web import WebBuildFailed

if TYPE_CHECKING:
    from infra.local.web import WebServer

if TYPE_CHECKING:
    from infra.local.stack import StackOptions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local", description="NQMS local stack")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start moto, the gateway, the workers and demo data")
    run.add_argument("--port", type=int, default=8000, help="the API's port (0: any free port)")
    run.add_argument("--moto-port", type=int, default=5000, help="moto's port (0: any free)")
    run.add_argument("--no-seed", action="store_true", help="start without demo data")
    run.add_argument(
        "--fresh", action="store_true", help="forget the data saved by the last run; start clean"
    )
    run.add_argument(
        "--state-dir", type=Path, default=STATE_DIR, help="where stack.json, events, mail go"
    )
    run.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="run the whole stack (API, workers, jobs) as if today were this date",
    )
    run.add_argument(
        "--cors-origin",
        dest="cors_origins",
        action="append",
        type=origin,
        default=[],
        metavar="ORIGIN",
        help="also answer CORS requests from this origin (an Angular or Expo dev server,"
        " say: http://localhost:4200); repeat for more",
    )
    run.add_argument("--save-every", type=float, default=30.0, help=argparse.SUPPRESS)
    run.add_argument(
        "--web-port",
        type=int,
        help="build (if changed) and serve the web client on this port (0: any free port)",
    )

    token = commands.add_parser(
        "token", help="log in (an invited user's first sign-in too) and print the ID token"
    )
    token.add_argument("email")
    token.add_argument(
        "--password",
        default=DEMO_PASSWORD,
        help="the password, or an invitation's temporary one (default: the demo password;"
        " the temporary one is then read from the mail directory)",
    )

    job = commands.add_parser("job", help="run a scheduled job once against the running stack")
    job.add_argument("name", help="function or rule, loosely: outbox-sweeper, OutboxSweeper…")
    job.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="run as if today were this date (default: the stack's today, moved or not)",
    )
    env = commands.add_parser(
        "env", help="print the running stack's addresses as shell `export` lines (API=...)"
    )
    for command in (token, job, env):
        command.add_argument(
            "--state-dir", type=Path, default=STATE_DIR, help="where the stack's stack.json is"
        )

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    try:
        if args.command == "run":
            # Before the slow imports (moto): a taken port is reported at once.
            ensure_free(HOST, args.port, "the API")
            ensure_free(HOST, args.moto_port, "moto, the emulated AWS")
            from infra.local.stack import StackOptions

            web, web_parameters = start_web(args)
            web_origin = (web.url,) if web is not None else ()
            options = StackOptions(
                port=args.port,
                moto_port=args.moto_port,
                seed=not args.no_seed,
                state_dir=args.state_dir,
                persist=True,
                fresh=args.fresh,
                save_every_s=args.save_every,
                as_of=args.as_of,
                cors_origins=(*args.cors_origins, *web_origin),
                parameters=web_parameters,
            )
            return run_stack(options, web)
        info = running_stack_info(args.state_dir)
        if args.command == "token":
            return print_token(info, args.email, args.password)
        if args.command == "env":
            print(exports(info))
            return 0
        return run_job(info, args.name, args.as_of)
    except (StackNotRunning, LoginFailed, JobNotFound, IncompatibleState) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except PortInUse as error:
        print(f"error: {error}.\n{HOW_TO_CHOOSE_PORTS}", file=sys.stderr)
        return 2


# ==================================================================== run
def run_stack(options: StackOptions, web: WebServer | None = None) -> int:
    """Serve until Ctrl-C or SIGTERM, then stop everything and leave at once.

    The first stop signal raises KeyboardInterrupt in the main thread, wherever it waits
    (also while the stack is still starting), and starts the stop watchdog (see
    :func:`catch_stop_signals`). The process then ends with ``os._exit``: by then every
    server is closed and every file written, and the interpreter's own teardown (waiting
    for threads, freeing moto's whole heap object by object) took tens of seconds after a
    day of use for nothing the user needs.
    """
    from infra.local.stack import LocalStack

    started = time.perf_counter()
    catch_stop_signals()
    stack = LocalStack(options)
    try:
        stack.start()
        resumed = f"resumed, saved {stack.restored.saved_at}" if stack.restored else "new"
        state = f"{stack.state_file} ({resumed}; `make run FRESH=1` starts clean)"
        print(banner(stack.info, time.perf_counter() - started, state), flush=True)
        if web is not None:
            web.start()
            (options.state_dir / "web.json").write_text(json.dumps({"url": web.url}))
            print(f"  Web app      {web.url}   (sign in with a demo login above)\n", flush=True)
        wait_for_a_stop_signal()
    except KeyboardInterrupt:
        print("\nstopping the local stack…", flush=True)
        start_stop_watchdog()  # started by the signal already; here in case it was not
        if web is not None:
            web.stop()
        stack.stop()
        print("stopped.", flush=True)
        _leave(0)
    return 0  # not reached: only a signal ends the loop


#: Ctrl-C, ``kill`` (and Playwright's teardown), the terminal closing: each stops and saves.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def catch_stop_signals() -> None:
    """Install :func:`on_stop_signal` for every stop signal (explicitly: a shell starting a
    background job hands it SIGINT ignored)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, on_stop_signal)


def on_stop_signal(signum: int, frame: FrameType | None) -> NoReturn:
    """The first stop signal: start the watchdog and raise KeyboardInterrupt in the main
    thread, wherever it is (starting, waiting). Later ones are ignored: a second Ctrl-C
    must not cut the stop, and its last save, short; the watchdog bounds it."""
    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    start_stop_watchdog()
    raise KeyboardInterrupt


_watchdog: threading.Timer | None = None


def start_stop_watchdog() -> None:
    """After :data:`STOP_LIMIT_SECONDS` of stopping, say where every thread is and leave."""
    global _watchdog
    if _watchdog is None:
        _watchdog = threading.Timer(STOP_LIMIT_SECONDS, _stuck)
        _watchdog.daemon = True
        _watchdog.start()


#: How soon the main thread acts on a signal that the kernel handed to another thread.
SIGNAL_POLL_SECONDS = 0.25


def wait_for_a_stop_signal(poll_s: float = SIGNAL_POLL_SECONDS) -> NoReturn:
    """Wait until a signal's handler raises (KeyboardInterrupt) in this, the main thread.

    A process-directed signal may be delivered to any of the stack's threads: Python then
    runs the handler in the main thread only when that thread next runs bytecode, and one
    long ``time.sleep`` is not interrupted by a signal another thread took, so Ctrl-C did
    nothing for up to an hour. Short sleeps act on it within ``poll_s``."""
    while True:
        time.sleep(poll_s)


#: Stopping (the last save included) never takes longer than this; past it, say why and go.
STOP_LIMIT_SECONDS = 30.0


def _stuck() -> None:
    """Stopping hangs: show where every thread is (a bug to report), then leave anyway."""
    print(
        f"\nerror: stopping took more than {STOP_LIMIT_SECONDS:.0f} s; the threads were at:",
        file=sys.stderr,
        flush=True,
    )
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    _leave(1)


def _leave(code: int) -> None:
    """Exit without the interpreter's teardown (see :func:`run_stack`)."""
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


HOW_TO_CHOOSE_PORTS = """Stop the program that uses it, or choose other ports:
    make run PORT=8001 MOTO_PORT=5001 WEB_PORT=5174
    python -m infra.local run --port 8001 --moto-port 5001 --web-port 5174   (0: any free port)"""


def banner(info: StackInfo, seconds: float, state: str = "") -> str:
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
  saved data   {state or "not kept"}{clock_line(info)}{cors_line(info)}

  Demo logins (Cognito user pool {info.user_pool_id}):
{users or "    (none: started with --no-seed)"}

  For the docs' examples and a client's configuration (or: eval "$(make -s env)"):
{indent(exports(info), "    ")}

  Log in and call the API:
    TOKEN=$(make -s token USER={example})
    curl -H "Authorization: Bearer $TOKEN" $API/programs

Ctrl-C stops everything (and saves the data for the next `make run`).
"""


def exports(info: StackInfo) -> str:
    """Shell lines that point the docs' curl examples and a client in development at this
    stack: the API, the user pool's endpoint (Cognito's API: moto), the pool and app client."""
    values = {
        "API": info.api_url,
        "USER_POOL_ENDPOINT": info.moto_url,
        "USER_POOL_ID": info.user_pool_id,
        "USER_POOL_CLIENT_ID": info.user_pool_client_id,
    }
    return "\n".join(f"export {name}={shlex.quote(value)}" for name, value in values.items())


def cors_line(info: StackInfo) -> str:
    """The banner's line naming the origins whose browsers may call the API."""
    if not info.allowed_origins:
        return ""
    return (
        f"\n  CORS         browsers on {describe(info.allowed_origins)}"
        "\n               (add one: make run CORS_ORIGINS=http://localhost:4200)"
    )


def clock_line(info: StackInfo) -> str:
    """The banner's line for a moved clock (``make run AS_OF=``); empty when it is not."""
    if info.clock_offset_s is None:
        return ""
    real = datetime.now(UTC).date().isoformat()
    return (
        f"\n  clock        MOVED: today is {info.now().date().isoformat()} for the API, the"
        f" workers and `make job` (really {real})"
    )


def origin(text: str) -> str:
    """``--cors-origin``: an origin as browsers send it (``http://localhost:4200``)."""
    try:
        return parse_origin(text)
    except NotAnOrigin as error:
        raise argparse.ArgumentTypeError(str(error)) from error


# ==================================================================== web
def start_web(args: argparse.Namespace) -> tuple[WebServer | None, dict[str, str]]:
    """Build the web client if its sources changed and bind its port; the template parameters
    for it (the emails' AppUrl). Its origin joins the CORS allow-list (``cors_origins``)."""
    if args.web_port is None:
        return None, {}
    from infra.local import web
    from infra.local.stackfile import read_stack_info

    try:
        if web.needs_build():
            web.build()
    except WebBuildFailed as error:
        # The API still runs: a newcomer without Node gets the stack and says why no app.
        print(f"warning: the web client is not served: {error}", file=sys.stderr)
        return None, {}
    holder: dict[str, StackInfo] = {}

    def config() -> dict[str, object]:
        info = holder.get("info") or read_stack_info(args.state_dir)
        holder["info"] = info
        return web.runtime_config(
            info.api_url, info.moto_url, info.region, info.user_pool_id, info.user_pool_client_id
        )

    server = web.WebServer(HOST, args.web_port, config)
    return server, web.app_parameters(server.url)


# ==================================================================== token
def print_token(info: StackInfo, email: str, password: str) -> int:
    """An invited user's first sign-in is completed: the temporary password comes from
    ``--password`` or the invitation in the mail directory, the new one is the demo's."""
    clients = AwsClients(Endpoint(info.moto_url, info.region, info.account_id))
    with _stack_environment(info):
        done = sign_in(clients, info, email, password, new_password=DEMO_PASSWORD)
    if done.note:
        print(done.note, file=sys.stderr)
    print(done.token)
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
    from infra.local.stack import stack_environment
    from infra.local.workers import run_schedule_once

    schedule = find_schedule(info.schedules, name)
    at = info.now()  # a stack run as of another date runs its jobs as of it too
    if as_of is not None:
        at = datetime.combine(as_of, at.time(), tzinfo=UTC)
    endpoint = Endpoint(info.moto_url, info.region, info.account_id)
    runtime = FunctionRuntime(info.functions, stack_environment(endpoint))
    try:
        result = run_schedule_once(schedule, runtime, AwsClients(endpoint), at)
    finally:
        runtime.close()
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
