"""Every write of the elections app: keyword-only functions, one transaction each."""

from ..ballots import normalise_receipt
from .casters import caster_add, check_may_add_casters
from .nominations import (
    nomination_create,
    nomination_from_token,
    nomination_respond,
    nomination_review,
    nomination_token,
)
from .phases import (
    casters_snapshot,
    election_open_nominations,
    election_open_voting,
    electorate_snapshot,
    vacuum_ballot_tables,
)
from .reminders import reminders_send, reminders_send_all_open
from .results import count_election, election_certify, election_close
from .schedule import run_schedule
from .voting import InvalidBallot, ballot_cast

__all__ = [
    "InvalidBallot",
    "ballot_cast",
    "caster_add",
    "casters_snapshot",
    "check_may_add_casters",
    "count_election",
    "election_certify",
    "election_close",
    "election_open_nominations",
    "election_open_voting",
    "electorate_snapshot",
    "nomination_create",
    "nomination_from_token",
    "nomination_respond",
    "nomination_review",
    "nomination_token",
    "normalise_receipt",
    "reminders_send",
    "reminders_send_all_open",
    "run_schedule",
    "vacuum_ballot_tables",
]
