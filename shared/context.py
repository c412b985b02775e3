"""The context of one use case: who calls, which operation, the correlation id.

Pure. Logic calls :meth:`Context.authorize` with the caller's relations to the target; the
API layer refuses any successful response for which no access decision was made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from shared.access import Relation, decide, may_read, refusal_detail, required_relations
from shared.errors import Forbidden, NotFound, Unauthenticated
from shared.events import Actor
from shared.identity import Caller


@dataclass
class Context:
    caller: Caller
    operation_id: str
    correlation_id: str
    access_decided: bool = False
    read_audited: bool = False  # an audit entry of a read or export was made (shared.store.audit)

    @property
    def actor(self) -> Actor:
        if self.caller.user_id is None:
            return Actor(kind="system")
        return Actor(kind="user", user_id=self.caller.user_id)

    def authorize(
        self,
        relations: Iterable[Relation],
        *,
        what: str | None = None,
        exists: bool | Callable[[], bool] = True,
    ) -> None:
        """Allow or refuse this operation for the caller's relations to the target.

        With ``what`` (a tenant's object, e.g. "Program"), a refusal is a 404 that looks
        exactly like a missing object, unless the caller may read that object and it
        ``exists`` (a flag, or a check run only then): then it is a 403 naming the missing
        permission. Without ``what`` (no tenant object involved), a refusal is a 403.
        """
        self.access_decided = True
        held = frozenset(relations)
        roles = self.caller.roles
        if decide(self.operation_id, roles, held):
            return
        if self.caller.is_anonymous:
            raise Unauthenticated("A valid bearer token is required.")
        if what is not None and not (
            may_read(what, roles, held) and (exists() if callable(exists) else exists)
        ):
            raise NotFound(f"{what} not found.")
        raise Forbidden(
            refusal_detail(self.operation_id, roles),
            missing_permission=self.operation_id,
            required=[relation.value for relation in required_relations(self.operation_id)],
        )


def system_context(operation_id: str, correlation_id: str, caller: Caller) -> Context:
    """A context for commands run outside HTTP (bootstrap, seed, jobs)."""
    return Context(caller=caller, operation_id=operation_id, correlation_id=correlation_id)
