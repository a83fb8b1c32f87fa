"""Town hall registration and survey responses: one response per person (a unique row in
`SurveyParticipation`, taken under the survey's row lock); an anonymous survey's answers
keep no link to the person."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from community.permissions import lead_ecosystems, member_ecosystems
from members.models import Region
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

from ..models import (
    Answer,
    Question,
    Response,
    Survey,
    SurveyParticipation,
    TownHall,
    TownHallRegistration,
)


@transaction.atomic
def townhall_register(*, acting_user, town_hall: TownHall) -> TownHallRegistration:
    ecosystems = member_ecosystems(acting_user)
    if not ecosystems:
        raise NotAllowed(_("Town halls are open to leads and members of SLECoP ecosystems."))
    if town_hall.starts_at <= timezone.now():
        raise Conflict(_("This town hall has already taken place."))
    in_region = [e for e in ecosystems if town_hall.region_id in (None, e.region_id)]
    ecosystem = (in_region or ecosystems)[0]
    try:
        with transaction.atomic():
            registration = TownHallRegistration.objects.create(
                town_hall=town_hall, person=acting_user, ecosystem=ecosystem
            )
    except IntegrityError as exc:
        raise Conflict(_("You are already registered for this town hall.")) from exc
    send_templated_email(
        to=[acting_user.email],
        template="community/email/townhall_registered",
        context={
            "town_hall": town_hall,
            "registration": registration,
            "starts": formats.date_format(
                timezone.localtime(town_hall.starts_at), "DATETIME_FORMAT"
            ),
            "url": absolute_url(town_hall.get_absolute_url()),
        },
    )
    return registration


@transaction.atomic
def townhall_unregister(*, acting_user, town_hall: TownHall) -> None:
    deleted, _rows = TownHallRegistration.objects.filter(
        town_hall=town_hall, person=acting_user
    ).delete()
    if not deleted:
        raise Conflict(_("You were not registered for this town hall."))


def survey_audience_region(user, survey: Survey) -> tuple[bool, Region | None]:
    """Whether `user` is in the survey's audience, and the region their answers count for."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, None
    if survey.audience == Survey.Audience.TOWN_HALL:
        registration = (
            TownHallRegistration.objects.filter(town_hall_id=survey.town_hall_id, person=user)
            .select_related("ecosystem__region")
            .first()
        )
        if registration is None:
            return False, None
        eco = registration.ecosystem
        return True, eco.region if eco else None
    leads = lead_ecosystems(user)
    if survey.audience == Survey.Audience.REGION:
        leads = [e for e in leads if e.region_id == survey.region_id]
    if not leads:
        return False, None
    return True, leads[0].region


def _clean_answers(survey: Survey, data: dict) -> list[Answer]:
    """Answers from {question_id: value}: a choice id, a list of choice ids, 1 to 5 or text."""
    questions = list(survey.questions.prefetch_related("choices"))
    answers: list[Answer] = []
    for question in questions:
        value = data.get(question.pk)
        if value in (None, "", [], ()):
            if question.required:
                raise DomainError(_("Please answer: %s") % question.text, field=f"q{question.pk}")
            continue
        choice_ids = {c.pk: c for c in question.choices.all()}
        if question.kind == Question.Kind.SINGLE:
            choice = choice_ids.get(_int(value))
            if choice is None:
                raise DomainError(_("Choose one of the options."), field=f"q{question.pk}")
            answers.append(Answer(question=question, choice=choice))
        elif question.kind == Question.Kind.MULTIPLE:
            values = value if isinstance(value, list | tuple | set) else [value]
            picked = {_int(v) for v in values}
            if not picked or not picked <= set(choice_ids):
                raise DomainError(_("Choose among the options."), field=f"q{question.pk}")
            answers += [Answer(question=question, choice=choice_ids[c]) for c in sorted(picked)]
        elif question.kind == Question.Kind.SCALE:
            scale = _int(value)
            if scale not in range(1, 6):
                raise DomainError(_("Choose a value from 1 to 5."), field=f"q{question.pk}")
            answers.append(Answer(question=question, scale=scale))
        else:
            text = str(value).strip()[:5000]
            if text:
                answers.append(Answer(question=question, text=text))
            elif question.required:
                raise DomainError(_("Please answer: %s") % question.text, field=f"q{question.pk}")
    return answers


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def survey_respond(*, acting_user, survey: Survey, answers: dict) -> Response:
    """Record one person's response. The survey row is locked, the "has responded" row is
    checked and written first (a unique constraint backs the rule), then the answers; an
    anonymous response stores no respondent, only the region and the day."""
    survey = lock_one(Survey, survey.pk)
    if not survey.is_open():
        raise Conflict(_("This survey is not open."), code="closed")
    eligible, region = survey_audience_region(acting_user, survey)
    if not eligible:
        raise NotAllowed(_("This survey is for another audience."), code="not_in_audience")
    if SurveyParticipation.objects.filter(survey=survey, person=acting_user).exists():
        raise Conflict(_("You have already responded to this survey."), code="already")
    rows = _clean_answers(survey, answers)
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(survey=survey, person=acting_user)
    except IntegrityError as exc:
        raise Conflict(_("You have already responded to this survey."), code="already") from exc
    response = Response.objects.create(
        survey=survey,
        respondent=None if survey.anonymous else acting_user,
        region=region,
        submitted_on=timezone.localdate(),
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response
