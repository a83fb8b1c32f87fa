"""Demo governance data for `manage.py seed_demo`: the interim team of 2020 seated by the
EAC, the elected two-year teams since 2021 (the current one included), regional chairs,
the TIES Liaison, two committees and a few practice groups (one awaiting approval).

Officers are leads of the demo ecosystems (never the first ecosystem's lead, so the
printed lead@example.org sign-in stays a plain lead). Idempotent: a term is only added
when its office has no term starting that day, committees and groups are keyed by slug.
Cheap at any network size: it reads a few hundred leads, never the whole network."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from members.models import EcosystemRole, User

from .models import (
    Committee,
    CommitteeMember,
    Office,
    PracticeGroup,
    PracticeGroupMembership,
    Term,
)
from .services import stewardship_team_sync

FIRST_ELECTED_YEAR = 2021  # seed: "serving a two-year term in 2021 and 2022"
LEAD_SAMPLE = 300
TIES_LIAISON_EMAIL = "staff@example.org"

COMMITTEES = [
    (
        "convening-planning-committee",
        "Convening Planning Committee",
        "vice-chair-events",
        "Works with the host community, the event planner and TIES on the annual "
        "convening: program, site visits, scholarships for attendees.",
    ),
    (
        "measurement-working-committee",
        "Measurement Working Committee",
        "vice-chair-measurement-data",
        "Helps ecosystems use the Ecosystem Indicators Tool and the ERP Dashboard, and "
        "drafts shared measurement standards.",
    ),
]

PRACTICE_GROUPS = [
    (
        "computer-science-for-all",
        "Computer Science for All",
        "Bringing computer science to every student, in school and out of school",
        PracticeGroup.Status.APPROVED,
    ),
    (
        "rural-ecosystems",
        "Rural Ecosystems",
        "Building cross-sector partnerships across long distances and small towns",
        PracticeGroup.Status.APPROVED,
    ),
    (
        "early-childhood-stem",
        "Early Childhood STEM",
        "STEM learning from birth to age eight, with families and libraries",
        PracticeGroup.Status.APPROVED,
    ),
    (
        "youth-voice",
        "Youth Voice in Ecosystems",
        "Putting young people on ecosystem leadership tables",
        PracticeGroup.Status.PENDING,
    ),
]


def _cycles(today: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """(start, end, how) of each team since 2020: the interim year, then two-year
    elected terms up to the one running today."""
    cycles = [(dt.date(2020, 1, 1), dt.date(2020, 12, 31), Term.HowFilled.INTERIM)]
    year = FIRST_ELECTED_YEAR
    while year <= today.year:
        cycles.append((dt.date(year, 1, 1), dt.date(year + 1, 12, 31), Term.HowFilled.ELECTED))
        year += 2
    return cycles


def _leads(ecosystems) -> tuple[list[int], dict[int, list[int]]]:
    """Lead ids of the first ecosystems (skipping the very first one), and per region."""
    rows = (
        EcosystemRole.objects.filter(
            ecosystem__in=ecosystems.order_by("pk")[1 : LEAD_SAMPLE + 1],
            role=EcosystemRole.Role.LEAD,
        )
        .order_by("ecosystem_id", "user_id")
        .values_list("user_id", "ecosystem__region_id")
    )
    by_region: dict[int, list[int]] = {}
    for user_id, region_id in rows:
        by_region.setdefault(region_id, []).append(user_id)
    return [user_id for user_id, _ in rows], by_region


def _how(office: Office, cycle_how: str) -> str:
    if cycle_how == Term.HowFilled.INTERIM:
        return Term.HowFilled.INTERIM
    return {
        Office.FilledBy.ELECTED: Term.HowFilled.ELECTED,
        Office.FilledBy.SELECTED: Term.HowFilled.SELECTED,
        Office.FilledBy.APPOINTED: Term.HowFilled.APPOINTED,
    }[office.filled_by]


def _person_for(office, team, by_region, rng) -> int | None:
    if office.kind == Office.Kind.REGIONAL:
        pool = [p for p in by_region.get(office.region_id, []) if p not in team.values()]
        return rng.choice(pool) if pool else None
    return team.get(office.pk)


def _terms(offices, leads, by_region, rng, today) -> int:
    existing = set(Term.objects.values_list("office_id", "start"))
    liaison = User.objects.filter(email=TIES_LIAISON_EMAIL).first()
    stewardship = [o for o in offices if o.kind == Office.Kind.STEWARDSHIP]
    rows = []
    if liaison and not Term.objects.filter(office__kind=Office.Kind.LIAISON).exists():
        office = next(o for o in offices if o.kind == Office.Kind.LIAISON)
        rows.append(  # appointed by TIES in 2020, no fixed term
            Term(
                office=office,
                person=liaison,
                start=dt.date(2020, 1, 1),
                end=None,
                how_filled=Term.HowFilled.APPOINTED,
            )
        )
    for start, end, how in _cycles(today):
        people = rng.sample(leads, min(len(leads), len(stewardship)))
        team = {office.pk: person for office, person in zip(stewardship, people, strict=False)}
        for office in offices:
            person_id = (
                None
                if office.kind == Office.Kind.LIAISON
                else _person_for(office, team, by_region, rng)
            )
            if person_id is None or (office.pk, start) in existing:
                continue
            how_filled = _how(office, how)
            rows.append(
                Term(
                    office=office,
                    person_id=person_id,
                    start=start,
                    end=end,
                    how_filled=how_filled,
                    note="Seated by the EAC" if how_filled == Term.HowFilled.INTERIM else "",
                )
            )
    Term.objects.bulk_create(rows)
    return len(rows)


def _committees(offices_by_slug, leads, rng, today) -> None:
    for slug, name, office_slug, purpose in COMMITTEES:
        committee, created = Committee.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "office": offices_by_slug[office_slug],
                "purpose": purpose,
                "active_from": dt.date(today.year, 1, 1),
            },
        )
        if created and leads:
            people = rng.sample(leads, min(len(leads), 5))
            CommitteeMember.objects.bulk_create(
                [
                    CommitteeMember(
                        committee=committee,
                        person_id=person_id,
                        role=CommitteeMember.Role.CHAIR if i == 0 else CommitteeMember.Role.MEMBER,
                    )
                    for i, person_id in enumerate(people)
                ]
            )


def _practice_groups(ecosystems, leads, rng) -> None:
    members = list(
        EcosystemRole.objects.filter(
            ecosystem__in=ecosystems.order_by("pk")[1 : LEAD_SAMPLE + 1],
        ).values_list("user_id", "ecosystem_id")
    )
    if not members:
        return
    ecosystem_of = dict(members)
    now = timezone.now()
    for slug, name, topic, status in PRACTICE_GROUPS:
        if PracticeGroup.objects.filter(slug=slug).exists():
            continue
        proposer = rng.choice(members)[0]
        group = PracticeGroup.objects.create(
            slug=slug,
            name=name,
            topic=topic,
            description=f"A practice group of the SLECoP community on: {topic.lower()}.",
            status=status,
            proposed_by_id=proposer,
            ecosystem_id=ecosystem_of[proposer],
            reviewed_at=now if status == PracticeGroup.Status.APPROVED else None,
        )
        joiners = (
            set()
            if status == PracticeGroup.Status.PENDING
            else {user_id for user_id, _ in rng.sample(members, min(len(members), 12))}
        )
        joiners.discard(proposer)
        PracticeGroupMembership.objects.bulk_create(
            [PracticeGroupMembership(group=group, person_id=proposer, role="chair")]
            + [PracticeGroupMembership(group=group, person_id=p) for p in sorted(joiners)]
        )


def seed(*, ecosystems, rng, stdout, options) -> str | None:
    today = timezone.localdate()
    leads, by_region = _leads(ecosystems)
    if not leads:
        return None
    offices = list(Office.objects.order_by("order"))
    with transaction.atomic():
        added = _terms(offices, leads, by_region, rng, today)
        _committees({o.slug: o for o in offices}, leads, rng, today)
        _practice_groups(ecosystems, leads, rng)
        stewardship_team_sync(acting_user=None, on=today)
    return (
        f"governance: {Term.objects.count()} terms ({added} new), "
        f"{Committee.objects.count()} committees, "
        f"{PracticeGroup.objects.count()} practice groups"
    )
