"""Announcements by TIES staff or the Vice Chair for Communications, and the weekly
email digest sent to leads through renewals' notification outbox (once per week)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from community.permissions import can_publish_announcements
from members.audit import audit_log
from renewals.services import notify_leads
from slecop.errors import DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url

from ..models import Announcement


def _require_publisher(user) -> None:
    if not can_publish_announcements(user):
        raise NotAllowed(
            _("Only TIES staff and the Vice Chair for Communications publish announcements.")
        )


@transaction.atomic
def announcement_create(
    *,
    acting_user,
    title: str,
    body: str,
    visibility: str = Announcement.Visibility.PUBLIC,
    publish: bool = True,
) -> Announcement:
    _require_publisher(acting_user)
    if not title.strip() or not body.strip():
        raise DomainError(_("An announcement needs a title and a text."))
    announcement = Announcement(
        title=title.strip(),
        body=body,
        visibility=visibility,
        author=acting_user,
        published_at=timezone.now() if publish else None,
    )
    announcement.full_clean()
    announcement.save()
    if publish:
        _audit(acting_user, announcement, "community.announcement_published")
    return announcement


def _audit(user, announcement, action):
    audit_log(
        actor=user,
        action=action,
        obj=announcement,
        after={"visibility": announcement.visibility, "published_at": announcement.published_at},
    )


@transaction.atomic
def announcement_publish(*, acting_user, announcement: Announcement) -> Announcement:
    _require_publisher(acting_user)
    announcement = lock_one(Announcement, announcement.pk)
    if announcement.published_at is None:
        announcement.published_at = timezone.now()
        announcement.save(update_fields=["published_at"])
        _audit(acting_user, announcement, "community.announcement_published")
    return announcement


@transaction.atomic
def announcement_unpublish(*, acting_user, announcement: Announcement) -> Announcement:
    _require_publisher(acting_user)
    announcement = lock_one(Announcement, announcement.pk)
    if announcement.published_at is not None:
        announcement.published_at = None
        announcement.save(update_fields=["published_at"])
        _audit(acting_user, announcement, "community.announcement_unpublished")
    return announcement


def digest_week(on: dt.date) -> tuple[str, dt.date, dt.date]:
    """The ISO week before `on`: its key and first and last days."""
    monday = on - dt.timedelta(days=on.weekday() + 7)
    year, week, _day = monday.isocalendar()
    return f"community.digest:{year}-W{week:02d}", monday, monday + dt.timedelta(days=6)


def announcement_digest_send(*, on: dt.date | None = None) -> int:
    """Email the leads a digest of last week's announcements (public and members-only:
    leads are members). Keyed by ISO week, so a second run, or a catch-up run later in the
    week, sends nothing twice. Returns the number of ecosystems emailed."""

    on = on or timezone.localdate()
    key, first, last = digest_week(on)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    items = list(
        Announcement.objects.filter(published_at__gte=start, published_at__lt=end).order_by(
            "published_at", "pk"
        )
    )
    if not items:
        return 0
    context = {
        "week_start": date_format(first),
        "week_end": date_format(last),
        "announcements": [
            {
                "title": a.title,
                "excerpt": Truncator(a.body).words(40),
                "url": absolute_url(a.get_absolute_url()),
                "members_only": a.visibility == Announcement.Visibility.MEMBERS,
            }
            for a in items
        ],
    }
    with transaction.atomic():
        return notify_leads(
            key=key,
            template="community/email/announcement_digest",
            context=context,
            preference="news",
        )
