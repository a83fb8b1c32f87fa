"""Every write of the governance app: plain keyword-only functions, one transaction each.
Import from here (`governance.services.term_create`) or from the submodules."""

from ..errors import InvalidTerm, TermOverlap
from .committees import committee_close
from .practice_groups import (
    practice_group_approve,
    practice_group_close,
    practice_group_decline,
    practice_group_join,
    practice_group_leave,
    practice_group_make_chair,
    practice_group_propose,
)
from .stewardship import SyncResult, stewardship_team_sync
from .terms import (
    interim_team_seat,
    term_check,
    term_check_seating,
    term_create,
    term_delete,
    term_end,
    term_grants_more,
    term_update,
)

__all__ = [
    "InvalidTerm",
    "SyncResult",
    "TermOverlap",
    "committee_close",
    "interim_team_seat",
    "practice_group_approve",
    "practice_group_close",
    "practice_group_decline",
    "practice_group_join",
    "practice_group_leave",
    "practice_group_make_chair",
    "practice_group_propose",
    "stewardship_team_sync",
    "term_check",
    "term_check_seating",
    "term_create",
    "term_delete",
    "term_end",
    "term_grants_more",
    "term_update",
]
