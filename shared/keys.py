"""Keys of the single table: typed prefixes, one function per record kind.

Tenant ids in keys come from the verified caller or a record it may see, never from a body.
"""

from __future__ import annotations

Key = dict[str, str]

GSI1 = "gsi1"


def affiliate(affiliate_id: str) -> Key:
    return {"pk": f"AFFILIATE#{affiliate_id}", "sk": "AFFILIATE"}


def affiliate_name_guard(name: str) -> Key:
    """Makes affiliate names unique (case-insensitive)."""
    return {"pk": f"AFFILIATE_NAME#{name.strip().casefold()}", "sk": "GUARD"}


AFFILIATES_INDEX_PK = "AFFILIATES"


def program(program_id: str) -> Key:
    return {"pk": f"PROGRAM#{program_id}", "sk": "PROGRAM"}


def program_service(program_id: str, affiliate_id: str) -> Key:
    """The link 'affiliate serves program' (primary or secondary), indexed by affiliate."""
    return {"pk": f"PROGRAM#{program_id}", "sk": f"SERVED_BY#{affiliate_id}"}


def programs_of_affiliate_index_pk(affiliate_id: str) -> str:
    return f"AFFILIATE#{affiliate_id}#PROGRAMS"


def user_partition(user_id: str) -> str:
    return f"USER#{user_id}"


MEMBER_PREFIX = "MEMBER#"


def membership(user_id: str, scope: str, scope_id: str | None) -> Key:
    suffix = scope.upper() if scope_id is None else f"{scope.upper()}#{scope_id}"
    return {"pk": user_partition(user_id), "sk": MEMBER_PREFIX + suffix}


INVITATION_PREFIX = "INVITATION#"


def invitation(user_id: str, scope: str, scope_id: str) -> Key:
    """An invitation of an existing account to a tenant: in the holder's partition, beside
    (not among) its memberships, so it gives no access until accepted; one per tenant."""
    return {"pk": user_partition(user_id), "sk": f"{INVITATION_PREFIX}{scope.upper()}#{scope_id}"}


def members_index_pk(scope: str, scope_id: str) -> str:
    return f"{scope.upper()}#{scope_id}#MEMBERS"


def audit_partition(scope: str, scope_id: str, day: str) -> str:
    """Audit entries per tenant and day: bounded partitions, read back by day."""
    return f"AUDIT#{scope.upper()}#{scope_id}#{day}"


OUTBOX_PENDING_INDEX = "outbox-pending"

#: Key attribute names (partition, sort) of each secondary index of the template's table.
INDEX_KEYS: dict[str, tuple[str, str]] = {
    GSI1: ("gsi1pk", "gsi1sk"),
    OUTBOX_PENDING_INDEX: ("outbox_pending", "occurred_at"),
}


# --------------------------------------------------------------------------- assessment
def cycle(cycle_id: str) -> Key:
    """The cycle record; its answers share the partition, so one query reads both."""
    return {"pk": f"CYCLE#{cycle_id}", "sk": "CYCLE"}


def cycle_partition(cycle_id: str) -> str:
    return f"CYCLE#{cycle_id}"


ANSWER_PREFIX = "ANSWER#"


def answer(cycle_id: str, item_key: str) -> Key:
    return {"pk": f"CYCLE#{cycle_id}", "sk": ANSWER_PREFIX + item_key}


def current_cycle_guard(program_id: str) -> Key:
    """At most one current cycle per program: written in the transaction that opens one."""
    return {"pk": f"PROGRAM#{program_id}", "sk": "CURRENT_CYCLE"}


def cycles_of_program_index_pk(program_id: str) -> str:
    return f"PROGRAM#{program_id}#CYCLES"


def instrument_version(instrument_key: str, version: int) -> Key:
    return {"pk": f"INSTRUMENT#{instrument_key}", "sk": f"VERSION#{version:05d}"}


def instrument_partition(instrument_key: str) -> str:
    return f"INSTRUMENT#{instrument_key}"


# ---- evidence
EVIDENCE_PREFIX = "EVIDENCE#"


def evidence_partition(program_id: str) -> str:
    """Evidence documents live in their program's partition: one query lists them."""
    return f"PROGRAM#{program_id}"


def evidence(program_id: str, document_id: str) -> Key:
    return {"pk": evidence_partition(program_id), "sk": EVIDENCE_PREFIX + document_id}
