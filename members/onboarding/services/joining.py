"""Joining SLECoP: a prospective ecosystem applies, staff approve or decline (issue 10).

Approval, in one transaction: the Ecosystem (status onboarding, this year's cohort), its
onboarding with a coach, an invitation for the applicant as lead (the existing invitation
service and email) and the first-year dues invoice, all audited."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.billing.services.invoices import dues_invoice_open, membership_year_get_or_create
from members.models import Ecosystem, EcosystemRole, JoinApplication, Region
from members.onboarding.services.checklist import _check_coach, onboarding_start
from members.services.invitations import invitation_create
from slecop.errors import Conflict, DomainError
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

LIVE = JoinApplication.LIVE


def normalize_name(name: str) -> str:
    """Collapse runs of whitespace: "Tri  State STEM " and "Tri State STEM" are one name."""
    return re.sub(r"\s+", " ", name).strip()


def join_duplicate(*, name: str, region: Region, email: str) -> DomainError | None:
    """Why this application would duplicate an ecosystem or a live application, if so."""
    name, email = normalize_name(name), email.strip().lower()
    if Ecosystem.objects.filter(name__iexact=name, region=region).exists():
        return Conflict(
            _("%(name)s in %(region)s is already a SLECoP ecosystem. Ask its lead to invite you.")
            % {"name": name, "region": region},
            code="duplicate_ecosystem",
            field="ecosystem_name",
        )
    live = JoinApplication.objects.filter(status__in=LIVE)
    if live.filter(ecosystem_name__iexact=name, region=region).exists():
        return Conflict(
            _(
                "An application for %(name)s in %(region)s has already been received. We "
                "will be in touch with its contact; there is no need to apply again."
            )
            % {"name": name, "region": region},
            code="duplicate_application",
            field="ecosystem_name",
        )
    if live.filter(lead_email__iexact=email).exists():
        return Conflict(
            _(
                "An application from %(email)s has already been received. We will reply to "
                "that address; write to us if you need to change it."
            )
            % {"email": email},
            code="duplicate_email",
            field="lead_email",
        )
    return None


@transaction.atomic
def join_application_submit(*, region: Region, ecosystem_name: str, lead_email: str, **fields):
    """Store a public application and email the applicant and staff. Text is stored as
    typed (templates escape it); duplicates are refused with a message saying why."""
    duplicate = join_duplicate(name=ecosystem_name, region=region, email=lead_email)
    if duplicate:
        raise duplicate
    application = JoinApplication(
        region=region,
        ecosystem_name=normalize_name(ecosystem_name),
        lead_email=lead_email.strip().lower(),
        **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()},
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # the same application submitted twice at once
        raise join_duplicate(name=ecosystem_name, region=region, email=lead_email) or Conflict(
            _("This application was already received.")
        ) from exc
    context = {"application": application}
    send_templated_email(
        to=[application.lead_email], template="members/email/join_received", context=context
    )
    send_templated_email(
        to=[settings.STAFF_NOTIFICATION_EMAIL],
        template="members/email/join_to_review",
        context={
            **context,
            "admin_url": absolute_url(f"/admin/members/joinapplication/{application.pk}/change/"),
        },
    )
    return application


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "ecosystem"
    taken = set(Ecosystem.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _pending(application: JoinApplication) -> JoinApplication:
    application = lock_one(JoinApplication, application.pk)
    if application.status != JoinApplication.Status.PENDING:
        raise Conflict(
            _("This application was already %s.") % application.get_status_display().lower(),
            code="decided",
        )
    return application


@transaction.atomic
def join_application_approve(
    *, acting_user, application: JoinApplication, coach, cohort_year: int | None = None
) -> Ecosystem:
    """Create the ecosystem, start its onboarding with `coach`, invite the applicant as
    lead and open the first-year dues invoice."""
    _check_coach(coach)
    application = _pending(application)
    year = cohort_year or timezone.localdate().year
    ecosystem = Ecosystem(
        name=application.ecosystem_name,
        slug=_unique_slug(application.ecosystem_name),
        region=application.region,
        city=application.city,
        state_province=application.state_province,
        country=application.country or "United States",
        website=application.website,
        cohort_year=year,
        status=Ecosystem.Status.ONBOARDING,
    )
    ecosystem.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            ecosystem.save()
    except IntegrityError as exc:  # same name and region created meanwhile
        raise Conflict(
            _("An ecosystem named %(name)s already exists in %(region)s.")
            % {"name": ecosystem.name, "region": ecosystem.region},
            code="duplicate_ecosystem",
        ) from exc
    audit_log(
        actor=acting_user,
        action="ecosystem.created",
        obj=ecosystem,
        after={"name": ecosystem.name, "region": str(ecosystem.region), "cohort_year": year},
    )
    onboarding_start(acting_user=acting_user, ecosystem=ecosystem, coach=coach, cohort_year=year)
    application.status = JoinApplication.Status.APPROVED
    application.ecosystem = ecosystem
    application.reviewed_by = acting_user
    application.reviewed_at = timezone.now()
    application.save(update_fields=["status", "ecosystem", "reviewed_by", "reviewed_at"])
    audit_log(
        actor=acting_user,
        action="join_application.approved",
        obj=application,
        ecosystem=ecosystem,
        before={"status": JoinApplication.Status.PENDING},
        after={"status": application.status, "coach": str(coach or "")},
    )
    invitation_create(
        acting_user=acting_user,
        ecosystem=ecosystem,
        email=application.lead_email,
        role=EcosystemRole.Role.LEAD,
    )
    dues_invoice_open(
        acting_user=acting_user,
        ecosystem=ecosystem,
        membership_year=membership_year_get_or_create(year=year),
    )
    return ecosystem


@transaction.atomic
def join_application_decline(
    *, acting_user, application: JoinApplication, reason: str
) -> JoinApplication:
    """Decline with a reason the applicant is sent. A declined application no longer
    blocks a new one for the same name or email."""
    if not reason.strip():
        raise DomainError(_("Say why the application is declined."), field="reason")
    application = _pending(application)
    application.status = JoinApplication.Status.DECLINED
    application.reviewed_by = acting_user
    application.reviewed_at = timezone.now()
    application.decision_note = reason.strip()
    application.save(update_fields=["status", "reviewed_by", "reviewed_at", "decision_note"])
    audit_log(
        actor=acting_user,
        action="join_application.declined",
        obj=application,
        after={"status": application.status, "reason": application.decision_note},
    )
    send_templated_email(
        to=[application.lead_email],
        template="members/email/join_declined",
        context={"application": application},
    )
    return application
