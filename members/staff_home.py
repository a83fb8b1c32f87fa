"""The home of staff and of the Stewardship team: what waits for them and the figures of
the year, read in one query whatever the size of the network.

Each kind of waiting work names the model permission that lets the viewer act on it; the
viewer sees only the kinds they hold. The models of other apps are named by label
(`apps.get_model`), so this module imports none of them (they depend on `members`, not
the other way round); a kind whose app is not installed is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.billing.selectors import STANDING_STATUSES, good_standing_q

from .money import format_money


def _count(qs: QuerySet) -> Subquery:
    # COUNT(*) over the filtered rows as a scalar subquery: a plain function (not an
    # aggregate), so the ORM adds no GROUP BY and the subquery always returns one row.
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def _sum(qs: QuerySet, field: str) -> Coalesce:
    return Coalesce(
        Subquery(
            qs.order_by().annotate(s=Func(F(field), function="SUM")).values("s"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _model(label: str):
    return apps.get_model(label)


@dataclass(frozen=True)
class Waiting:
    key: str
    label: Promise
    model: str  # "app_label.ModelName"
    permission: str
    filters: dict
    admin_filter: str  # the changelist's query string for the waiting rows

    def queryset(self) -> QuerySet:
        return _model(self.model).objects.filter(**self.filters)

    def url(self) -> str:
        app_label, name = self.model.lower().split(".")
        return f"{reverse(f'admin:{app_label}_{name}_changelist')}?{self.admin_filter}"


WAITING = (
    Waiting(
        "scholarships",
        _("Scholarship applications to decide"),
        "members.ScholarshipApplication",
        "members.change_scholarshipapplication",
        {"status": "submitted"},
        "status__exact=submitted",
    ),
    Waiting(
        "service_requests",
        _("Service requests to answer"),
        "members.ServiceRequest",
        "members.change_servicerequest",
        {"status": "requested"},
        "status__exact=requested",
    ),
    Waiting(
        "join_applications",
        _("Join applications to review"),
        "members.JoinApplication",
        "members.change_joinapplication",
        {"status": "pending"},
        "status__exact=pending",
    ),
    Waiting(
        "flagged_payments",
        _("Flagged payments (invoices that need attention)"),
        "members.Invoice",
        "members.change_payment",
        {"flagged": True},
        "flagged__exact=1",
    ),
    Waiting(
        "nominations",
        _("Nominations to review (accepted by the nominee)"),
        "elections.Nomination",
        "elections.change_nomination",
        {"status": "accepted"},
        "status__exact=accepted",
    ),
    Waiting(
        "practice_groups",
        _("Practice group proposals"),
        "governance.PracticeGroup",
        "governance.approve_practicegroup",
        {"status": "pending"},
        "status__exact=pending",
    ),
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    permission: str
    values: Callable[[date], dict]  # name → expression (an integer)
    text: Callable[[dict], str]  # the values → what the card shows


def _standing(on: date) -> dict:
    members = _model("members.Ecosystem").objects.filter(status__in=STANDING_STATUSES)
    return {"good": _count(members.filter(good_standing_q(on))), "total": _count(members)}


def _dues(on: date) -> dict:
    invoices = (
        _model("members.Invoice")
        .objects.filter(kind="dues", membership_year__year=on.year)
        .exclude(status__in=("void", "draft"))
    )
    return {"paid": _sum(invoices, "paid_cents"), "total": _sum(invoices, "total_cents")}


def _scholarships(on: date) -> dict:
    granted = _model("members.ScholarshipApplication").objects.filter(
        status__in=("approved", "partially_approved"),
        invoice__membership_year__year=on.year,
    )
    return {"count": _count(granted), "cents": _sum(granted, "approved_cents")}


def _registrations(on: date) -> dict:
    confirmed = _model("convenings.Registration").objects.filter(
        status="confirmed", convening__starts_at__year=on.year
    )
    return {"count": _count(confirmed)}


FIGURES = (
    Figure(
        "standing",
        _("Ecosystems in good standing"),
        "members.view_ecosystem",
        _standing,
        lambda v: f"{v['good']} / {v['total']}",
    ),
    Figure(
        "dues",
        _("Dues collected of invoiced"),
        "members.view_invoice",
        _dues,
        lambda v: f"{format_money(v['paid'])} / {format_money(v['total'])}",
    ),
    Figure(
        "scholarships",
        _("Scholarships granted"),
        "members.view_scholarshipapplication",
        _scholarships,
        lambda v: f"{v['count']} ({format_money(v['cents'])})",
    ),
    Figure(
        "registrations",
        _("Convening registrations"),
        "convenings.view_registration",
        _registrations,
        lambda v: str(v["count"]),
    ),
)


@dataclass(frozen=True)
class WaitingRow:
    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class StaffHome:
    year: int
    waiting: list[WaitingRow]
    figures: list[FigureRow]

    @property
    def waiting_total(self) -> int:
        return sum(row.count for row in self.waiting)


def _installed(model: str) -> bool:
    try:
        _model(model)
    except LookupError:
        return False
    return True


def is_staff_home_user(user) -> bool:
    """Staff and the Stewardship team (whose members the terms make staff) have this home."""
    return bool(user.is_authenticated and user.is_staff)


def staff_home(*, user, on: date | None = None) -> StaffHome:
    """What waits for `user` and the figures of the year, in one query (the viewer's own
    user row carries every count as a scalar subquery)."""
    on = on or timezone.localdate()
    waiting = [w for w in WAITING if _installed(w.model) and user.has_perm(w.permission)]
    figures = [
        f
        for f in FIGURES
        if user.has_perm(f.permission)
        and (f.key != "registrations" or _installed("convenings.Registration"))
    ]
    expressions = {f"w_{w.key}": _count(w.queryset()) for w in waiting}
    for figure in figures:
        for name, expression in figure.values(on).items():
            expressions[f"f_{figure.key}_{name}"] = expression
    row = (
        get_user_model().objects.filter(pk=user.pk).values(**expressions).get()
        if expressions
        else {}
    )
    return StaffHome(
        year=on.year,
        waiting=[WaitingRow(w.key, str(w.label), row[f"w_{w.key}"] or 0, w.url()) for w in waiting],
        figures=[
            FigureRow(
                f.key,
                str(f.label),
                f.text(
                    {
                        name.removeprefix(f"f_{f.key}_"): value or 0
                        for name, value in row.items()
                        if name.startswith(f"f_{f.key}_")
                    }
                ),
            )
            for f in figures
        ],
    )
