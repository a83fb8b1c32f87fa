"""Domain errors of the governance app (all `slecop.errors.DomainError`s)."""

from __future__ import annotations

from slecop.errors import Conflict, DomainError


class InvalidTerm(DomainError):
    """Dates or the way of filling do not fit the office."""

    code = "invalid_term"


class TermOverlap(Conflict):
    """Another term of the same office shares at least one day with this one."""

    code = "term_overlap"
