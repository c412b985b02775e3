"""Demo data, created through the real code paths once the stack is up.

The first national admin comes from ``functions.directory.bootstrap`` (as an operator would
run it); everything else goes through the HTTP API of the running gateway, as the user whose
role may do it: the admin creates affiliates and invites their staff; affiliate staff enroll
their programs and invite program staff. Every demo user gets the same printed password.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from infra.local.aws import AwsClients
from infra.local.http import ApiClient, ApiResponse
from infra.local.identity import login, set_permanent_password
from infra.local.runtime import FunctionRuntime
from infra.local.stackfile import DemoUser

log = logging.getLogger("infra.local.seed")

#: Meets the pool's policy (12+ characters, upper, lower, digit). Local demo data only.
DEMO_PASSWORD = "Mentor-Demo-2026"  # noqa: S105 - a published demo password
DIRECTORY_MODULE = "functions.directory."


class SeedError(RuntimeError):
    """A step of the demo data failed; the message says which request and what came back."""


@dataclass(frozen=True)
class PersonSeed:
    email: str
    name: str


@dataclass(frozen=True)
class AffiliateSeed:
    key: str
    name: str
    state: str
    time_zone: str
    contact_email: str
    staff: PersonSeed


@dataclass(frozen=True)
class ProgramSeed:
    key: str
    name: str
    primary: str  # affiliate key
    matching_since: Callable[[date], date]
    contact: dict[str, str]
    secondary: tuple[str, ...] = ()
    staff: PersonSeed | None = None


ADMIN = PersonSeed("admin@mentor-national.example", "Nadia National")

AFFILIATES = (
    AffiliateSeed(
        "va",
        "MENTOR Virginia",
        "VA",
        "America/New_York",
        "hello@mentor-va.example",
        PersonSeed("staff@mentor-va.example", "Vera Virginia"),
    ),
    AffiliateSeed(
        "ne",
        "MENTOR Nebraska",
        "NE",
        "America/Chicago",
        "hello@mentor-ne.example",
        PersonSeed("staff@mentor-ne.example", "Ned Nebraska"),
    ),
)

PROGRAMS = (
    ProgramSeed(
        "richmond",
        "Richmond Youth Mentoring",
        "va",
        lambda today: date(2014, 9, 1),
        {"name": "Rita Reyes", "email": "rita@richmond-mentoring.example", "phone": "804-555-0100"},
        staff=PersonSeed("coordinator@richmond-mentoring.example", "Rita Reyes"),
    ),
    ProgramSeed(
        "arlington",
        "Arlington Bridges (new)",
        "va",
        lambda today: today - timedelta(days=120),  # younger than a year
        {"name": "Ari Brooks", "email": "ari@arlington-bridges.example", "phone": "703-555-0101"},
    ),
    ProgramSeed(
        "omaha",
        "Omaha Mentoring Partnership",
        "ne",
        lambda today: date(2011, 2, 15),
        {"name": "Omar Hale", "email": "omar@omaha-mentoring.example", "phone": "402-555-0102"},
        secondary=("va",),
        staff=PersonSeed("coordinator@omaha-mentoring.example", "Omar Hale"),
    ),
)


@dataclass
class SeedResult:
    users: list[DemoUser] = field(default_factory=list)
    affiliates: dict[str, str] = field(default_factory=dict)  # key -> affiliate_id
    programs: dict[str, str] = field(default_factory=dict)  # key -> program_id

    def as_dict(self) -> dict[str, Any]:
        return {"affiliates": dict(self.affiliates), "programs": dict(self.programs)}


class Seeder:
    """Creates the demo data step by step; each step raises :class:`SeedError` on failure."""

    def __init__(
        self,
        *,
        api: ApiClient,
        runtime: FunctionRuntime,
        clients: AwsClients,
        user_pool_id: str,
        client_id: str,
        today: date,
        password: str = DEMO_PASSWORD,
    ) -> None:
        self.api = api
        self.runtime = runtime
        self.clients = clients
        self.user_pool_id = user_pool_id
        self.client_id = client_id
        self.today = today
        self.password = password
        self.result = SeedResult()
        self._tokens: dict[str, str] = {}

    def run(self) -> SeedResult:
        admin = self.bootstrap_admin()
        for affiliate in AFFILIATES:
            self.create_affiliate(admin, affiliate)
        for program in PROGRAMS:
            self.enroll_program(program)
        return self.result

    # ---------------------------------------------------------------- steps
    def bootstrap_admin(self) -> str:
        """``python -m functions.directory.bootstrap`` semantics, in the directory's environment."""
        from functions.directory.bootstrap import create_national_admin

        with self.runtime.environment_of(self._directory_function()):
            user_id = create_national_admin(ADMIN.email, ADMIN.name)
        return self._activate(ADMIN, "national-staff", user_id)

    def create_affiliate(self, admin_token: str, affiliate: AffiliateSeed) -> None:
        body = {
            "name": affiliate.name,
            "state": affiliate.state,
            "time_zone": affiliate.time_zone,
            "contact_email": affiliate.contact_email,
        }
        created = self._created(admin_token, "/affiliates", body)
        affiliate_id = str(created["affiliate_id"])
        self.result.affiliates[affiliate.key] = affiliate_id
        member = self._created(
            admin_token, f"/affiliates/{affiliate_id}/members", _person(affiliate.staff)
        )
        self._activate(affiliate.staff, "affiliate-staff", str(member["user_id"]))

    def enroll_program(self, program: ProgramSeed) -> None:
        staff_token = self._tokens[_affiliate(program.primary).staff.email]
        body = {
            "name": program.name,
            "contact": program.contact,
            "matching_since": program.matching_since(self.today).isoformat(),
            "primary_affiliate_id": self.result.affiliates[program.primary],
            "secondary_affiliate_ids": [self.result.affiliates[k] for k in program.secondary],
        }
        program_id = str(self._created(staff_token, "/programs", body)["program_id"])
        self.result.programs[program.key] = program_id
        if program.staff is not None:
            path = f"/programs/{program_id}/members"
            member = self._created(staff_token, path, _person(program.staff))
            self._activate(program.staff, "program-staff", str(member["user_id"]))

    # ---------------------------------------------------------------- helpers
    def _activate(self, person: PersonSeed, role: str, user_id: str) -> str:
        """Give the invited user the demo password, log in; returns the ID token."""
        set_permanent_password(self.clients, self.user_pool_id, person.email, self.password)
        token = login(self.clients, self.client_id, person.email, self.password)
        self._tokens[person.email] = token
        self.result.users.append(DemoUser(person.email, person.name, role, self.password, user_id))
        return token

    def _created(self, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.api.as_user(token).post(path, body)
        if response.status != 201:
            raise SeedError(f"POST {path} answered {response.status}: {_excerpt(response)}")
        created: dict[str, Any] = response.json
        return created

    def _directory_function(self) -> str:
        for function in self.runtime.functions.values():
            if function.handler.startswith(DIRECTORY_MODULE):
                return function.logical_id
        raise SeedError("the template has no function with a functions.directory handler")


def _person(person: PersonSeed) -> dict[str, str]:
    return {"email": person.email, "name": person.name}


def _affiliate(key: str) -> AffiliateSeed:
    return next(a for a in AFFILIATES if a.key == key)


def _excerpt(response: ApiResponse) -> str:
    return response.body[:500].decode("utf-8", "replace")
