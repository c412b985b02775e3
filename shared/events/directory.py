"""Events of the directory service (affiliates, programs, members, invitations)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from shared.events.base import Catalogue, EventData, catalogue


class AffiliateCreated(EventData):
    affiliate_id: str


class ProgramEnrolled(EventData):
    program_id: str
    primary_affiliate_id: str
    secondary_affiliate_ids: list[str]
    matching_since: date


class MemberInvited(EventData):
    user_id: str
    role: Literal["program-staff", "affiliate-staff", "national-staff"]
    scope: Literal["program", "affiliate", "national"]
    scope_id: str | None
    new_user: bool


class InvitationCreated(EventData):
    """An existing account was invited to a tenant: nothing is effective until it accepts."""

    invitation_id: str
    user_id: str
    role: Literal["program-staff", "affiliate-staff"]
    scope: Literal["program", "affiliate"]
    scope_id: str


class InvitationAccepted(InvitationCreated):
    """The holder accepted: the membership is effective from now on."""


class InvitationDeclined(InvitationCreated):
    """The holder declined: no membership."""


class MemberRemoved(EventData):
    """A member was taken off a program or an affiliate: its access ended with this change,
    and its sessions were signed out."""

    user_id: str
    role: Literal["program-staff", "affiliate-staff", "national-staff"]
    scope: Literal["program", "affiliate"]
    scope_id: str
    left: bool = False  # the member removed themself


class ProgramUpdated(EventData):
    """A program's public name or contact changed: whoever keeps a copy of them refreshes it
    from the program record (the event carries no names)."""

    program_id: str
    version: int
    changed: list[Literal["name", "contact"]]


CATALOGUE: Catalogue = catalogue(
    "nqms.directory",
    AffiliateCreated,
    ProgramEnrolled,
    MemberInvited,
    InvitationCreated,
    InvitationAccepted,
    InvitationDeclined,
    MemberRemoved,
    ProgramUpdated,
)
