"""Who may call what: one table, one pure decision function, deny by default.

The table is assembled here from one part per service (``shared/access/<service>.py``, each
exporting its ``ACCESS`` rules and ``ACTIONS`` phrases, optionally ``READ_OPERATION`` and
``NOT_AUDITED``; the vocabulary is ``shared/access/rules.py``): a service edits its own file,
and a new one adds its file and one line in :data:`PARTS`. An operation defined by two parts
fails the import (``shared.registry.merge``) and a test.

Every OpenAPI operation (by ``operationId``) has an entry that names, for every role, the
relations to the target that allow the call. A relation is computed from the caller's
membership records and the target record (a program's affiliates, an affiliate id), never
from the request body. An operation without an entry, or a role not listed, is denied; a test
fails when an operation of the OpenAPI document has no entry for some role.

The rules, decided (issue #7):

- **Confidential results** (a program's cycles, answers, readiness, comparisons, evidence) are
  read by the program's own staff, staff of an affiliate serving the program, and national
  staff with the explicit *results* grant. The results grant only reads: it never opens,
  answers, submits, returns or uploads anything.
- **Every read of confidential results is audited**, one entry per request (a page of a list
  is one entry): :data:`AUDITED_READS` is every operation the results grant may call, except
  the directory records named in :data:`_DIRECTORY_READS`, so a new results read is audited by
  default. The API layer refuses to answer 2xx for one of them without an audit entry. The
  409 of ``saveAnswer`` (it shows a colleague's answer) is audited too.
- **403 or 404.** When the table refuses a call, the caller is asked a second question: may it
  read the target (the program, cycle or affiliate, per :data:`READ_OPERATION`)? If yes, the
  answer is 403 naming the missing permission (``missing_permission``: the operation id;
  ``required``: the relations that would allow it). If not, 404, exactly like a missing
  object, so nobody learns what exists outside their tenancy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import ModuleType

from shared.access import aggregates, assessment, badge, directory, notify, plan, report, review
from shared.access.rules import ALL_ROLES, R
from shared.access.rules import DENY as DENY  # re-exported: callers import them from here
from shared.access.rules import Relation as Relation
from shared.access.rules import Rule as Rule
from shared.identity import Caller, Grant, Role
from shared.registry import merge

#: Each service's part (shared/access/<service>.py); a new service adds its module here.
PARTS: Mapping[str, ModuleType] = {
    "directory": directory,
    "assessment": assessment,
    "review": review,
    "badge": badge,
    "plan": plan,
    "notify": notify,
    "report": report,
    "aggregates": aggregates,
}

#: operationId -> role -> relations that allow it. Empty means denied for that role.
ACCESS: Mapping[str, Rule] = merge(
    "access rule", {name: part.ACCESS for name, part in PARTS.items()}
)

#: What each operation does, for the detail of a 403 ("... may not <action>").
ACTIONS: Mapping[str, str] = merge(
    "action phrase", {name: part.ACTIONS for name, part in PARTS.items()}
)

#: Reads open to the results grant that return directory records (names, contacts), not a
#: program's results: not audited as confidential reads.
_NOT_AUDITED: frozenset[str] = frozenset().union(
    *(getattr(part, "NOT_AUDITED", frozenset()) for part in PARTS.values())
)

#: Operations that return confidential results: each writes one audit entry per request.
AUDITED_READS: frozenset[str] = (
    frozenset(
        operation_id
        for operation_id, rule in ACCESS.items()
        if R.NATIONAL_RESULTS in rule.get(Role.NATIONAL_STAFF, DENY)
    )
    - _NOT_AUDITED
)

#: The kind of target (the ``what`` of a refusal) -> the operation that reads it: whoever may
#: call that one may know the target exists, so a refusal of another operation is a 403.
READ_OPERATION: Mapping[str, str] = merge(
    "read operation",
    {name: getattr(part, "READ_OPERATION", {}) for name, part in PARTS.items()},
)

_ROLE_NAMES = {
    Role.PROGRAM_STAFF: "program staff",
    Role.AFFILIATE_STAFF: "affiliate staff",
    Role.NATIONAL_STAFF: "national staff",
    Role.ANONYMOUS: "anonymous callers",
}

_RELATION_NAMES = {
    R.ANYONE: "anyone",
    R.SIGNED_IN: "any signed-in user",
    R.PROGRAM_MEMBER: "the program's own staff",
    R.SERVING_AFFILIATE_STAFF: "affiliate staff serving the program",
    R.AFFILIATE_STAFF: "the affiliate's own staff",
    R.NATIONAL_ADMIN: "national staff with the admin grant",
    R.NATIONAL_RESULTS: "national staff with the results grant",
}


def decide(operation_id: str, roles: Iterable[Role], relations: Iterable[Relation]) -> bool:
    """True when one of the caller's roles allows the operation through one of its relations."""
    rule = ACCESS.get(operation_id)
    if rule is None:
        return False
    held = frozenset(relations)
    return any(rule.get(role, DENY) & held for role in roles)


def may_read(what: str, roles: Iterable[Role], relations: Iterable[Relation]) -> bool:
    """Whether the caller may read the target (a ``what`` with no read operation: no)."""
    read = READ_OPERATION.get(what)
    return read is not None and decide(read, roles, relations)


def required_relations(operation_id: str) -> list[Relation]:
    """The relations that allow an operation, for any role, in the order of :class:`Relation`."""
    rule = ACCESS.get(operation_id, {})
    allowed = frozenset().union(*rule.values()) if rule else DENY
    return [relation for relation in Relation if relation in allowed]


def refusal_detail(operation_id: str, roles: Iterable[Role]) -> str:
    """What a 403 says: who may not do what, and who may (e.g. "Program staff may not return
    an assessment; this needs affiliate staff serving the program.")."""
    names = [_ROLE_NAMES[role] for role in sorted(roles)] or ["callers without a role"]
    who = " and ".join(names)
    action = ACTIONS.get(operation_id, f"call {operation_id}")
    needed = [_RELATION_NAMES[relation] for relation in required_relations(operation_id)]
    if not needed:
        return f"{who[0].upper()}{who[1:]} may not {action}."
    allowed = needed[0] if len(needed) == 1 else ", ".join(needed[:-1]) + " or " + needed[-1]
    return f"{who[0].upper()}{who[1:]} may not {action}; this needs {allowed}."


def roles_without_entry(operation_id: str) -> list[Role]:
    """The roles an operation's entry does not decide for (a test keeps this empty)."""
    rule = ACCESS.get(operation_id, {})
    return [role for role in ALL_ROLES if role not in rule]


def base_relations(caller: Caller) -> set[Relation]:
    """Relations every target shares: being signed in, national grants."""
    held = {Relation.ANYONE}
    if caller.is_anonymous:
        return held
    held.add(Relation.SIGNED_IN)
    grants = caller.national_grants
    if Role.NATIONAL_STAFF in caller.roles:
        if Grant.ADMIN in grants:
            held.add(Relation.NATIONAL_ADMIN)
        if Grant.RESULTS in grants:
            held.add(Relation.NATIONAL_RESULTS)
    return held


def relations_to_program(
    caller: Caller, program_id: str, affiliate_ids: Iterable[str]
) -> frozenset[Relation]:
    held = base_relations(caller)
    if program_id in caller.program_ids:
        held.add(Relation.PROGRAM_MEMBER)
    if caller.affiliate_ids & frozenset(affiliate_ids):
        held.add(Relation.SERVING_AFFILIATE_STAFF)
    return frozenset(held)


def relations_to_affiliate(caller: Caller, affiliate_id: str) -> frozenset[Relation]:
    held = base_relations(caller)
    if affiliate_id in caller.affiliate_ids:
        held.add(Relation.AFFILIATE_STAFF)
    return frozenset(held)


def relations_in_general(caller: Caller) -> frozenset[Relation]:
    return frozenset(base_relations(caller))
