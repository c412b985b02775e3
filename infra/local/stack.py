"""The whole local stack in one process: moto server, resources, gateway, workers, demo data.

    with LocalStack(StackOptions(port=0, moto_port=0)) as stack:
        stack.info.api_url  # http://127.0.0.1:PORT

``start`` sets the process environment the functions need (``AWS_ENDPOINT_URL`` pointing at
moto, fake credentials, region) and ``stop`` puts back exactly what was there, so tests that
use moto's in-process ``mock_aws`` afterwards are unaffected.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from moto.server import ThreadedMotoServer

from infra.local import moto_dynamodb
from infra.local.authorizer import CognitoTokenVerifier, JwksUrlKeys, issuer_of
from infra.local.aws import ACCOUNT_ID, FAKE_ACCESS_KEY, FAKE_SECRET_KEY, AwsClients, Endpoint
from infra.local.gateway import GatewayApp, GatewayServer, GatewaySetup
from infra.local.http import ApiClient
from infra.local.proxy import ApiContext
from infra.local.resources import ProvisionedStack, ProvisioningError, create_queue, provision
from infra.local.routes import authorizers_of
from infra.local.runtime import FunctionRuntime, forget_cached_settings, patched_environ
from infra.local.seed import DEMO_PASSWORD, Seeder, SeedResult
from infra.local.stackfile import EVENTS_FILE, MAIL_DIR, STATE_DIR, StackInfo
from infra.local.template import load_template
from infra.local.workers import (
    EventLogWorker,
    QueueSourceWorker,
    RuleDispatchWorker,
    StreamWorker,
    Worker,
    schedule_workers,
)

log = logging.getLogger("infra.local")

HOST = "127.0.0.1"


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


def stack_environment(endpoint: Endpoint) -> dict[str, str]:
    """What every function sees: moto as AWS, fake credentials, the region (as in Lambda)."""
    return {
        "AWS_ENDPOINT_URL": endpoint.url,
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


class LocalStack:
    """Start with :meth:`start` (or ``with``); :meth:`stop` ends every thread and server."""

    def __init__(self, options: StackOptions | None = None) -> None:
        self.options = options or StackOptions()
        self._exit = ExitStack()
        self._workers: list[Worker] = []
        self.moto: ThreadedMotoServer | None = None
        self.clients: AwsClients | None = None
        self.provisioned: ProvisionedStack | None = None
        self.runtime: FunctionRuntime | None = None
        self.gateway: GatewayApp | None = None
        self.server: GatewayServer | None = None
        self.seeded: SeedResult | None = None
        self._info: StackInfo | None = None

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> LocalStack:
        try:
            endpoint = self._start_moto()
            self._exit.enter_context(patched_environ(stack_environment(endpoint)))
            self._exit.callback(forget_cached_settings)
            self._exit.callback(forget_cached_clients)
            forget_cached_settings()
            forget_cached_clients()
            self.clients = AwsClients(endpoint)
            self._provision()
            self._start_gateway()
            self._start_workers()
            self._info = self._stack_info()
            self._info.write(self.options.state_dir)
            if self.options.seed:
                self._seed()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop workers, the gateway and moto; restore the environment. Safe to repeat."""
        for worker in self._workers:
            worker.signal_stop()  # all at once, then wait: stopping takes one worker's time
        for worker in self._workers:
            worker.stop()
        self._workers.clear()
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.moto is not None:
            self.moto.stop()
            self.moto = None
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

    # ---------------------------------------------------------------- accessors
    @property
    def info(self) -> StackInfo:
        if self._info is None:
            raise RuntimeError("the stack is not started")
        return self._info

    @property
    def api(self) -> ApiClient:
        return ApiClient(self.info.api_url)

    # ---------------------------------------------------------------- steps
    def _start_moto(self) -> Endpoint:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        moto_dynamodb.install()  # before the server serves: constant cost per write, atomic
        self.moto = ThreadedMotoServer(ip_address=HOST, port=self.options.moto_port, verbose=False)
        self.moto.start()
        host, port = self.moto.get_host_and_port()
        return Endpoint(f"http://{host}:{port}", self.options.region, ACCOUNT_ID)

    def _provision(self) -> None:
        template = load_template(
            region=self.options.region,
            account_id=ACCOUNT_ID,
            stack_name=self.options.stack_name,
            overrides=self.options.parameters,
        )
        self.provisioned = provision(template, self._aws(), self.options.stack_name)
        self.runtime = FunctionRuntime(self.provisioned.functions)

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
        self.server = GatewayServer(self.gateway, HOST, self.options.port)
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
            keys = JwksUrlKeys(f"{self._aws().endpoint.url}/{pool_id}/.well-known/jwks.json")
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
        from shared.clock import now

        self.seeded = Seeder(
            api=self.api,
            runtime=self._runtime(),
            clients=self._aws(),
            user_pool_id=info.user_pool_id,
            client_id=info.user_pool_client_id,
            today=now().date(),
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
            moto_url=clients.endpoint.url,
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
