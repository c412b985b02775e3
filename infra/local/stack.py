"""The whole local stack in one process: moto server, resources, gateway, workers, demo data.

    with LocalStack(StackOptions(port=0, moto_port=0)) as stack:
        stack.info.api_url  # http://127.0.0.1:PORT

``start`` sets the process environment the functions need (``AWS_ENDPOINT_URL`` pointing at
moto, fake credentials, region) and ``stop`` puts back exactly what was there, so tests that
use moto's in-process ``mock_aws`` afterwards are unaffected.

With ``persist`` (``make run``), ``stop`` saves moto's state under ``state_dir`` and the
next ``start`` resumes from it (see :mod:`infra.local.persistence`). moto's backends are
global to the process, so a persisting stack must be the only stack in its process.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from infra.local import moto_dynamodb, moto_events
from infra.local.authorizer import CognitoTokenVerifier, JwksUrlKeys, issuer_of
from infra.local.aws import ACCOUNT_ID, FAKE_ACCESS_KEY, FAKE_SECRET_KEY, AwsClients, Endpoint
from infra.local.gateway import GatewayApp, GatewayServer, GatewaySetup
from infra.local.http import ApiClient
from infra.local.invitations import saving_invitations
from infra.local.mailbox import saving_sent_mail
from infra.local.origins import LOCAL_ORIGINS, allowed_origins
from infra.local.password_resets import saving_password_resets
from infra.local.persistence import (
    STATE_FILE,
    Gate,
    IncompatibleState,
    LoadedState,
    StateSaver,
    forget_stream_records,
    gated,
    load_state,
    save_state,
)
from infra.local.proxy import ApiContext
from infra.local.resources import (
    Physical,
    ProvisionedStack,
    ProvisioningError,
    create_queue,
    provision,
)
from infra.local.routes import authorizers_of
from infra.local.runtime import FunctionRuntime, forget_cached_settings, patched_environ
from infra.local.seed import DEMO_PASSWORD, Seeder, SeedResult
from infra.local.servers import MotoServer, bind, ensure_free
from infra.local.stackfile import EVENTS_FILE, MAIL_DIR, STATE_DIR, DemoUser, StackInfo
from infra.local.template import load_template
from infra.local.workers import (
    EventLogWorker,
    QueueSourceWorker,
    RuleDispatchWorker,
    StreamWorker,
    Worker,
    schedule_workers,
)
from shared.clock import use_clock

log = logging.getLogger("infra.local")

#: How long the save at stop waits for moto requests still in flight (moto has stopped).
FINAL_SAVE_WAIT_SECONDS = 2.0

HOST = "127.0.0.1"
#: Template parameters of the local stack.
LOCAL_PARAMETERS = {"AllowedOrigins": ",".join(LOCAL_ORIGINS)}

#: How long stopping waits, in all, for workers to finish what they are doing.
WORKERS_STOP_SECONDS = 1.0


@dataclass(frozen=True)
class StackOptions:
    port: int = 8000  # the API; 0 picks a free port
    moto_port: int = 5000  # 0 picks a free port
    region: str = "us-east-1"
    stack_name: str = "nqms-local"
    parameters: dict[str, str] = field(default_factory=dict)
    state_dir: Path = STATE_DIR
    seed: bool = True
    #: Run ``rate(...)`` schedules periodically (tests usually run jobs explicitly instead).
    schedules: bool = True
    demo_password: str = DEMO_PASSWORD
    #: Save moto's state in ``state_dir`` on stop and resume from it on start (make run).
    persist: bool = False
    #: With ``persist``: forget the saved state, the event log and sent mail first.
    fresh: bool = False
    #: With ``persist``: also save this often while running, if something changed.
    save_every_s: float = 30.0
    #: Run as of this date (``make run AS_OF=``): the API, the workers, the jobs and the
    #: demo data share a clock moved to it (the time of day is the real one). None: today.
    as_of: date | None = None
    #: More origins the API answers CORS requests from (``--cors-origin``).
    cors_origins: tuple[str, ...] = ()
    #: Run each function from its built artifact (logical id -> folder, scripts/package.py),
    #: isolated from the development environment, instead of from the source tree.
    artifacts: dict[str, Path] | None = None


def stack_environment(endpoint: Endpoint) -> dict[str, str]:
    """What every function sees: moto as AWS, fake credentials, the region (as in Lambda)."""
    return {
        "AWS_ENDPOINT_URL": endpoint.server_url,
        "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY,
        "AWS_REGION": endpoint.region,
        "AWS_DEFAULT_REGION": endpoint.region,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


def forget_cached_clients() -> None:
    """Functions cache boto3 clients per process; new endpoint, new clients."""
    try:
        from shared.adapters import aws
    except ImportError:
        return
    reset = getattr(aws, "reset_clients", None)
    if callable(reset):
        reset()


def offset_to(as_of: date | None) -> timedelta | None:
    """The clock offset that makes today ``as_of``, at the real time of day."""
    if as_of is None:
        return None
    real = datetime.now(UTC)
    return datetime.combine(as_of, real.time(), tzinfo=UTC) - real


@dataclass(frozen=True)
class _StackClock:
    """``shared.clock`` of the stack's own process (the demo data, the first admin's
    bootstrap) follows the stack's clock."""

    stack: LocalStack

    def now(self) -> datetime:
        return self.stack.now()


class LocalStack:
    """Start with :meth:`start` (or ``with``); :meth:`stop` ends every thread and server."""

    def __init__(self, options: StackOptions | None = None) -> None:
        self.options = options or StackOptions()
        self._exit = ExitStack()
        self._workers: list[Worker] = []
        self.moto: MotoServer | None = None
        self.clients: AwsClients | None = None
        self.provisioned: ProvisionedStack | None = None
        self.runtime: FunctionRuntime | None = None
        self.gateway: GatewayApp | None = None
        self.server: GatewayServer | None = None
        self.seeded: SeedResult | None = None
        self.restored: LoadedState | None = None
        self._info: StackInfo | None = None
        self._started = False
        self._gate = Gate()
        self._save_lock = threading.Lock()
        self._clock_offset = offset_to(self.options.as_of)
        self._api_port = self.options.port
        self._api_socket: socket.socket | None = None

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> LocalStack:
        # Both ports before anything starts: a taken one is a clear error, never a hang.
        ensure_free(HOST, self.options.moto_port, "moto, the emulated AWS")
        # The API's socket is bound now and served once the gateway exists: its address is
        # known before the functions start (links in emails point at it), and no other
        # program (another stack's client connection, say) can take the port meanwhile.
        self._api_socket = bind(HOST, self.options.port, "the API")
        self._api_port = int(self._api_socket.getsockname()[1])
        try:
            endpoint = self._start_moto()
            existing = self._restore()
            self._exit.enter_context(patched_environ(stack_environment(endpoint)))
            self._exit.enter_context(saving_invitations(self.options.state_dir / MAIL_DIR))
            self._exit.enter_context(saving_sent_mail(self.options.state_dir / MAIL_DIR))
            self._exit.enter_context(saving_password_resets(self.options.state_dir / MAIL_DIR))
            self._exit.callback(forget_cached_settings)
            self._exit.callback(forget_cached_clients)
            self._exit.enter_context(use_clock(_StackClock(self)))
            forget_cached_settings()
            forget_cached_clients()
            self.clients = AwsClients(endpoint)
            self._provision(existing)
            self._start_gateway()
            self._start_workers()
            self._info = self._stack_info()
            self._info.write(self.options.state_dir)
            if self.restored is not None:
                self._resume_demo_data(self.restored.meta)
            elif self.options.seed:
                self._seed()
            self._started = True
            if self.options.persist:
                self._start_worker(
                    StateSaver(self._gate, self._save_running, self.options.save_every_s)
                )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop workers, the gateway and moto (then save, with ``persist``); restore the
        environment. Safe to repeat."""
        for worker in self._workers:
            worker.signal_stop()  # all at once, then wait: stopping takes one worker's time
        # One short deadline for all: a worker busy with a long batch is a daemon thread and
        # ends with the process; it must not hold up Ctrl-C (it used to be 5 s per worker).
        deadline = time.monotonic() + WORKERS_STOP_SECONDS
        for worker in self._workers:
            worker.stop(timeout=max(0.0, deadline - time.monotonic()))
        streams = [(w.source.stream_arn, dict(w.handled)) for w in self._stream_workers()]
        self._workers.clear()
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self._api_socket is not None:  # stopped before the gateway served it
            self._api_socket.close()
            self._api_socket = None
        if self.runtime is not None:
            self.runtime.close()
        if self.moto is not None:
            self.moto.stop()
            self.moto = None
        try:
            if self._started and self.options.persist:
                # (a request that was held back by a save finishes; none waits for long)
                with self._gate.alone(timeout=FINAL_SAVE_WAIT_SECONDS):
                    self._save(streams)
        finally:
            self._started = False
            self._exit.close()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ---------------------------------------------------------------- the clock
    @property
    def clock_offset(self) -> timedelta | None:
        """How far the stack's clock is moved from the real one (None: not moved)."""
        return self._clock_offset

    @clock_offset.setter
    def clock_offset(self, offset: timedelta | None) -> None:
        """Move the clock of everything the stack runs: API requests, workers, the jobs
        ``make job`` runs (through ``stack.json``), and this process's ``shared.clock``."""
        self._clock_offset = offset
        if self.runtime is not None:
            self.runtime.clock_offset = offset
        if self._info is not None:
            self._info.clock_offset_s = None if offset is None else offset.total_seconds()
            self._info.write(self.options.state_dir)

    def now(self) -> datetime:
        """The stack's current instant (moved by :attr:`clock_offset`)."""
        return datetime.now(UTC) + (self._clock_offset or timedelta())

    # ---------------------------------------------------------------- accessors
    @property
    def info(self) -> StackInfo:
        if self._info is None:
            raise RuntimeError("the stack is not started")
        return self._info

    @property
    def api(self) -> ApiClient:
        return ApiClient(self.info.api_url)

    # ---------------------------------------------------------------- saved state
    @property
    def state_file(self) -> Path:
        return self.options.state_dir / STATE_FILE

    def _restore(self) -> dict[str, Physical]:
        """Load the saved moto state, if any; returns the resources it holds, by logical id."""
        if not self.options.persist:
            return {}
        if self.options.fresh:
            self._forget_saved_state()
            return {}
        if not self.state_file.exists():
            return {}
        self.restored = load_state(self.state_file)
        meta = self.restored.meta
        if (meta.get("stack_name"), meta.get("region")) != (
            self.options.stack_name,
            self.options.region,
        ):
            raise IncompatibleState(
                f"{self.state_file} holds stack {meta.get('stack_name')} in "
                f"{meta.get('region')}: start clean with `make run FRESH=1`"
            )
        existing = {lid: Physical(**fields) for lid, fields in meta["resources"].items()}
        log.info(
            "resuming from %s, saved %s (%.1f MB, loaded in %.2f s); the template's resources "
            "are kept as saved: a change to one of them needs `make run FRESH=1`",
            self.state_file,
            self.restored.saved_at,
            self.restored.size_bytes / 1e6,
            self.restored.seconds,
        )
        return existing

    def _forget_saved_state(self) -> None:
        state_dir = self.options.state_dir
        self.state_file.unlink(missing_ok=True)
        (state_dir / EVENTS_FILE).unlink(missing_ok=True)
        for mail in (state_dir / MAIL_DIR).glob("*.eml"):
            mail.unlink()
        log.info("starting clean: forgot the saved state, events and mail in %s", state_dir)

    def _save_running(self) -> float:
        """A save while the stack runs (moto's requests held back by the gate)."""
        streams = [(w.source.stream_arn, dict(w.handled)) for w in self._stream_workers()]
        return self._save(streams, quietly=True)

    def _save(self, streams: list[tuple[str, dict[str, int]]], *, quietly: bool = False) -> float:
        with self._save_lock:
            return self._save_now(streams, quietly)

    def _save_now(self, streams: list[tuple[str, dict[str, int]]], quietly: bool) -> float:
        for stream_arn, handled in streams:
            for through in handled.values():
                forget_stream_records(stream_arn, through)
        stack, info = self._provisioned(), self.info
        meta = {
            "stack_name": stack.stack_name,
            "region": stack.region,
            "resources": {
                lid: dataclasses.asdict(physical)
                for lid, physical in stack.resources.items()
                if physical.emulated
            },
            "demo_users": [dataclasses.asdict(user) for user in info.demo_users],
            "demo_data": info.demo_data,
        }
        saved = save_state(self.state_file, meta)
        log.log(
            logging.DEBUG if quietly else logging.INFO,
            "saved the local state to %s (%.1f MB in %.2f s)",
            saved.path,
            saved.size_bytes / 1e6,
            saved.seconds,
        )
        return saved.seconds

    def _resume_demo_data(self, meta: dict[str, Any]) -> None:
        """The demo users and data exist in the restored state; the banner lists them."""
        info = self.info
        info.demo_users = [DemoUser(**user) for user in meta.get("demo_users", [])]
        info.demo_data = dict(meta.get("demo_data", {}))
        info.write(self.options.state_dir)

    def _stream_workers(self) -> list[StreamWorker]:
        return [w for w in self._workers if isinstance(w, StreamWorker)]

    # ---------------------------------------------------------------- steps
    def _start_moto(self) -> Endpoint:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        moto_dynamodb.install()  # before the server serves: constant cost per write, atomic
        moto_events.install()  # rule targets get the whole event (account included)
        self.moto = MotoServer(HOST, self.options.moto_port)
        self.moto.start()
        # Every request through the gate, so that a save while running sees a whole state.
        server: Any = self.moto._server  # moto's werkzeug server, set by start()
        server.app = gated(server.app, self._gate)
        host, port = self.moto.get_host_and_port()
        return Endpoint(f"http://{host}:{port}", self.options.region, ACCOUNT_ID)

    def _provision(self, existing: dict[str, Physical]) -> None:
        template = load_template(
            region=self.options.region,
            account_id=ACCOUNT_ID,
            stack_name=self.options.stack_name,
            overrides={
                **LOCAL_PARAMETERS,
                "AllowedOrigins": ",".join(allowed_origins(self.options.cors_origins)),
                "PublicApiUrl": f"http://{HOST}:{self._api_port}",
                **self.options.parameters,
            },
        )
        self.provisioned = provision(template, self._aws(), self.options.stack_name, existing)
        self.runtime = FunctionRuntime(
            self.provisioned.functions,
            stack_environment(self._aws().endpoint),
            artifacts=self.options.artifacts,
        )
        self.runtime.clock_offset = self._clock_offset
        self.runtime.warm()

    def _start_gateway(self) -> None:
        stack, runtime = self._provisioned(), self._runtime()
        if len(stack.rest_apis) != 1:
            raise ProvisioningError(f"the local gateway serves one REST API, not {stack.rest_apis}")
        api = stack.rest_apis[0]
        setup = GatewaySetup(
            body=api.body,
            api=ApiContext(api.api_id, api.stage, stack.account_id, stack.region, HOST),
            verifiers=self._verifiers(api.body),
            invoke=lambda arn, event: runtime.invoke(runtime.spec_by_arn(arn).logical_id, event),
        )
        self.gateway = GatewayApp(setup)
        listening, self._api_socket = self._api_socket, None
        self.server = GatewayServer(self.gateway, HOST, self._api_port, listening)
        self.server.start()

    def _verifiers(self, body: dict[str, Any]) -> dict[str, CognitoTokenVerifier]:
        """One verifier per Cognito authorizer: the pool's JWKS, issuer, app clients."""
        stack = self._provisioned()
        verifiers = {}
        for name, authorizer in authorizers_of(body).items():
            (pool_arn,) = authorizer.user_pool_arns
            pool_id = pool_arn.rsplit("/", 1)[1]
            audiences = [
                physical.ref
                for physical in stack.resources.values()
                if physical.resource_type == "AWS::Cognito::UserPoolClient"
            ]
            keys = JwksUrlKeys(f"{self._aws().endpoint.server_url}/{pool_id}/.well-known/jwks.json")
            issuer = issuer_of(stack.region, pool_id)
            verifiers[name] = CognitoTokenVerifier(issuer=issuer, audiences=audiences, keys=keys)
        return verifiers

    def _start_workers(self) -> None:
        stack, runtime = self._provisioned(), self._runtime()
        clients = self._aws()
        workers: list[Worker] = [StreamWorker(s, runtime, clients) for s in stack.stream_sources]
        workers += [QueueSourceWorker(q, runtime, clients) for q in stack.queue_sources]
        workers += [RuleDispatchWorker(d, runtime, clients) for d in stack.rule_dispatches]
        if self.options.schedules:
            workers += schedule_workers(stack.schedules, runtime, clients)
        workers.append(self._event_log_worker())
        for worker in workers:
            self._start_worker(worker)

    def _start_worker(self, worker: Worker) -> None:
        worker.start()
        self._workers.append(worker)

    def _event_log_worker(self) -> EventLogWorker:
        """A local-only catch-all rule on every bus -> a queue -> .local/events.jsonl."""
        stack = self._provisioned()
        events = self._aws().events()
        queue = create_queue(self._aws(), f"{stack.stack_name}-local-event-log")
        for bus in self._buses():
            rule = f"{stack.stack_name}-local-event-log"
            pattern = f'{{"account": ["{stack.account_id}"]}}'
            events.put_rule(Name=rule, EventBusName=bus, EventPattern=pattern)
            events.put_targets(
                Rule=rule,
                EventBusName=bus,
                Targets=[{"Id": "event-log", "Arn": queue.attributes["Arn"]}],
            )
        path = self.options.state_dir / EVENTS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.options.persist:
            path.touch()  # the log goes on across restarts
        else:
            path.write_text("", encoding="utf-8")
        (self.options.state_dir / MAIL_DIR).mkdir(parents=True, exist_ok=True)
        return EventLogWorker(queue.ref, path, self._aws())

    def _buses(self) -> list[str]:
        stack = self._provisioned()
        return [
            physical.ref
            for physical in stack.resources.values()
            if physical.resource_type == "AWS::Events::EventBus"
        ]

    def _seed(self) -> None:
        info = self.info
        self.seeded = Seeder(
            api=self.api,
            runtime=self._runtime(),
            clients=self._aws(),
            user_pool_id=info.user_pool_id,
            client_id=info.user_pool_client_id,
            today=self.now().date(),
            password=self.options.demo_password,
        ).run()
        info.demo_users = list(self.seeded.users)
        info.demo_data = self.seeded.as_dict()
        info.write(self.options.state_dir)

    def _stack_info(self) -> StackInfo:
        stack = self._provisioned()
        clients, server = self._aws(), self._server()
        pool = stack.first_of_type("AWS::Cognito::UserPool")
        client = stack.first_of_type("AWS::Cognito::UserPoolClient")
        return StackInfo(
            stack_name=stack.stack_name,
            region=stack.region,
            account_id=stack.account_id,
            moto_url=clients.endpoint.server_url,
            api_url=server.url,
            user_pool_id=stack.ref(pool),
            user_pool_client_id=stack.ref(client),
            table_name=stack.ref(stack.first_of_type("AWS::DynamoDB::Table")),
            event_bus_name=stack.ref(stack.first_of_type("AWS::Events::EventBus")),
            events_log=str(self.options.state_dir / EVENTS_FILE),
            mail_dir=str(self.options.state_dir / MAIL_DIR),
            functions=dict(stack.functions),
            schedules=list(stack.schedules),
            resources={
                logical_id: {
                    "type": p.resource_type,
                    "ref": p.ref,
                    "attributes": p.attributes,
                    "emulated": p.emulated,
                }
                for logical_id, p in stack.resources.items()
            },
            outputs=dict(stack.outputs),
            allowed_origins=allowed_origins(self.options.cors_origins),
            clock_offset_s=None
            if self._clock_offset is None
            else self._clock_offset.total_seconds(),
        )

    def _aws(self) -> AwsClients:
        if self.clients is None:
            raise RuntimeError("moto is not started yet")
        return self.clients

    def _server(self) -> GatewayServer:
        if self.server is None:
            raise RuntimeError("the gateway is not started yet")
        return self.server

    def _provisioned(self) -> ProvisionedStack:
        if self.provisioned is None:
            raise RuntimeError("resources are not provisioned yet")
        return self.provisioned

    def _runtime(self) -> FunctionRuntime:
        if self.runtime is None:
            raise RuntimeError("resources are not provisioned yet")
        return self.runtime
