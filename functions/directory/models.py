"""Request and response models of the directory API (pydantic, extra fields forbidden)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from shared.edge.types import Email, Input, Output, TimeZone

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40, pattern=r"^[0-9+().\- x]{7,40}$")
]
EntityId = Annotated[str, StringConstraints(pattern=r"^[a-z]{3}_[0-9a-f]{20}$")]
Version = Annotated[int | None, Field(ge=1, description="The version you read (or send If-Match).")]
MemberRole = Literal["program-staff", "affiliate-staff", "national-staff"]
MemberScope = Literal["program", "affiliate", "national"]


# --------------------------------------------------------------------------- affiliates
class AffiliateIn(Input):
    name: Name = Field(examples=["MENTOR Virginia"])
    state: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        description="Two-letter state or territory code.", examples=["VA"]
    )
    time_zone: TimeZone = Field(description="IANA time zone; review dates are local dates in it.")
    contact_email: Email
    default_due_weeks: int = Field(
        default=8, ge=1, le=26, description="Weeks from access to the suggested completion date."
    )
    renewal_grace_months: int = Field(
        default=12,
        ge=0,
        le=36,
        description="Months past a badge's valid-until it stays valid while the program's "
        "newer cycle runs (renewal in progress).",
    )


class AffiliateSettingsIn(Input):
    """What an affiliate may change of its own settings (only the fields sent change)."""

    contact_email: Email | None = None
    default_due_weeks: int | None = Field(default=None, ge=1, le=26)
    renewal_grace_months: int | None = Field(default=None, ge=0, le=36)
    version: Version = None


class Affiliate(Output):
    affiliate_id: str
    name: str
    state: str
    time_zone: str
    contact_email: str
    default_due_weeks: int
    renewal_grace_months: int = 12  # affiliates created before it was a setting
    version: int
    created_at: str


class AffiliateList(Output):
    items: list[Affiliate]
    next: str | None = Field(default=None, description="Cursor of the next page, if any.")


# --------------------------------------------------------------------------- programs
class ContactIn(Input):
    name: Name
    email: Email
    phone: Phone | None = None


class Contact(Output):
    name: str
    email: str
    phone: str | None = None


class ProgramIn(Input):
    name: Name = Field(examples=["Big Futures Mentoring"])
    contact: ContactIn
    matching_since: date = Field(
        description="The date the program started matching mentors and mentees."
    )
    primary_affiliate_id: EntityId
    secondary_affiliate_ids: list[EntityId] = Field(default_factory=list, max_length=5)

    @field_validator("secondary_affiliate_ids")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("secondary affiliates must be distinct")
        return value


class ProgramChangesIn(Input):
    """What may change of a program's public face (only the fields sent change)."""

    name: Name | None = Field(default=None, examples=["Big Futures Mentoring of Richmond"])
    contact: ContactIn | None = None
    version: Version = None


class Program(Output):
    program_id: str
    name: str
    contact: Contact
    matching_since: date
    primary_affiliate_id: str
    secondary_affiliate_ids: list[str]
    version: int
    created_at: str
    created_by: str


class ProgramSummary(Output):
    program_id: str
    name: str
    matching_since: date
    primary_affiliate_id: str


class ProgramList(Output):
    items: list[ProgramSummary]
    next: str | None = Field(default=None, description="Cursor of the next page, if any.")


# --------------------------------------------------------------------------- members
class MemberIn(Input):
    email: Email = Field(examples=["coordinator@program.example"])
    name: Name


class Member(Output):
    user_id: str
    email: str
    name: str
    role: MemberRole
    scope: MemberScope
    scope_id: str | None
    created_at: str
    invited_by: str
    status: Literal["active", "pending"] = Field(
        default="active",
        description="pending: the email already had an account, and its holder has not yet "
        "accepted the invitation (GET /me/invitations); until then it is not a member.",
    )


class MemberList(Output):
    items: list[Member]
    next: str | None = Field(default=None, description="Cursor of the next page, if any.")


class Invitation(Output):
    """An invitation of your existing account to one more program or affiliate."""

    invitation_id: str
    role: MemberRole
    scope: MemberScope
    scope_id: str
    scope_name: str = Field(description="The program's or affiliate's name.")
    invited_by: str
    status: Literal["pending", "accepted", "declined"]
    created_at: str


class InvitationList(Output):
    items: list[Invitation] = Field(description="Your pending invitations, oldest first.")


class MembershipView(Output):
    scope: MemberScope
    scope_id: str | None
    grants: list[str] = Field(default_factory=list)


class Me(Output):
    user_id: str
    email: str | None
    roles: list[str]
    memberships: list[MembershipView]
