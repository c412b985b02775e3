"""Keys of the badge service: badges, their due dates (expiry and notices), signing keys.

A badge is its own partition (``BADGE#<badge id>``) with the badge record and one small
record per date the expiry job must act on (``DUE#<day>#<kind>``): those carry the sparse
``gsi1`` partition ``BADGES-DUE#<day>``, so the job reads the badges due on a day with one
query, however many badges exist, and deletes each record when it has acted on it.
"""

from __future__ import annotations

from shared.keys.base import Key

BADGE_DUE_PREFIX = "DUE#"


def badge(badge_id: str) -> Key:
    return {"pk": f"BADGE#{badge_id}", "sk": "BADGE"}


def badges_of_program_index_pk(program_id: str) -> str:
    """A program's badges in ``gsi1``, newest first by issue time."""
    return f"BADGES#{program_id}"


def badge_due(badge_id: str, day: str, kind: str) -> Key:
    """What the expiry job does for a badge on ``day`` (``expire``, ``notice-90``, ...)."""
    return {"pk": f"BADGE#{badge_id}", "sk": f"{BADGE_DUE_PREFIX}{day}#{kind}"}


def badges_due_index_pk(day: str) -> str:
    return f"BADGES-DUE#{day}"


#: The public keys that signed badge links and credentials (JWKs by kid), kept forever: a
#: link signed before a key rotation still verifies, and verifying never calls KMS.
SIGNING_KEYS_PARTITION = "SIGNING-KEYS"


def signing_key(kid: str) -> Key:
    return {"pk": SIGNING_KEYS_PARTITION, "sk": kid}


def issuer_revocations(affiliate_id: str) -> str:
    """The partition of an issuer's (an affiliate's) revoked badges: its public revocation
    list is one query of it."""
    return f"REVOKED#{affiliate_id}"


def issuer_revocation(affiliate_id: str, badge_id: str) -> Key:
    return {"pk": issuer_revocations(affiliate_id), "sk": badge_id}


def badge_expiry_job() -> Key:
    """The last day the expiry job has done, so a missed day is caught up on the next run."""
    return {"pk": "JOB#badge-expiry", "sk": "LAST-DAY"}


#: The partner directory of programs holding a valid badge: per program, one small listing
#: record per way partners look them up (everyone, each serving affiliate, the state), each
#: in the sparse ``gsi1`` partition ``QUALITY-PROGRAMS#<scope>`` while the program is listed.
LISTED_EVERYWHERE = "ALL"


def listing_scope_of_affiliate(affiliate_id: str) -> str:
    return f"AFFILIATE#{affiliate_id}"


def listing_scope_of_state(state: str) -> str:
    return f"STATE#{state}"


def program_listing_partition(program_id: str) -> str:
    """The partition of a program's listing records (one per directory scope)."""
    return f"LISTING#{program_id}"


def quality_listing(program_id: str, scope: str) -> Key:
    return {"pk": program_listing_partition(program_id), "sk": scope}


def quality_programs_index_pk(scope: str) -> str:
    return f"QUALITY-PROGRAMS#{scope}"
