"""Ad hoc committees. Staff create and staff them in the admin (plain data, no rule
beyond the model's constraints); closing one is a service so it is dated and audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.audit import audit_log
from slecop.errors import DomainError
from slecop.locking import lock_one

from ..models import Committee


@transaction.atomic
def committee_close(
    *, acting_user, committee: Committee, last_day: dt.date | None = None
) -> Committee:
    """Record that the committee's work is done; `last_day` (default today) is its last
    active day. A committee already closed by then is left as it is."""
    last_day = last_day or timezone.localdate()
    committee = lock_one(Committee, committee.pk)
    if committee.active_to is not None and committee.active_to <= last_day:
        return committee
    if last_day < committee.active_from:
        raise DomainError(
            _("%(committee)s only starts on %(date)s.")
            % {"committee": committee, "date": date_format(committee.active_from)},
            field="active_to",
        )
    before = {"active_to": committee.active_to}
    committee.active_to = last_day
    committee.full_clean()
    committee.save(update_fields=["active_to"])
    audit_log(
        actor=acting_user,
        action="governance.committee_closed",
        obj=committee,
        before=before,
        after={"active_to": last_day},
    )
    return committee
