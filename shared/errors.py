"""Domain errors. Adapters turn AWS errors into these; one module maps them to HTTP problems."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a caller may see. ``kind`` is the stable problem type slug."""

    status: int = 400
    kind: str = "bad-request"
    title: str = "Bad Request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class InvalidRequest(DomainError):
    status, kind, title = 400, "bad-request", "Bad Request"


class Unauthenticated(DomainError):
    status, kind, title = 401, "unauthenticated", "Unauthenticated"


class Forbidden(DomainError):
    """The caller is known and may see the object (or there is none), but may not do this."""

    status, kind, title = 403, "forbidden", "Forbidden"


class NotFound(DomainError):
    """Missing, or belonging to another tenant: the two must look the same."""

    status, kind, title = 404, "not-found", "Not Found"


class Conflict(DomainError):
    status, kind, title = 409, "conflict", "Conflict"


class AlreadyExists(Conflict):
    kind, title = "already-exists", "Already Exists"


class VersionConflict(Conflict):
    """Someone else wrote first. ``current`` (an extension) carries the state they wrote."""

    kind, title = "version-conflict", "Version Conflict"


class IllegalTransition(Conflict):
    kind, title = "illegal-transition", "Illegal State Transition"


class LastStaffMember(Conflict):
    """Removing this member would leave a program or affiliate with no staff at all."""

    kind, title = "last-staff-member", "Last Staff Member"


class RequestInProgress(Conflict):
    kind, title = "request-in-progress", "Request In Progress"


class RuleViolation(DomainError):
    """Well-formed input that a business rule refuses (422, with the rule's name)."""

    status, kind, title = 422, "rule-violation", "Unprocessable Content"


class NotReady(RuleViolation):
    """A submission refused while something blocks it; ``blockers`` lists each."""

    kind, title = "not-ready", "Not Ready To Submit"


class IdempotencyKeyReused(DomainError):
    status, kind, title = 422, "idempotency-key-reused", "Idempotency Key Reused"


class ServiceBusy(DomainError):
    """Throttling or a transient AWS failure: safe to retry."""

    status, kind, title = 503, "service-busy", "Service Busy"
