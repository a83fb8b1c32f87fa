"""One domain exception family, raised by services and turned into a form error or an
HTTP status only at the edge (views, or DomainErrorMiddleware as the last resort)."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was not met. `message` is safe to show to the user."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotAllowed(DomainError):
    """The acting user may not do this."""

    code = "not_allowed"
    http_status = 403


class Conflict(DomainError):
    """The request clashes with the current state (already done, limit reached, closed)."""

    code = "conflict"
    http_status = 409


class Busy(DomainError):
    """A lock could not be taken in time; safe to retry."""

    code = "busy"
    http_status = 503
