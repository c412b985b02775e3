"""The badge issuer: consumes ``PlanFinalized`` and ``GoalVerified`` and issues what a cycle has
earned, Step 1 and then Step 2 (``rules.earned_levels``).

An event only says which cycle to look at: the issuer re-reads the facts (the cycle, its
plan's goals), so an event delivered three times, late or out of order issues each badge
once. Each badge has a deterministic id and is created conditionally, in one transaction
with its due dates, its ``BadgeIssued`` event and the inbox record of the event
(``shared.consumers.Inbox``): a repeated delivery is a no-op, and two racing deliveries
create one badge. A new Step 1 supersedes the badges of the program's earlier cycles. The
program's listing in the partner directory follows in the same transaction.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from functions.badge import listing, records, store
from functions.badge.records import StoredBadge
from functions.badge.rules import CycleAchievements, Level, badge_id, earned_levels, valid_until
from shared import clock
from shared.adapters.signing import KmsSigner
from shared.adapters.table import Table, UnitOfWork
from shared.errors import AlreadyExists
from shared.events import Envelope
from shared.events.badge import BadgeIssued, BadgeSuperseded
from shared.settings import BadgeLinkKeySettings, get_settings
from shared.store import cycles
from shared.store.affiliates import AffiliateRecord
from shared.store.cycles import CycleRecord
from shared.store.plan_goals import goals_of_cycle
from shared.store.programs import ProgramRecord, require_program

CONSUMER = "badge-issuer"
Record = records.Record


def link_signer() -> KmsSigner:
    return KmsSigner(get_settings(BadgeLinkKeySettings).badge_link_key_id, "ES256")


#: Keys this process has seen published: it neither reads nor writes them again.
_published_here: set[str] = set()


def publish_key(table: Table, signer: KmsSigner) -> str:
    """Keep the signer's public key where verification reads it (once per key); its kid."""
    jwk = signer.public_jwk()
    if jwk["kid"] in _published_here:
        return jwk["kid"]
    if not store.signing_key_published(table, jwk["kid"]):
        uow = table.unit_of_work()
        store.publish_signing_key(uow, jwk)
        with contextlib.suppress(AlreadyExists):  # another issuer published it meanwhile
            uow.commit()
    _published_here.add(jwk["kid"])
    return jwk["kid"]


def cycle_facts(table: Table, cycle: CycleRecord) -> CycleAchievements:
    """What earning a badge depends on, read from the table (never from an event)."""
    verified = sum(1 for g in goals_of_cycle(table, cycle.cycle_id) if g.verified)
    return CycleAchievements(
        submitted=bool(cycle.submitted_at),
        review_date=cycle.review_date,
        plan_finalized=bool(cycle.plan_finalized_at),
        verified_goals=verified,
    )


def issue_earned(
    table: Table, uow: UnitOfWork, cycle_id: str, signer: KmsSigner, correlation_id: str
) -> list[str]:
    """Add to ``uow`` every badge ``cycle_id`` has earned and does not hold yet; their ids.
    Their events carry ``correlation_id`` (the triggering event's)."""
    cycle = cycles.read(table, cycle_id)
    if cycle is None:
        return []
    earned = earned_levels(cycle_facts(table, cycle))
    held = {b.level for b in store.badges(table, [badge_id(cycle_id, e) for e in earned])}
    missing = [level for level in earned if level not in held]
    if not missing:
        return []
    program = require_program(table, cycle.program_id)
    affiliate = store.issuing_affiliate(table, program.primary_affiliate_id)
    publish_key(table, signer)
    context = _Context(cycle, correlation_id)
    issued = [_issue(uow, signer, level, context, program, affiliate) for level in missing]
    stored = listing.stored_badges(table, program.program_id)
    changed = [b.item for b in issued]
    if Level.STEP_1 in missing:
        changed += _supersede_earlier(uow, context, stored, issued[0].badge_id)
    listing.keep_listed(uow, program.program_id, listing.as_left(stored, changed))
    return [b.badge_id for b in issued]


@dataclass(frozen=True)
class _Context:
    cycle: CycleRecord
    correlation_id: str

    def event(self, data: BadgeIssued | BadgeSuperseded) -> Envelope:
        return records.badge_event(self.cycle.item, data, self.correlation_id)


def _issue(
    uow: UnitOfWork,
    signer: KmsSigner,
    level: Level,
    context: _Context,
    program: ProgramRecord,
    affiliate: AffiliateRecord,
) -> StoredBadge:
    cycle = context.cycle
    bid = badge_id(cycle.cycle_id, level)
    if cycle.review_date is None:  # earned_levels issues nothing before the review date
        raise ValueError(f"cycle {cycle.cycle_id} has no review date")
    until = valid_until(cycle.review_date)
    token = signer.token(records.link_claims(bid, program.program_id, level))
    now = clock.now_iso()
    badge = uow.create(
        records.badge_record(
            badge_id=bid,
            level=level,
            cycle=cycle.item,
            program=program.item,
            affiliate=affiliate.item,
            valid_until=until,
            issued_at=now,
            verify_token=token,
        ),
        what="Badge",
    )
    for due in records.due_records(bid, until, clock.now().date()):
        uow.create(due, what="Badge due date")
    uow.emit(
        context.event(
            BadgeIssued(
                badge_id=bid,
                program_id=program.program_id,
                cycle_id=cycle.cycle_id,
                level=level.value,
                valid_until=until,
            )
        )
    )
    return StoredBadge.from_item(badge)


def _supersede_earlier(
    uow: UnitOfWork, context: _Context, stored: list[StoredBadge], step_one: str
) -> list[Record]:
    """The program's badges of earlier cycles, not revoked or superseded yet, are replaced;
    the replaced records."""
    cycle = context.cycle
    replaced = []
    for held in stored:
        if held.cycle_id == cycle.cycle_id or held.revoked or held.superseded:
            continue
        replaced.append(store.save_badge(uow, held, {"superseded_by": step_one}))
        uow.emit(
            context.event(
                BadgeSuperseded(
                    badge_id=held.badge_id, program_id=cycle.program_id, superseded_by=step_one
                )
            )
        )
    return replaced
