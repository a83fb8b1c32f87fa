"""Factories and helpers of the governance tests (members factories in tests/factories)."""

from __future__ import annotations

import datetime as dt

import factory

from governance.models import Committee, Office, PracticeGroup, PracticeGroupMembership, Term
from governance.services import term_create
from tests.factories import EcosystemFactory, UserFactory

HOW_FOR_OFFICE = {
    Office.FilledBy.ELECTED: Term.HowFilled.ELECTED,
    Office.FilledBy.APPOINTED: Term.HowFilled.APPOINTED,
    Office.FilledBy.SELECTED: Term.HowFilled.SELECTED,
}


def office(slug: str = "chair") -> Office:
    return Office.objects.get(slug=slug)


def make_term(
    office_or_slug: Office | str = "chair",
    person=None,
    *,
    start: dt.date,
    end: dt.date | str | None = "regular",
    how_filled: str | None = None,
    acting_user=None,
) -> Term:
    """A term through the real service (lock, checks, audit, group sync)."""
    obj = office(office_or_slug) if isinstance(office_or_slug, str) else office_or_slug
    return term_create(
        acting_user=acting_user,
        office=obj,
        person=person or UserFactory(),
        start=start,
        end=obj.default_end(start) if end == "regular" else end,
        how_filled=how_filled or HOW_FOR_OFFICE[obj.filled_by],
    )


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Planning Committee {n}")
    slug = factory.Sequence(lambda n: f"planning-committee-{n}")
    office = factory.LazyFunction(lambda: office("vice-chair-events"))
    purpose = "Plans the regional convening with the host community."
    active_from = dt.date(2026, 1, 1)


class PracticeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Practice Group {n}")
    slug = factory.Sequence(lambda n: f"practice-group-{n}")
    topic = "Shared topic of practice"
    status = PracticeGroup.Status.APPROVED
    proposed_by = factory.SubFactory(UserFactory)
    ecosystem = factory.SubFactory(EcosystemFactory)

    @factory.post_generation
    def chair(self, create, extracted, **kwargs):
        if create and self.proposed_by:
            PracticeGroupMembership.objects.create(
                group=self, person=self.proposed_by, role=PracticeGroupMembership.Role.CHAIR
            )
