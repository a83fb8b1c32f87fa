"""Practice groups: proposed by any lead or member of an ecosystem, invisible to others
until the Stewardship team approves them, then open to join and leave."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.migration_utils import STEWARDSHIP_TEAM
from members.models import Ecosystem, User
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

from ..models import PracticeGroup, PracticeGroupMembership

Status = PracticeGroup.Status
Role = PracticeGroupMembership.Role
APPROVE_PERMISSION = "governance.approve_practicegroup"
RESERVED_SLUGS = {"propose"}  # path segments of governance.urls next to <slug>
SLUG_LENGTH = PracticeGroup._meta.get_field("slug").max_length


def community_ecosystems(user) -> list[Ecosystem]:
    """The ecosystems `user` is a lead or member of (they may propose and join)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(Ecosystem.objects.filter(roles__user=user).order_by("name").distinct())


def _require_community(user) -> list[Ecosystem]:
    ecosystems = community_ecosystems(user)
    if not ecosystems:
        raise NotAllowed(
            _(
                "Practice groups are for leads and members of SLECoP ecosystems. Ask your "
                "ecosystem's lead to invite you."
            ),
            code="not_in_community",
        )
    return ecosystems


def _unique_slug(name: str) -> str:
    base = slugify(name)[: SLUG_LENGTH - 6].strip("-") or "practice-group"
    taken = (
        set(PracticeGroup.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        | RESERVED_SLUGS
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _name_taken(name: str, exclude_pk: int | None = None) -> bool:
    return (
        PracticeGroup.objects.filter(name__iexact=name)
        .exclude(status=Status.DECLINED)
        .exclude(pk=exclude_pk)
        .exists()
    )


def _stewardship_emails() -> list[str]:
    emails = list(
        User.objects.filter(groups__name=STEWARDSHIP_TEAM, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )
    return [*emails, settings.STAFF_NOTIFICATION_EMAIL]


def _group_email(group: PracticeGroup, template: str, to: list[str], **context) -> None:
    send_templated_email(
        to=to,
        template=f"governance/email/{template}",
        context={
            "group": group,
            "ecosystem": group.ecosystem,
            "proposer": group.proposed_by,
            "group_url": absolute_url(group.get_absolute_url()),
            **context,
        },
    )


@transaction.atomic
def practice_group_propose(
    *,
    acting_user,
    name: str,
    topic: str,
    description: str = "",
    ecosystem: Ecosystem | None = None,
) -> PracticeGroup:
    """Propose a practice group on behalf of one of the proposer's ecosystems. The
    proposer becomes its first chair; the Stewardship team is asked to review it."""
    ecosystems = _require_community(acting_user)
    if ecosystem is None:
        ecosystem = ecosystems[0]
    elif ecosystem not in ecosystems:
        raise NotAllowed(
            _("You can only propose a group on behalf of your own ecosystem."), field="ecosystem"
        )
    name = " ".join(name.split())
    if _name_taken(name):
        raise Conflict(
            _(
                "There is already a practice group called “%(name)s”. Join it, or choose another "
                "name."
            )
            % {"name": name},
            code="name_taken",
            field="name",
        )
    group = PracticeGroup(
        name=name,
        slug=_unique_slug(name),
        topic=" ".join(topic.split()),
        description=description.strip(),
        status=Status.PENDING,
        proposed_by=acting_user,
        ecosystem=ecosystem,
    )
    group.full_clean(validate_constraints=False)  # the name check above, under a savepoint
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError as exc:  # the same name proposed at the same moment
        raise Conflict(
            _("There is already a practice group called “%(name)s”.") % {"name": name},
            code="name_taken",
            field="name",
        ) from exc
    PracticeGroupMembership.objects.create(group=group, person=acting_user, role=Role.CHAIR)
    audit_log(
        actor=acting_user,
        action="governance.practice_group_proposed",
        obj=group,
        ecosystem=ecosystem,
        after={"name": group.name, "topic": group.topic},
    )
    review_url = reverse("admin:governance_practicegroup_change", args=[group.pk])
    _group_email(
        group, "practice_group_proposed", _stewardship_emails(), review_url=absolute_url(review_url)
    )
    return group


def _check_reviewer(acting_user) -> None:
    if acting_user is not None and not acting_user.has_perm(APPROVE_PERMISSION):
        raise NotAllowed(_("Only the Stewardship team can review practice groups."))


def _proposer_emails(group: PracticeGroup) -> list[str]:
    return [group.proposed_by.email] if group.proposed_by else []


def _review(
    acting_user,
    group: PracticeGroup,
    *,
    to: str,
    allowed_from: set[str],
    refusal: str,
    email: str | None = None,
    check=None,
) -> PracticeGroup:
    """Move a group to status `to` (doing nothing if it is there already), audited, and
    email the proposer with template `email`."""
    _check_reviewer(acting_user)
    group = lock_one(PracticeGroup, group.pk)
    if group.status == to:
        return group
    if group.status not in allowed_from:
        status = group.get_status_display().lower()
        raise Conflict(refusal.format(group=group, status=status), code="wrong_status")
    if check:
        check(group)
    before = {"status": group.status}
    group.status = to
    group.reviewed_at = timezone.now()
    group.reviewed_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    group.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    audit_log(
        actor=acting_user,
        action=f"governance.practice_group_{to}",
        obj=group,
        ecosystem=group.ecosystem,
        before=before,
        after={"status": to},
    )
    if email:
        _group_email(group, email, _proposer_emails(group))
    return group


def _name_still_free(group: PracticeGroup) -> None:
    if _name_taken(group.name, exclude_pk=group.pk):
        raise Conflict(
            _("Another practice group is now called “%(name)s”.") % {"name": group.name},
            code="name_taken",
        )


@transaction.atomic
def practice_group_approve(*, acting_user, group: PracticeGroup) -> PracticeGroup:
    """Approve a proposed (or previously declined) group: it becomes visible and open
    to join, and the proposer hears about it. Approving twice does nothing."""
    return _review(
        acting_user,
        group,
        to=Status.APPROVED,
        allowed_from={Status.PENDING, Status.DECLINED},
        refusal="{group} is {status}.",
        email="practice_group_approved",
        check=_name_still_free,
    )


@transaction.atomic
def practice_group_decline(*, acting_user, group: PracticeGroup) -> PracticeGroup:
    """Decline a proposal; the proposer receives `group.review_note`."""
    return _review(
        acting_user,
        group,
        to=Status.DECLINED,
        allowed_from={Status.PENDING},
        refusal="{group} is {status}; close it instead.",
        email="practice_group_declined",
    )


@transaction.atomic
def practice_group_close(*, acting_user, group: PracticeGroup) -> PracticeGroup:
    """Close an approved group: it stays readable but nobody can join any more."""
    return _review(
        acting_user,
        group,
        to=Status.CLOSED,
        allowed_from={Status.APPROVED},
        refusal="Only approved groups can be closed; {group} is {status}.",
    )


@transaction.atomic
def practice_group_join(*, acting_user, group: PracticeGroup) -> PracticeGroupMembership:
    """Join an approved group as a member. Joining twice does nothing (the existing
    membership is returned)."""
    _require_community(acting_user)
    group = lock_one(PracticeGroup, group.pk)  # a double click cannot insert twice
    existing = PracticeGroupMembership.objects.filter(group=group, person=acting_user).first()
    if existing:
        return existing
    if not group.is_open:
        raise Conflict(
            _("%(group)s is not open for new members.") % {"group": group}, code="not_open"
        )
    membership = PracticeGroupMembership(group=group, person=acting_user, role=Role.MEMBER)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def practice_group_leave(*, acting_user, group: PracticeGroup) -> None:
    """Leave a group. The only chair of a group with other members hands the chair on
    first, so no group is left without a chair. Leaving twice does nothing."""
    group = lock_one(PracticeGroup, group.pk)
    membership = PracticeGroupMembership.objects.filter(group=group, person=acting_user).first()
    if membership is None:
        return
    others = PracticeGroupMembership.objects.filter(group=group).exclude(pk=membership.pk)
    if (
        membership.role == Role.CHAIR
        and others.exists()
        and not others.filter(role=Role.CHAIR).exists()
    ):
        raise Conflict(
            _(
                "You are the only chair of this group. Make another member a co-chair before you "
                "leave."
            ),
            code="last_chair",
        )
    membership.delete()


@transaction.atomic
def practice_group_make_chair(
    *, acting_user, group: PracticeGroup, person: User
) -> PracticeGroupMembership:
    """A chair (or the Stewardship team) makes a member of the group a co-chair."""
    group = lock_one(PracticeGroup, group.pk)
    is_chair = PracticeGroupMembership.objects.filter(
        group=group, person=acting_user, role=Role.CHAIR
    ).exists()
    if not (is_chair or acting_user.has_perm(APPROVE_PERMISSION)):
        raise NotAllowed(_("Only a chair of this group can name co-chairs."))
    membership = PracticeGroupMembership.objects.filter(group=group, person=person).first()
    if membership is None:
        raise DomainError(
            _("%(person)s is not a member of %(group)s.") % {"person": person, "group": group},
            code="not_member",
        )
    if membership.role == Role.CHAIR:
        return membership
    membership.role = Role.CHAIR
    membership.save(update_fields=["role"])
    audit_log(
        actor=acting_user,
        action="governance.practice_group_chair_added",
        obj=group,
        ecosystem=group.ecosystem,
        after={"chair": person.email},
    )
    return membership
