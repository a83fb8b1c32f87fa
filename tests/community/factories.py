from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from community.models import (
    Announcement,
    Choice,
    Consultation,
    Question,
    Survey,
    TownHall,
)
from community.services.consultations import _add_version

PLAN = """The STEM Learning Ecosystem is a dynamic Community of Practice.

## Operating and Governance Framework

The framework relies upon the Inverted Constellation Governance Model.

## SLECoP Participation and Membership

The cost for membership is $3000/Ecosystem to be collected annually.

## Add-On Services

Data collection and analysis, design studios, grant writing support.
"""


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Draft Plan for Sustainability {n}")
    slug = factory.Sequence(lambda n: f"draft-plan-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    published = True

    @factory.post_generation
    def body(obj, create, extracted, **kwargs):
        if create:
            _add_version(acting_user=None, consultation=obj, body=extracted or PLAN)


class TownHallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TownHall

    title = factory.Sequence(lambda n: f"Town hall {n}")
    slug = factory.Sequence(lambda n: f"town-hall-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    link = "https://meet.example.org/slecop"


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Survey {n}")
    slug = factory.Sequence(lambda n: f"survey-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    published = True
    anonymous = True


def add_questions(survey: Survey) -> dict[str, Question]:
    """One question of each kind."""
    single = Question.objects.create(survey=survey, order=1, kind="single", text="Your sector?")
    for i, label in enumerate(["School", "Museum", "Library"]):
        Choice.objects.create(question=single, order=i, label=label)
    multiple = Question.objects.create(
        survey=survey, order=2, kind="multiple", text="Which benefits do you use?"
    )
    for i, label in enumerate(["Convenings", "Resource library", "Practice groups"]):
        Choice.objects.create(question=multiple, order=i, label=label)
    scale = Question.objects.create(survey=survey, order=3, kind="scale", text="How useful?")
    text = Question.objects.create(
        survey=survey, order=4, kind="text", text="Anything else?", required=False
    )
    return {"single": single, "multiple": multiple, "scale": scale, "text": text}


def answers_for(questions: dict[str, Question], *, text: str = "More regional events") -> dict:
    single = questions["single"].choices.first()
    multiple = list(questions["multiple"].choices.all()[:2])
    return {
        questions["single"].pk: str(single.pk),
        questions["multiple"].pk: [str(c.pk) for c in multiple],
        questions["scale"].pk: "4",
        questions["text"].pk: text,
    }


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    title = factory.Sequence(lambda n: f"Announcement {n}")
    body = "The fall convening registration is open."
    visibility = Announcement.Visibility.PUBLIC
    published_at = factory.LazyFunction(timezone.now)
