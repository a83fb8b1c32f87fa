"""Nominations: a lead nominates a person (self or other) with a statement; the nominee
accepts or declines through a signed link; the Stewardship team approves accepted
nominations onto the slate (each becomes a Candidate) or leaves them off."""

from __future__ import annotations

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from elections.services.schedule import closes_at
from members.audit import audit_log
from members.billing.selectors import ecosystem_standing
from members.models import Ecosystem, User
from members.permissions import can_act_for_ecosystem
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

from ..models import Candidate, Contest, Nomination

Status = Nomination.Status
SIGNING_SALT = "elections.nomination"
TOKEN_MAX_AGE = 60 * 60 * 24 * 45  # 45 days


def nomination_token(nomination: Nomination) -> str:
    return signing.dumps({"n": nomination.pk, "u": nomination.nominee_id}, salt=SIGNING_SALT)


def nomination_from_token(token: str) -> Nomination:
    """The nomination a response link is for, or NotAllowed for a bad or old link."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise NotAllowed(_("This link is not valid or has expired."), code="bad_token") from exc
    nomination = (
        Nomination.objects.select_related("contest__election", "contest__office", "nominee")
        .filter(pk=data.get("n"), nominee_id=data.get("u"))
        .first()
    )
    if nomination is None:
        raise NotAllowed(_("This nomination no longer exists."), code="bad_token")
    return nomination


def _snapshot(n: Nomination) -> dict:
    return {
        "status": n.status,
        "contest": str(n.contest.office),
        "nominee": n.nominee.email,
        "nominee_ecosystem": str(n.nominee_ecosystem) if n.nominee_ecosystem_id else "",
    }


def nominations_close_at(election):
    """23:59 America/New_York on the published closing day (elections.services.schedule)."""

    return closes_at(election.nominations_close_on)


def nominee_ecosystems(nominee: User) -> list[Ecosystem]:
    """The ecosystems where `nominee` holds a role (lead or member), by name."""
    return list(
        Ecosystem.objects.filter(roles__user=nominee)
        .select_related("region")
        .order_by("name")
        .distinct()
    )


def check_nominee_ecosystem(
    *, nominee: User, contest: Contest, nominee_ecosystem: Ecosystem | None
) -> Ecosystem:
    """The nominee's own ecosystem, checked (issue 27): one where they hold a role (when
    not named, the only one they have), in good standing now, and for a regional chair in
    that region. A clear DomainError on the `nominee_ecosystem` field otherwise."""
    field = "nominee_ecosystem"
    own = nominee_ecosystems(nominee)
    if nominee_ecosystem is None:
        if not own:
            raise DomainError(
                _(
                    "%(person)s holds no role in any ecosystem: a nominee runs from their own "
                    "ecosystem (as a lead or a member)."
                )
                % {"person": nominee},
                code="no_ecosystem",
                field=field,
            )
        if len(own) > 1:
            raise DomainError(
                _("%(person)s holds roles in %(names)s: name the one they run from.")
                % {"person": nominee, "names": ", ".join(e.name for e in own)},
                code="which_ecosystem",
                field=field,
            )
        nominee_ecosystem = own[0]
    elif nominee_ecosystem.pk not in {e.pk for e in own}:
        raise DomainError(
            _(
                "%(person)s holds no role in %(eco)s: name an ecosystem where they are a lead "
                "or a member."
            )
            % {"person": nominee, "eco": nominee_ecosystem},
            code="not_their_ecosystem",
            field=field,
        )
    standing = ecosystem_standing(nominee_ecosystem)
    if not standing.good:
        raise DomainError(
            _("%(eco)s is not in good standing (%(reason)s): a nominee's ecosystem must be.")
            % {"eco": nominee_ecosystem, "reason": standing.reason},
            code="nominee_ecosystem_standing",
            field=field,
        )
    region = contest.office.region
    if region is not None and nominee_ecosystem.region_id != region.pk:
        raise DomainError(
            _(
                "%(office)s is chosen within %(region)s: %(eco)s is in %(other)s, so its people "
                "cannot run for it."
            )
            % {
                "office": contest.office,
                "region": region,
                "eco": nominee_ecosystem,
                "other": nominee_ecosystem.region,
            },
            code="nominee_other_region",
            field=field,
        )
    return nominee_ecosystem


@transaction.atomic
def nomination_create(
    *,
    acting_user,
    ecosystem: Ecosystem,
    contest: Contest,
    nominee: User,
    statement: str,
    nominee_ecosystem: Ecosystem | None = None,
) -> Nomination:
    """Nominate `nominee` for `contest` on behalf of `ecosystem` (the acting user must be
    one of its leads; it must be in good standing). The nominee runs from their own
    ecosystem, `nominee_ecosystem` (`check_nominee_ecosystem`; None: the only one they
    hold a role in). A self-nomination is accepted at once; anyone else is emailed a link
    to accept or decline."""
    if not can_act_for_ecosystem(acting_user, ecosystem):
        raise NotAllowed(
            _("Only a lead of %(ecosystem)s can nominate on its behalf.") % {"ecosystem": ecosystem}
        )
    election = contest.election
    if not election.accepts_nominations:
        raise Conflict(
            _("Nominations for %(election)s are not open.") % {"election": election},
            code="nominations_closed",
        )
    if election.nominations_close_on and timezone.now() >= nominations_close_at(election):
        raise Conflict(
            _("Nominations for %(election)s closed on %(date)s.")
            % {"election": election, "date": election.nominations_close_on.isoformat()},
            code="nominations_closed",
        )
    region_id = contest.office.region_id
    if region_id is not None and ecosystem.region_id != region_id:
        raise NotAllowed(
            _(
                "%(office)s is chosen by the ecosystems of %(region)s; "
                "%(ecosystem)s is in %(ecosystem_region)s."
            )
            % {
                "office": contest.office,
                "region": contest.office.region,
                "ecosystem": ecosystem,
                "ecosystem_region": ecosystem.region,
            },
            code="other_region",
        )
    standing = ecosystem_standing(ecosystem)
    if not standing.good:
        raise NotAllowed(
            _(
                "%(eco)s is not in good standing (%(reason)s): only ecosystems in good standing "
                "nominate."
            )
            % {"eco": ecosystem, "reason": standing.reason},
            code="nominating_ecosystem_standing",
        )
    if not nominee.is_active:
        raise DomainError(_("This person's account is not active."), field="nominee")
    nominee_ecosystem = check_nominee_ecosystem(
        nominee=nominee, contest=contest, nominee_ecosystem=nominee_ecosystem
    )
    is_self = nominee.pk == acting_user.pk
    nomination = Nomination(
        contest=contest,
        nominee=nominee,
        nominated_by=acting_user,
        ecosystem=ecosystem,
        nominee_ecosystem=nominee_ecosystem,
        statement=statement.strip(),
        status=Status.ACCEPTED if is_self else Status.PENDING,
        responded_at=timezone.now() if is_self else None,
    )
    nomination.full_clean(exclude=["contest", "nominee"])
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as exc:
        raise Conflict(
            _("%(nominee)s has already been nominated for %(office)s.")
            % {"nominee": nominee, "office": contest.office},
            code="duplicate",
            field="nominee",
        ) from exc
    audit_log(
        actor=acting_user,
        action="elections.nominated",
        obj=nomination,
        ecosystem=ecosystem,
        after=_snapshot(nomination),
    )
    if not is_self:
        url = absolute_url(
            reverse("elections:nomination_respond", args=[nomination_token(nomination)])
        )
        send_templated_email(
            to=[nominee.email],
            template="elections/email/nominated",
            context={
                "nomination": nomination,
                "ecosystem": ecosystem,
                "respond_url": url,
                "election": election,
                "office": contest.office,
            },
        )
    return nomination


@transaction.atomic
def nomination_respond(*, nomination: Nomination, accept: bool, acting_user=None) -> Nomination:
    """The nominee accepts or declines (from the signed link). Final once answered."""
    nomination = lock_one(Nomination, nomination.pk)
    if nomination.status != Status.PENDING:
        raise Conflict(
            _("You have already answered this nomination (%(status)s).")
            % {"status": nomination.get_status_display()},
            code="answered",
        )
    if not nomination.contest.election.accepts_nominations:
        raise Conflict(_("Nominations for this election are closed."), code="nominations_closed")
    before = _snapshot(nomination)
    nomination.status = Status.ACCEPTED if accept else Status.DECLINED
    nomination.responded_at = timezone.now()
    nomination.save(update_fields=["status", "responded_at"])
    audit_log(
        actor=acting_user or nomination.nominee,
        action="elections.nomination_accepted" if accept else "elections.nomination_declined",
        obj=nomination,
        ecosystem=nomination.ecosystem,
        before=before,
        after=_snapshot(nomination),
    )
    return nomination


@transaction.atomic
def nomination_review(*, acting_user, nomination: Nomination, approve: bool) -> Nomination:
    """Put an accepted nomination on the slate (a Candidate with its statement) or leave
    it off. Only while nominations are open: the slate is fixed when voting opens."""
    nomination = lock_one(Nomination, nomination.pk)
    if not nomination.contest.election.accepts_nominations:
        raise Conflict(_("The slate can change only while nominations are open."))
    if nomination.status != Status.ACCEPTED:
        raise Conflict(
            _("Only accepted nominations can be reviewed; this one is %(status)s.")
            % {"status": nomination.get_status_display().lower()},
            code="not_accepted",
        )
    before = _snapshot(nomination)
    nomination.status = Status.APPROVED if approve else Status.REJECTED
    nomination.reviewed_at = timezone.now()
    nomination.reviewed_by = acting_user
    nomination.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    if approve:
        person = nomination.nominee
        Candidate.objects.create(
            contest=nomination.contest,
            person=person,
            nomination=nomination,
            name=(person.get_full_name() or person.email)[:200],
            statement=nomination.statement,
        )
    audit_log(
        actor=acting_user,
        action="elections.slate_approved" if approve else "elections.slate_rejected",
        obj=nomination,
        ecosystem=nomination.ecosystem,
        before=before,
        after=_snapshot(nomination),
    )
    return nomination
