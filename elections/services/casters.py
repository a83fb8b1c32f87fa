"""Who may cast an ecosystem's ballot (issue 22, item 2).

It is fixed when voting opens: the leads the ecosystem had at that moment (Caster rows,
snapshotted with the Elector rows by `phases.casters_snapshot`), each only while still
a lead. Making someone a lead later — staff editing roles, an invitation accepted during
the vote — gives them no ballot. If none of the snapshotted casters remains a lead, a
Stewardship-team member (never TIES staff, never for their own account) may add one
named current lead, with a reason; it is audited and emailed to the ecosystem's leads.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.migration_utils import STEWARDSHIP_TEAM, TIES_STAFF
from members.models import EcosystemRole, User
from members.selectors import lead_emails
from slecop.errors import Conflict, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

from ..models import Caster, Election, Elector, VoterRecord

REASON_MIN_LENGTH = 10


def check_may_add_casters(user) -> None:
    """NotAllowed unless `user` is in the Stewardship team and not TIES staff."""
    groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    if TIES_STAFF in groups:
        raise NotAllowed(
            _(
                "TIES staff cannot choose who casts an ecosystem's ballot. Ask a member of "
                "the Stewardship team."
            ),
            code="ties_staff",
        )
    if STEWARDSHIP_TEAM not in groups:
        raise NotAllowed(
            _("Only members of the Stewardship team can add who casts a ballot."),
            code="not_steward",
        )


def current_lead_casters(elector: Elector) -> list[Caster]:
    """The elector's casters who are still leads of its ecosystem."""
    return list(Caster.objects.filter(elector=elector).still_leads().select_related("user"))


@transaction.atomic
def caster_add(*, acting_user, elector: Elector, user: User, reason: str) -> Caster:
    """Let `user`, a current lead of the elector's ecosystem, cast its ballot, when none of
    the people who could still can. Refused (NotAllowed / Conflict, nothing written) for
    TIES staff, a non-steward, one's own account, an election not in voting, an ecosystem
    that has voted, one that still has a caster who is a lead, a person who is not a lead
    now, or a reason shorter than REASON_MIN_LENGTH characters."""
    check_may_add_casters(acting_user)
    if acting_user.pk == user.pk:
        raise NotAllowed(
            _("You cannot add yourself: another member of the Stewardship team must do it."),
            code="self",
        )
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise Conflict(
            _("Say why (at least %(n)s characters): it is emailed to the ecosystem's leads.")
            % {"n": REASON_MIN_LENGTH},
            code="reason",
            field="reason",
        )
    # The same lock casting takes: no ballot is cast while the casters change.
    elector = lock_one(Elector, elector.pk)
    election = Election.objects.get(pk=elector.election_id)
    ecosystem = elector.ecosystem
    if not election.is_voting:
        raise Conflict(_("Voting in %(e)s is not open.") % {"e": election}, code="voting_closed")
    if VoterRecord.objects.filter(election=election, ecosystem=ecosystem).exists():
        raise Conflict(_("%(eco)s has already voted.") % {"eco": ecosystem}, code="already_voted")
    remaining = current_lead_casters(elector)
    if remaining:
        raise Conflict(
            _("%(people)s can still cast the ballot of %(eco)s.")
            % {"people": ", ".join(str(c.user) for c in remaining), "eco": ecosystem},
            code="caster_remains",
        )
    if not EcosystemRole.objects.filter(
        ecosystem=ecosystem, user=user, role=EcosystemRole.Role.LEAD
    ).exists():
        raise Conflict(
            _("%(user)s is not a lead of %(eco)s.") % {"user": user, "eco": ecosystem},
            code="not_lead",
            field="user",
        )
    # (a caster row of `user` would make them one of `remaining`: this is a new row)
    caster = Caster(elector=elector, user=user, added_by=acting_user, reason=reason)
    caster.full_clean(exclude=["elector", "user", "added_by"])  # rows read above
    caster.save()
    audit_log(
        actor=acting_user,
        action="elections.caster_added",
        obj=caster,
        ecosystem=ecosystem,
        after={"election": election.slug, "user": user.email, "reason": reason},
    )
    send_templated_email(
        to=lead_emails([ecosystem.pk]).get(ecosystem.pk, []),
        template="elections/email/caster_added",
        context={
            "election": election,
            "ecosystem": ecosystem,
            "caster": user,
            "steward": acting_user,
            "reason": reason,
            "ballot_url": absolute_url(
                reverse(
                    "elections:ballot", kwargs={"slug": election.slug, "ecosystem": ecosystem.slug}
                )
            ),
        },
    )
    return caster
