"""Build a realistic demo network: five regions, N ecosystems with partners, a lead and
members for each, and staff accounts. Idempotent (keys are slugs and emails) and fast at
10,000 ecosystems (bulk inserts, one password hash).

Apps add their own demo data with a `<app>/demo.py` module defining
`seed(*, ecosystems, rng, stdout, options) -> str | None`, called in INSTALLED_APPS order.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from guardian.models import UserObjectPermission

from members.audit import audit_log
from members.demo_data import (
    FIRST_NAMES,
    LAST_NAMES,
    NAME_PATTERNS,
    PARTNER_TEMPLATES,
    REGION_CITIES,
)
from members.migration_utils import STEWARDSHIP_TEAM, TIES_STAFF
from members.models import Ecosystem, EcosystemRole, PartnerOrganization, Region, User
from members.services.roles import ROLE_PERMISSIONS
from slecop.cache import bump

DEMO_PASSWORD = "slecop-demo-2026"  # noqa: S105 — public demo credential, printed
BATCH = 2000
CURRENT_YEAR = 2026


@dataclass(frozen=True)
class StaffAccount:
    email: str
    first_name: str
    last_name: str
    group: str | None
    superuser: bool = False


STAFF_ACCOUNTS = [
    StaffAccount("admin@example.org", "Ada", "Admin", None, superuser=True),
    StaffAccount("staff@example.org", "Terry", "Ties", TIES_STAFF),
    StaffAccount("steward@example.org", "Sam", "Steward", STEWARDSHIP_TEAM),
]


def chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ecosystem_specs(count: int) -> Iterator[dict]:
    """Deterministic ecosystem i: round robin over regions, then cities, then patterns."""
    region_slugs = list(REGION_CITIES)
    cities_per_region = min(len(c) for c in REGION_CITIES.values())
    per_round = len(region_slugs) * cities_per_region
    for i in range(count):
        region_slug = region_slugs[i % len(region_slugs)]
        city, state = REGION_CITIES[region_slug][(i // len(region_slugs)) % cities_per_region]
        pattern = NAME_PATTERNS[(i // per_round) % len(NAME_PATTERNS)]
        name = pattern.format(city=city)
        generation = i // (per_round * len(NAME_PATTERNS))
        if generation:
            name = f"{name} {generation + 1}"
        rng = random.Random(i)
        cohort = rng.choice(range(2016, CURRENT_YEAR + 1))
        status = Ecosystem.Status.ACTIVE
        if cohort == CURRENT_YEAR:
            status = Ecosystem.Status.ONBOARDING
        elif rng.random() < 0.05:
            status = Ecosystem.Status.LAPSED
        international = region_slug == "international-global"
        yield {
            "index": i,
            "region_slug": region_slug,
            "city": city,
            "name": name,
            "slug": slugify(name)[:200],
            "state_province": "" if international else state,
            "country": state if international else "United States",
            "cohort_year": cohort,
            "founded_year": cohort - rng.randint(0, 6),
            "status": status,
        }


def analyze_project_tables() -> None:
    """Planner statistics after the bulk loads: without them the good-standing lookup took
    80 ms instead of 2 ms at 10,000 ecosystems (bench/load.py). Only this project's tables
    (every installed model's): a bare, database-wide ANALYZE also analyses the shared
    catalogs and waited on their locks while another database on the same server was being
    analysed (it failed CI with a lock timeout). Raw SQL: the ORM has no ANALYZE; the table
    names are the models' own, quoted."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    if tables:
        quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {quoted}")  # model table names, quoted


class Command(BaseCommand):
    help = "Create (or complete) the demo network. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--ecosystems", type=int, default=120)
        parser.add_argument(
            "--people-per-ecosystem",
            type=int,
            default=2,
            help="accounts per ecosystem: one lead, the rest members (default 2)",
        )
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, ecosystems: int, people_per_ecosystem: int, password: str, **options):
        if ecosystems < 1 or people_per_ecosystem < 1:
            raise CommandError("--ecosystems and --people-per-ecosystem must be at least 1")
        if not Region.objects.exists():
            raise CommandError("Regions are missing: run `manage.py migrate` first.")
        self.password_hash = make_password(password)
        with transaction.atomic():
            specs = list(ecosystem_specs(ecosystems))
            eco_ids = self._ecosystems(specs)
            self._partners(specs, eco_ids)
            self._people(specs, eco_ids, people_per_ecosystem)
            self._staff()
            audit_log(
                actor=None,
                action="demo.seeded",
                after={"ecosystems": ecosystems, "people_per_ecosystem": people_per_ecosystem},
            )
        queryset = Ecosystem.objects.filter(pk__in=list(eco_ids.values()))
        summaries = list(self._app_hooks(queryset, options))
        # the bulk inserts sent no post_save: every cached figure is stale
        bump("directory", "dues", "measurement", "resources", "announcements", "panels")
        if connection.vendor == "postgresql":
            analyze_project_tables()
        if not options["quiet"]:
            self._report(password, summaries)

    # --- members -----------------------------------------------------------------------
    def _ecosystems(self, specs: list[dict]) -> dict[str, int]:
        regions = dict(Region.objects.values_list("slug", "pk"))
        Ecosystem.objects.bulk_create(
            [
                Ecosystem(
                    name=s["name"],
                    slug=s["slug"],
                    region_id=regions[s["region_slug"]],
                    city=s["city"],
                    state_province=s["state_province"],
                    country=s["country"],
                    founded_year=s["founded_year"],
                    cohort_year=s["cohort_year"],
                    status=s["status"],
                    website=f"https://{s['slug']}.example.org",
                    description=(
                        f"{s['name']} brings together schools, out-of-school programs, "
                        f"museums, employers and families in {s['city']} so every young "
                        "person can find a path into STEM."
                    ),
                )
                for s in specs
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        return self._ids(Ecosystem, "slug", [s["slug"] for s in specs])

    def _partners(self, specs: list[dict], eco_ids: dict[str, int]) -> None:
        rows = []
        for s in specs:
            rng = random.Random(f"partners-{s['index']}")
            for template, sector in rng.sample(PARTNER_TEMPLATES, rng.randint(3, 6)):
                rows.append(
                    PartnerOrganization(
                        ecosystem_id=eco_ids[s["slug"]],
                        name=template.format(city=s["city"]),
                        sector=sector,
                    )
                )
        PartnerOrganization.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)

    def _people(self, specs: list[dict], eco_ids: dict[str, int], per: int) -> None:
        people: list[tuple[str, str, str, int, str]] = []  # email, first, last, eco, role
        for s in specs:
            rng = random.Random(f"people-{s['index']}")
            for k in range(per):
                role = EcosystemRole.Role.LEAD if k == 0 else EcosystemRole.Role.MEMBER
                people.append(
                    (
                        demo_email(s["index"], s["slug"], k),
                        rng.choice(FIRST_NAMES),
                        rng.choice(LAST_NAMES),
                        eco_ids[s["slug"]],
                        role,
                    )
                )
        User.objects.bulk_create(
            [
                User(email=email, first_name=first, last_name=last, password=self.password_hash)
                for email, first, last, _, _ in people
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        user_ids = self._ids(User, "email", [p[0] for p in people])
        self._verified_emails(user_ids)
        EcosystemRole.objects.bulk_create(
            [
                EcosystemRole(user_id=user_ids[email], ecosystem_id=eco, role=role)
                for email, _, _, eco, role in people
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        self._object_permissions((user_ids[p[0]], p[3], p[4]) for p in people)

    def _verified_emails(self, user_ids: dict[str, int]) -> None:
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user_id=pk, email=email, verified=True, primary=True)
                for email, pk in user_ids.items()
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    def _object_permissions(self, grants: Iterable[tuple[int, int, str]]) -> None:
        """The same guardian rows the role services grant (see ROLE_PERMISSIONS)."""
        content_type = ContentType.objects.get_for_model(Ecosystem)
        perms = {p.codename: p for p in Permission.objects.filter(content_type=content_type)}
        rows = [
            UserObjectPermission(
                user_id=user_id,
                permission=perms[perm.split(".", 1)[1]],
                content_type=content_type,
                object_pk=str(eco_id),
            )
            for user_id, eco_id, role in grants
            for perm in ROLE_PERMISSIONS[role]
        ]
        UserObjectPermission.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)

    def _staff(self) -> None:
        for account in STAFF_ACCOUNTS:
            user, _ = User.objects.get_or_create(
                email=account.email,
                defaults={
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "is_staff": True,
                    "is_superuser": account.superuser,
                    "password": self.password_hash,
                },
            )
            if account.group:
                user.groups.add(Group.objects.get(name=account.group))
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )

    @staticmethod
    def _ids(model, field: str, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in chunks(keys):
            found.update(model.objects.filter(**{f"{field}__in": part}).values_list(field, "pk"))
        return found

    # --- other apps ----------------------------------------------------------------------
    def _app_hooks(self, ecosystems, options) -> Iterator[str]:
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            summary = module.seed(
                ecosystems=ecosystems,
                rng=random.Random(f"demo-{config.label}"),
                stdout=self.stdout,
                options=options,
            )
            if summary:
                yield summary

    def _report(self, password: str, summaries: list[str]) -> None:
        first = Ecosystem.objects.filter(slug=next(ecosystem_specs(1))["slug"]).first()
        self.stdout.write(self.style.SUCCESS("Demo network ready."))
        self.stdout.write(
            f"  {Ecosystem.objects.count()} ecosystems, {User.objects.count()} people, "
            f"{PartnerOrganization.objects.count()} partner organisations"
        )
        for line in summaries:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"\nDemo sign-ins (password for all: {password})")
        self.stdout.write(f"  lead of {first}: {demo_email(0, '', 0)}")
        self.stdout.write(f"  member of {first}: {demo_email(0, '', 1)}")
        self.stdout.write("  TIES staff: staff@example.org")
        self.stdout.write("  stewardship team: steward@example.org")
        self.stdout.write("  superuser: admin@example.org")


def demo_email(index: int, slug: str, k: int) -> str:
    """lead@example.org / member@example.org for the first ecosystem, then
    lead.<slug>@example.org, member.<slug>@example.org, member2.<slug>@…"""
    role = "lead" if k == 0 else ("member" if k == 1 else f"member{k}")
    if index == 0:
        return f"{role}@example.org"
    return f"{role}.{slug}@example.org"
