"""Casting an ecosystem's ballot. One ballot per ecosystem in the electorate, cast by one
of the leads it had when voting opened (its Caster rows) who is still a lead, and final
once cast.

Concurrency: inside one transaction the service takes a share lock on the Election row
(closing voting takes it exclusively, so no ballot slips in after the close), then locks
the ecosystem's Elector row (every lead of the ecosystem queues there, and so does a
steward adding a caster), re-checks that no VoterRecord exists, and inserts the
VoterRecord and the SealedBallot. The unique constraint on (election, ecosystem) of
VoterRecord backs the rule.

Secrecy: the VoterRecord and the SealedBallot share no column; the sealed ballot holds
only its random receipt and the contents sealed under the key from the environment
(elections.sealing), padded to the election's envelope size. The audit entry names the
VoterRecord, never the ballot or receipt. Rows written in one transaction share
PostgreSQL's `xmin`, so while voting is open a database reader can tie a receipt to its
ecosystem, never to a vote; closing voting cuts even that (services.phases).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.models import Ecosystem
from members.permissions import can_act_for_ecosystem
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_rows, set_lock_timeout

from .. import sealing
from ..ballots import new_receipt, voter_contests
from ..models import Candidate, Caster, Contest, Election, Elector, SealedBallot, VoterRecord


class InvalidBallot(DomainError):
    code = "invalid_ballot"


def _share_lock_election(election: Election) -> Election:
    """Read the election under a share lock (PostgreSQL): many ballots at once, but not
    while voting is being closed. SQLite runs one writer at a time anyway."""
    set_lock_timeout()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM elections_election WHERE id = %s FOR SHARE", [election.pk]
            )
    return Election.objects.get(pk=election.pk)


def validate_choices(
    contests: Sequence[Contest],
    candidates: Mapping[int, set[int]],
    choices: Mapping[int, Sequence[int]],
) -> dict[str, list[int]]:
    """The ballot contents from the voter's choices ({contest id: [candidate ids]}), or
    InvalidBallot. An empty choice is a blank vote in that contest (allowed)."""
    allowed = {c.pk: c for c in contests}
    unknown = set(choices) - set(allowed)
    if unknown:
        raise InvalidBallot(_("This ballot names a contest you cannot vote in."))
    contents: dict[str, list[int]] = {}
    for contest in contests:
        picked = [int(x) for x in choices.get(contest.pk, [])]
        if len(set(picked)) != len(picked):
            raise InvalidBallot(
                _("%(office)s: each candidate can be chosen once.") % {"office": contest.office}
            )
        if not set(picked) <= candidates.get(contest.pk, set()):
            raise InvalidBallot(
                _("%(office)s: choose among the candidates listed.") % {"office": contest.office}
            )
        if not contest.is_ranked and len(picked) > contest.seats:
            raise InvalidBallot(
                _("%(office)s: choose at most %(seats)s.")
                % {"office": contest.office, "seats": contest.seats},
                code="overvote",
            )
        contents[str(contest.pk)] = picked
    return contents


def election_candidates(election: Election) -> dict[int, list[int]]:
    """{contest id: candidate ids} of every contest of `election`, in one query."""
    result: dict[int, list[int]] = {}
    for contest_id, pk in (
        Candidate.objects.filter(contest__election=election)
        .order_by("contest_id", "pk")
        .values_list("contest_id", "pk")
    ):
        result.setdefault(contest_id, []).append(pk)
    return result


def may_cast(*, user, elector: Elector) -> bool:
    """Whether `user` is one of the elector's casters (a lead when voting opened, or added
    by a steward) and still a lead of the ecosystem."""
    return Caster.objects.filter(elector=elector, user=user).still_leads().exists()


@transaction.atomic
def ballot_cast(
    *,
    acting_user,
    election: Election,
    ecosystem: Ecosystem,
    choices: Mapping[int, Sequence[int]],
) -> str:
    """Cast `ecosystem`'s ballot in `election`; returns the receipt code. Raises
    NotAllowed (not a lead, not in the electorate), Conflict (voting not open, already
    voted) or InvalidBallot."""
    if not can_act_for_ecosystem(acting_user, ecosystem):
        raise NotAllowed(
            _("Only a lead of %(ecosystem)s can cast its ballot.") % {"ecosystem": ecosystem},
            code="not_lead",
        )
    election = _share_lock_election(election)
    if not election.is_voting:
        raise Conflict(
            _("Voting in %(election)s is not open.") % {"election": election}, code="voting_closed"
        )
    if election.voting_closes_on and timezone.localdate() > election.voting_closes_on:
        raise Conflict(
            _("Voting in %(election)s closed on %(date)s.")
            % {"election": election, "date": election.voting_closes_on.isoformat()},
            code="voting_closed",
        )
    electors = lock_rows(Elector.objects.filter(election=election, ecosystem=ecosystem))
    if not electors:
        raise NotAllowed(
            _(
                "%(ecosystem)s was not in good standing when voting opened, so it has no ballot "
                "in this election."
            )
            % {"ecosystem": ecosystem},
            code="not_in_electorate",
        )
    elector = electors[0]
    if VoterRecord.objects.filter(election=election, ecosystem=ecosystem).exists():
        raise Conflict(
            _("%(ecosystem)s has already voted. A ballot is final once cast.")
            % {"ecosystem": ecosystem},
            code="already_voted",
        )
    if not may_cast(user=acting_user, elector=elector):
        raise NotAllowed(
            _(
                "%(eco)s's ballot is cast by one of the leads it had when voting opened. "
                "If none of them is a lead any more, the Stewardship team can add you."
            )
            % {"eco": ecosystem},
            code="not_a_caster",
        )
    key = sealing.key_for(election)
    contests = voter_contests(election, elector.region_id)
    slate = election_candidates(election)
    contents = validate_choices(contests, {cid: set(ids) for cid, ids in slate.items()}, choices)
    record = VoterRecord(
        election=election,
        ecosystem=ecosystem,
        region_id=elector.region_id,
        cast_by=acting_user,
        cast_at=timezone.now(),
    )
    # Uniqueness was checked above under the lock; the database constraint is the backstop
    # (a second SELECT here would only widen the window it protects).
    record.full_clean(
        exclude=["election", "ecosystem", "region", "cast_by"],  # rows just read or locked
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:  # the constraint behind the lock
        raise Conflict(
            _("%(ecosystem)s has already voted.") % {"ecosystem": ecosystem}, code="already_voted"
        ) from exc
    receipt = _insert_sealed(election, key, contents, sealing.envelope_size(slate))
    audit_log(
        actor=acting_user,
        action="elections.ballot_cast",
        obj=record,
        ecosystem=ecosystem,
        after={"election": election.slug},
    )
    return receipt


def _insert_sealed(election: Election, key: bytes, contents: dict, size: int) -> str:
    """Seal `contents` for a new receipt and store them; returns the receipt."""
    for _attempt in range(5):
        receipt = new_receipt()
        sealed = sealing.seal(
            key, election_id=election.pk, receipt=receipt, contents=contents, size=size
        )
        try:
            with transaction.atomic():
                SealedBallot.objects.create(election=election, receipt=receipt, sealed=sealed)
        except IntegrityError:  # a receipt collision (≈ never): draw again
            continue
        return receipt
    raise Conflict(_("Could not issue a receipt code; please try again."))
