"""Consultations: a draft document in versions, comments on the whole or a section, the
team's outcome and reply, FAQ questions and answers, and the final version with the
summary of comments received."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community.permissions import is_moderator, member_ecosystems
from members.audit import audit_log
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

from ..models import Comment, Consultation, ConsultationVersion, FAQEntry, Section

HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def split_sections(body: str) -> list[tuple[str, str, str]]:
    """(anchor, heading, body) for each `## ` heading of a Markdown document; text before
    the first heading becomes an "Introduction" section. Anchors are unique slugs."""
    parts: list[list] = []
    current = [_("Introduction"), []]
    in_fence = False
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match:
            parts.append(current)
            current = [match.group(1).strip(), []]
        else:
            current[1].append(line)
    parts.append(current)
    sections, seen = [], set()
    for heading, lines in parts:
        text = "\n".join(lines).strip()
        if not text and heading == _("Introduction"):
            continue
        base = slugify(heading)[:70] or "section"
        anchor, n = base, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        sections.append((anchor, heading[:200], text))
    return sections


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise NotAllowed(_("Only the Stewardship team and TIES staff can do this."))


def _add_version(
    *, acting_user, consultation: Consultation, body: str, is_final=False, **extra
) -> ConsultationVersion:
    number = (consultation.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ConsultationVersion(
        consultation=consultation,
        number=number,
        body=body,
        is_final=is_final,
        published_by=acting_user,
        **extra,
    )
    version.full_clean()
    version.save()
    sections = split_sections(body)
    if not sections:
        raise DomainError(_("The document is empty."), field="body")
    Section.objects.bulk_create(
        Section(version=version, order=i, anchor=a, heading=h, body=b)
        for i, (a, h, b) in enumerate(sections)
    )
    return version


@transaction.atomic
def consultation_create(
    *,
    acting_user,
    title: str,
    slug: str,
    body: str,
    opens_at,
    closes_at,
    summary: str = "",
    comment_visibility: str = Consultation.Visibility.MEMBERS,
    published: bool = True,
) -> Consultation:
    _require_moderator(acting_user)
    consultation = Consultation(
        title=title,
        slug=slug,
        summary=summary,
        opens_at=opens_at,
        closes_at=closes_at,
        comment_visibility=comment_visibility,
        published=published,
        created_by=acting_user,
    )
    if closes_at and opens_at and closes_at <= opens_at:
        raise DomainError(_("Comments must close after they open."), field="closes_at")
    consultation.full_clean()
    consultation.save()
    _add_version(acting_user=acting_user, consultation=consultation, body=body)
    return consultation


@transaction.atomic
def consultation_version_publish(
    *, acting_user, consultation: Consultation, body: str, summary_of_changes: str = ""
) -> ConsultationVersion:
    """A revised draft while the consultation runs. Earlier comments stay on the version
    (and section) they were made on."""
    _require_moderator(acting_user)
    consultation = lock_one(Consultation, consultation.pk)
    if consultation.versions.filter(is_final=True).exists():
        raise Conflict(_("The final version is already published."))
    return _add_version(
        acting_user=acting_user,
        consultation=consultation,
        body=body,
        summary_of_changes=summary_of_changes,
    )


def comment_summary(consultation: Consultation) -> dict:
    """Comments received, by region and outcome (one query). JSON-serialisable."""
    rows = (
        Comment.objects.filter(consultation=consultation)
        .values("region__number", "region__name", "outcome")
        .annotate(n=Count("pk"))
        .order_by("region__number", "outcome")
    )
    outcomes = [value for value, _label in Comment.Outcome.choices]
    by_region: dict = {}
    by_outcome = dict.fromkeys(outcomes, 0)
    for row in rows:
        name = row["region__name"] or _("No region")
        entry = by_region.setdefault(
            name, {"region": name, "total": 0, **dict.fromkeys(outcomes, 0)}
        )
        entry[row["outcome"]] += row["n"]
        entry["total"] += row["n"]
        by_outcome[row["outcome"]] += row["n"]
    return {
        "total": sum(by_outcome.values()),
        "by_outcome": by_outcome,
        "by_region": list(by_region.values()),
    }


@transaction.atomic
def consultation_finalize(
    *, acting_user, consultation: Consultation, body: str, summary_of_changes: str
) -> ConsultationVersion:
    """Publish the final version once commenting has closed, with the summary of changes
    and a frozen summary of the comments received."""
    _require_moderator(acting_user)
    consultation = lock_one(Consultation, consultation.pk)
    if not consultation.has_closed():
        raise Conflict(_("The final version can be published after comments close."))
    if consultation.versions.filter(is_final=True).exists():
        raise Conflict(_("The final version is already published."))
    if not summary_of_changes.strip():
        raise DomainError(_("Summarise what changed."), field="summary_of_changes")
    version = _add_version(
        acting_user=acting_user,
        consultation=consultation,
        body=body,
        is_final=True,
        summary_of_changes=summary_of_changes,
        comment_summary=comment_summary(consultation),
    )
    audit_log(
        actor=acting_user,
        action="community.consultation_finalized",
        obj=consultation,
        after={"version": version.number, "comments": version.comment_summary["total"]},
    )
    return version


def current_version(consultation: Consultation) -> ConsultationVersion | None:
    return consultation.versions.order_by("-number").first()


@transaction.atomic
def comment_create(
    *, acting_user, consultation: Consultation, body: str, section: Section | None = None
) -> Comment:
    """A member's comment on the current version, whole or one section. Refused once the
    deadline has passed, whatever page the member had open."""
    ecosystems = member_ecosystems(acting_user)
    if not ecosystems:
        raise NotAllowed(
            _("Comments are open to leads and members of SLECoP ecosystems."),
            code="not_a_member",
        )
    consultation = lock_one(Consultation, consultation.pk)
    now = timezone.now()
    if not consultation.published or now < consultation.opens_at:
        raise Conflict(_("Comments are not open yet."), code="not_open")
    if consultation.has_closed(now):
        raise Conflict(
            _("Comments closed on %(when)s; thank you for your interest.")
            % {"when": date_format(timezone.localtime(consultation.closes_at), "F j, Y, H:i")},
            code="closed",
        )
    version = current_version(consultation)
    if section is not None and section.version_id != version.pk:
        raise DomainError(
            _("That section is not in the current version; please comment again."),
            field="section",
        )
    if not body.strip():
        raise DomainError(_("Write your comment."), field="body")
    ecosystem = ecosystems[0]
    comment = Comment(
        consultation=consultation,
        version=version,
        section=section,
        author=acting_user,
        ecosystem=ecosystem,
        region=ecosystem.region,
        body=body.strip(),
        created_at=now,
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_respond(*, acting_user, comment: Comment, outcome: str, reply: str = "") -> Comment:
    """The team's decision on a comment (accepted, noted or declined) with a reply."""
    _require_moderator(acting_user)
    comment = lock_one(Comment, comment.pk)
    if outcome not in {Comment.Outcome.ACCEPTED, Comment.Outcome.NOTED, Comment.Outcome.DECLINED}:
        raise DomainError(_("Choose accepted, noted or declined."), field="outcome")
    before = {"outcome": comment.outcome, "reply": comment.reply}
    comment.outcome = outcome
    comment.reply = reply.strip()
    comment.responded_by = acting_user
    comment.responded_at = timezone.now()
    comment.full_clean()
    comment.save()
    audit_log(
        actor=acting_user,
        action="community.comment_responded",
        obj=comment,
        ecosystem=comment.ecosystem,
        before=before,
        after={"outcome": comment.outcome, "reply": comment.reply},
    )
    if before["outcome"] != comment.outcome or before["reply"] != comment.reply:
        send_templated_email(
            to=[comment.author.email] if comment.author.is_active else [],
            template="community/email/comment_response",
            context={
                "comment": comment,
                "consultation": comment.consultation,
                "outcome": comment.get_outcome_display(),
                "url": absolute_url(comment.consultation.get_absolute_url()),
            },
        )
    return comment


@transaction.atomic
def faq_ask(*, acting_user, consultation: Consultation | None, question: str) -> FAQEntry:
    if not member_ecosystems(acting_user) and not is_moderator(acting_user):
        raise NotAllowed(_("Questions are open to leads and members of SLECoP ecosystems."))
    if consultation is not None and not consultation.published:
        raise Conflict(_("This consultation is not published."))
    if not question.strip():
        raise DomainError(_("Write your question."), field="question")
    entry = FAQEntry(consultation=consultation, question=question.strip(), asked_by=acting_user)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def faq_answer(*, acting_user, entry: FAQEntry, answer: str, publish: bool = True) -> FAQEntry:
    """Answer (or re-answer) a question; a published answer shows its "updated on" date."""
    _require_moderator(acting_user)
    entry = lock_one(FAQEntry, entry.pk)
    if not answer.strip():
        raise DomainError(_("Write the answer."), field="answer")
    now = timezone.now()
    entry.answer = answer.strip()
    entry.answered_by = acting_user
    entry.updated_on = now
    if publish:
        entry.status = FAQEntry.Status.PUBLISHED
        entry.published_at = entry.published_at or now
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def faq_decline(*, acting_user, entry: FAQEntry) -> FAQEntry:
    _require_moderator(acting_user)
    entry = lock_one(FAQEntry, entry.pk)
    entry.status = FAQEntry.Status.DECLINED
    entry.save(update_fields=["status"])
    return entry
