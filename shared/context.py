"""The context of one use case: who calls, which operation, the correlation id.

Pure. Logic calls :meth:`Context.authorize` with the caller's relations to the target; the
API layer refuses any successful response for which no access decision was made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared.access import Relation, decide
from shared.errors import Forbidden, NotFound, Unauthenticated
from shared.events import Actor
from shared.identity import Caller


@dataclass
class Context:
    caller: Caller
    operation_id: str
    correlation_id: str
    access_decided: bool = False

    @property
    def actor(self) -> Actor:
        if self.caller.user_id is None:
            return Actor(kind="system")
        return Actor(kind="user", user_id=self.caller.user_id)

    def authorize(self, relations: Iterable[Relation], *, what: str | None = None) -> None:
        """Allow or refuse this operation for the caller's relations to the target.

        With ``what`` (a tenant's object, e.g. "Program"), a refusal is a 404 that looks
        exactly like a missing object; without it (no tenant object involved), a 403.
        """
        self.access_decided = True
        if decide(self.operation_id, self.caller.roles, relations):
            return
        if self.caller.is_anonymous:
            raise Unauthenticated("A valid bearer token is required.")
        if what is not None:
            raise NotFound(f"{what} not found.")
        raise Forbidden("Your role may not perform this operation.")


def system_context(operation_id: str, correlation_id: str, caller: Caller) -> Context:
    """A context for commands run outside HTTP (bootstrap, seed, jobs)."""
    return Context(caller=caller, operation_id=operation_id, correlation_id=correlation_id)
