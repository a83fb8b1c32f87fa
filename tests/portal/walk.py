"""Walk the whole URL conf with real demo rows: the portal-wide tests (access matrix, query
ceilings, form fuzz, accessibility) all start here, so an app that lands later is covered
by adding its routes — nothing in tests/portal/ names an app's pages.

`fill_routes(viewer)` turns every named route into a concrete URL by trying values taken
from the demo data for each URL kwarg (`ecosystem` → the viewer's ecosystem; any other
kwarg → values of a model field with that name, the viewer's ecosystem's rows first) and
keeping the first URL the viewer can open (not 404). Routes no value fills are reported,
not silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from itertools import islice, product

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, resolve
from django.utils import timezone

from members.models import Ecosystem, User
from slecop.project import project_app_labels
from tests.urlwalk import Route, fill, iter_routes

# The apps of this repository with pages and models (the project package has neither).
PROJECT_APPS = tuple(label for label in project_app_labels() if label != "slecop")
# Routes the walk never requests: they end the session or act on GET by design.
NOT_WALKED = {"account_logout", "set_language"}
CANDIDATES_PER_KWARG = 300


@dataclass
class Page:
    route: Route
    url: str
    status: int  # status for the viewer that filled it
    content_type: str = ""
    attachment: bool = False  # sent with Content-Disposition (a download)

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html") and not self.attachment

    @property
    def match(self):
        return resolve(self.url)

    @property
    def path(self) -> str:
        return self.match.route


@dataclass
class Walk:
    pages: list[Page] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)

    def urls(self) -> list[str]:
        return [p.url for p in self.pages]


def project_models() -> list[type[models.Model]]:
    return [m for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()]


def routes() -> list[Route]:
    unique = {r.name: r for r in iter_routes() if r.name not in NOT_WALKED}
    return [unique[name] for name in sorted(unique)]


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields} | {"pk"}


def candidates(kwarg: str, ecosystem: Ecosystem | None) -> list:
    """Values for a URL kwarg from the rows in the database: the ecosystem's own rows
    first (so `pk` finds its invoices, roles, payments), then any row."""
    if kwarg == "ecosystem":
        return [ecosystem.slug] if ecosystem else []
    # signed values first: a page refuses someone else's token with a 403, not a 404, so
    # a stored token (an invitation's) tried first would fill the nominee's page wrongly
    values: list = [make(ecosystem) for make in SIGNED_VALUES.get(kwarg, ())]
    for model in project_models():
        if kwarg not in _field_names(model):
            continue
        rows = model._default_manager.order_by("pk")
        if ecosystem is not None and "ecosystem" in _field_names(model):
            values += list(rows.filter(ecosystem=ecosystem).values_list(kwarg, flat=True)[:3])
        elif ecosystem is not None and model is Ecosystem and kwarg == "slug":
            values.append(ecosystem.slug)
        values += list(rows.values_list(kwarg, flat=True)[:2])
    if kwarg != "pk":  # a row found through its parent (an onboarding by its ecosystem's slug)
        values += _related_values(kwarg, ecosystem)
    return list(dict.fromkeys(v for v in values if v not in (None, "")))


def _related_values(kwarg: str, ecosystem: Ecosystem | None) -> list:
    """`kwarg` of the rows a model points to (`Onboarding.ecosystem.slug` for `slug`),
    after the direct values so the routes that already filled keep their URLs."""
    values: list = []
    for model in project_models():
        rows = model._default_manager.order_by("pk")
        for fk in model._meta.concrete_fields:
            if not fk.is_relation or kwarg not in _field_names(fk.related_model):
                continue
            path = f"{fk.name}__{kwarg}"
            if ecosystem is not None and "ecosystem" in _field_names(model):
                values += list(rows.filter(ecosystem=ecosystem).values_list(path, flat=True)[:1])
            values += list(rows.values_list(path, flat=True)[:1])
    return values


def _nomination_link(ecosystem: Ecosystem | None) -> str | None:
    """The signed token of a nominee's link (a kwarg no model field holds)."""
    from elections.models import Nomination
    from elections.services import nomination_token

    nomination = Nomination.objects.order_by("pk").first()
    return nomination_token(nomination) if nomination else None


# Values of kwargs that are signed, not stored: made from demo rows by the app's service.
SIGNED_VALUES = {"token": (_nomination_link,)}


def urls_for(route: Route, ecosystem: Ecosystem | None) -> Iterable[str]:
    names = list(route.converters)
    pools = [candidates(name, ecosystem) for name in names]
    if not all(pools):
        return
    # diagonal order: every value of one kwarg meets the first values of the others early
    combos = sorted(product(*(range(len(pool)) for pool in pools)), key=sum)
    for combo in islice(combos, CANDIDATES_PER_KWARG):
        values = [pool[i] for pool, i in zip(pools, combo, strict=True)]
        try:
            yield fill(route, dict(zip(names, values, strict=True)))
        except NoReverseMatch:
            continue


def _page(client: Client, route: Route, url: str) -> Page:
    response = client.get(url)
    return Page(
        route,
        url,
        response.status_code,
        response.get("Content-Type", ""),
        response.has_header("Content-Disposition"),
    )


def fill_routes(client: Client, ecosystem: Ecosystem | None = None) -> Walk:
    """Every route as a URL the signed-in `client` can GET (anything but 404)."""
    walk = Walk()
    for route in routes():
        if not route.converters:
            try:
                url = fill(route, {})
            except NoReverseMatch:  # a re_path with groups (allauth's keys): nothing to fill
                walk.unfilled.append(route.name)
                continue
            walk.pages.append(_page(client, route, url))
            continue
        for url in urls_for(route, ecosystem):
            page = _page(client, route, url)
            if page.status != 404:
                walk.pages.append(page)
                break
        else:
            walk.unfilled.append(route.name)
    return walk


@cache
def _code_names(func) -> frozenset[str]:
    """Qualified names of the wrappers around a view function (decorators keep
    `__wrapped__`, and each wrapper's own code object keeps its decorator's name)."""
    names = set()
    while func is not None:
        code = getattr(func, "__code__", None)
        wrapped = getattr(func, "__wrapped__", None)
        if code is not None:
            names.add(code.co_qualname)
            for cell in func.__closure__ or ():
                if cell.cell_contents is wrapped:
                    continue  # the view itself, not a decorator's test (is_staff for a link)
                inner = getattr(cell.cell_contents, "__code__", None)
                if inner is not None and "is_staff" in inner.co_names:
                    names.add("is_staff")
        view_class = getattr(func, "view_class", None)
        if view_class is not None:
            names.update(c.__name__ for c in view_class.__mro__)
        func = wrapped
    return frozenset(names)


def is_staff_page(page: Page) -> bool:
    """A staff page lives under a `staff/` path segment or is wrapped by a staff-only
    decorator (`staff_view`, `staff_member_required`, a mixin named Staff…)."""
    match = page.match
    if "staff" in match.route.split("/"):
        return True
    return any("staff" in name.lower() for name in _code_names(match.func))


def demo_people() -> tuple[User, Ecosystem, User, Ecosystem, User]:
    """(lead, their ecosystem, another ecosystem's lead, that ecosystem, staff) from
    seed_demo's accounts."""
    lead = User.objects.get(email="lead@example.org")
    ecosystem = Ecosystem.objects.get(roles__user=lead, roles__role="lead")
    other = Ecosystem.objects.exclude(pk=ecosystem.pk).filter(roles__role="lead").order_by("pk")[0]
    other_lead = User.objects.filter(
        ecosystem_roles__ecosystem=other, ecosystem_roles__role="lead"
    ).first()
    staff = User.objects.get(email="staff@example.org")
    return lead, ecosystem, other_lead, other, staff


def row_counts() -> dict[str, int]:
    """Rows per model of every project app (and accounts, groups and sessions): the
    'nothing changed' check — a refused request must not even start a session."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group
    from django.contrib.sessions.models import Session

    counted = [*project_models(), EmailAddress, Group, Session]
    return {m._meta.label: m._default_manager.count() for m in counted}


def add_rows_the_demo_leaves_out(
    lead: User, ecosystem: Ecosystem, nominee: User, *, links: bool = False
) -> None:
    """seed_demo leaves the first ecosystem without a convening seat or a service request
    (its lead's journeys start fresh) and the network without an open invitation or a
    pending nomination (`links`); the pages that show one would go unwalked. Give
    `ecosystem` what it lacks, through the apps' services, so the walk reaches them."""
    from convenings.models import Convening, Registration
    from elections.models import Contest, Nomination
    from elections.services import nomination_create
    from members.catalogue import services as addons
    from members.models import Service, ServiceRequest
    from members.services import invitation_create
    from slecop.errors import Conflict, DomainError
    from tests.convenings.factories import register
    from tests.elections.factories import election_with_contests

    if not ServiceRequest.objects.filter(ecosystem=ecosystem).exists():
        addons.service_request_create(
            acting_user=lead,
            ecosystem=ecosystem,
            service=Service.objects.filter(availability=Service.Availability.ACTIVE)
            .order_by("pk")
            .first(),
            need="A design studio with our district partners on summer programs.",
        )
    if not Registration.objects.filter(ecosystem=ecosystem).exists():
        convening = Convening.objects.filter(kind=Convening.Kind.NATIONAL).latest("starts_at")
        try:
            register(convening, ecosystem, acting_user=lead)
        except Conflict as exc:
            if exc.code != "not_in_good_standing":
                raise
            # the first ecosystem's dues are open, so the service (rightly) refuses it an
            # included seat today: the seat it took while it was in good standing
            seat = Registration(
                convening=convening,
                ecosystem=ecosystem,
                attendee_name="Dana Walker",
                attendee_email="dana.walker@example.org",
                status=Registration.Status.CONFIRMED,
                seat_kind=Registration.SeatKind.INCLUDED,
                seat_no=1,
                confirmed_at=timezone.now() - timedelta(days=30),
            )
            seat.full_clean()
            seat.save()
    if links:
        invitation_create(
            acting_user=lead, ecosystem=ecosystem, email="new.partner@example.org", role="member"
        )
        election = election_with_contests(("chair", Contest.Method.IRV, []))
        statement = "Dana has led our partnership table for six years."
        try:
            nomination_create(
                acting_user=lead,
                ecosystem=ecosystem,
                contest=election.contests.get(),
                nominee=nominee,
                statement=statement,
            )
        except DomainError:
            # the first ecosystem's dues are open (or the nominee holds no role), so the
            # service (rightly) refuses the nomination (issue 27): the pending row it makes
            Nomination.objects.create(
                contest=election.contests.get(),
                nominee=nominee,
                nominated_by=lead,
                ecosystem=ecosystem,
                statement=statement,
            )
