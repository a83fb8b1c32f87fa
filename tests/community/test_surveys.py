"""Surveys: audience, one response per person, anonymous responses unlinked from the
respondent (checked in the tables), results with small-region suppression, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from community import selectors, services
from community.models import Answer, Response, SurveyParticipation, TownHallRegistration
from members.models import Region
from slecop.errors import Conflict, NotAllowed
from tests.community.factories import SurveyFactory, TownHallFactory, add_questions, answers_for
from tests.factories import EcosystemFactory, make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return SurveyFactory()


@pytest.fixture
def questions(survey):
    return add_questions(survey)


def test_lead_answers_once_and_anonymous_response_keeps_no_link(lead, survey, questions):
    response = services.survey_respond(
        acting_user=lead, survey=survey, answers=answers_for(questions)
    )
    with pytest.raises(Conflict, match="already responded"):
        services.survey_respond(acting_user=lead, survey=survey, answers=answers_for(questions))
    assert Response.objects.count() == 1
    assert SurveyParticipation.objects.filter(survey=survey, person=lead).count() == 1
    # check the tables themselves: no column of the response or its answers names the lead
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM community_response WHERE id = %s",
            [response.pk.hex if connection.vendor == "sqlite" else response.pk],
        )
        columns = [c[0] for c in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    assert row["respondent_id"] is None
    assert set(columns) == {"id", "survey_id", "respondent_id", "region_id", "submitted_on"}
    participation_columns = {f.column for f in SurveyParticipation._meta.concrete_fields}
    assert participation_columns == {"id", "survey_id", "person_id"}  # no time, no response
    answer_columns = {f.column for f in Answer._meta.concrete_fields}
    assert "person_id" not in answer_columns and "respondent_id" not in answer_columns
    assert Answer.objects.filter(response=response).count() == 5  # single, 2 multiple, scale, text


def test_named_survey_links_the_respondent(lead):
    survey = SurveyFactory(anonymous=False)
    qs = add_questions(survey)
    response = services.survey_respond(acting_user=lead, survey=survey, answers=answers_for(qs))
    assert response.respondent == lead


def test_audiences(ecosystem, lead, member):
    south = Region.objects.get(slug="south")
    regional = SurveyFactory(audience="region", region=south)
    add_questions(regional)
    with pytest.raises(NotAllowed):  # the lead's ecosystem is in the Northeast
        services.survey_respond(acting_user=lead, survey=regional, answers={})
    all_leads = SurveyFactory()
    with pytest.raises(NotAllowed):  # members are not leads
        services.survey_respond(acting_user=member, survey=all_leads, answers={})
    town_hall = TownHallFactory()
    attendees = SurveyFactory(audience="town_hall", town_hall=town_hall)
    qs = add_questions(attendees)
    with pytest.raises(NotAllowed):
        services.survey_respond(acting_user=member, survey=attendees, answers=answers_for(qs))
    services.townhall_register(acting_user=member, town_hall=town_hall)
    services.survey_respond(acting_user=member, survey=attendees, answers=answers_for(qs))
    assert list(selectors.open_surveys_for(lead)) == [all_leads]
    assert list(selectors.open_surveys_for(member)) == []


def test_invalid_answers_change_nothing(lead, survey, questions):
    bad = answers_for(questions)
    bad[questions["scale"].pk] = "9"
    with pytest.raises(Exception, match="1 to 5"):
        services.survey_respond(acting_user=lead, survey=survey, answers=bad)
    other = SurveyFactory()
    foreign = add_questions(other)["single"].choices.first()
    bad = answers_for(questions)
    bad[questions["single"].pk] = str(foreign.pk)
    with pytest.raises(Exception, match="Choose one"):
        services.survey_respond(acting_user=lead, survey=survey, answers=bad)
    assert not Response.objects.exists() and not SurveyParticipation.objects.exists()


def test_closed_survey_is_refused(lead):
    survey = SurveyFactory(published=False)
    with pytest.raises(Conflict):
        services.survey_respond(acting_user=lead, survey=survey, answers={})


def test_survey_page_submit_and_once(client, lead, survey, questions):
    client.force_login(lead)
    url = survey.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200 and "This survey is anonymous" in page.text
    data = answers_for(questions)
    post = {f"q{pk}": value for pk, value in data.items()}
    assert client.post(url, {}).status_code == 400  # required answers missing: a form error
    assert client.post(url, post).status_code == 302
    assert "You have responded" in client.get(url).text
    assert client.post(url, post).status_code == 200  # shows "already responded", no new row
    assert Response.objects.count() == 1


def _respond_many(survey, qs, region_slug, n, *, text="ok"):
    region = Region.objects.get(slug=region_slug)
    for _ in range(n):
        lead = make_lead(EcosystemFactory(region=region))
        services.survey_respond(acting_user=lead, survey=survey, answers=answers_for(qs, text=text))


def test_results_suppress_small_regions_and_constant_queries(
    client, staff_user, survey, questions, django_assert_max_num_queries
):
    _respond_many(survey, questions, "northeast", 5)
    _respond_many(survey, questions, "west", 2, text="<script>alert(1)</script>")
    results = selectors.survey_results(survey)
    assert results.responses == 7
    regions = {r.region: r for r in results.regions}
    assert not regions["Northeast"].suppressed and regions["Northeast"].questions
    assert regions["West"].suppressed and regions["West"].questions == []
    scale = next(q for q in results.questions if q.question.kind == "scale")
    assert scale.mean == 4 and scale.bars[3].count == 7
    client.force_login(staff_user)
    url = reverse("community:survey_results", kwargs={"slug": survey.slug})
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)</script>" not in page.text
    _respond_many(survey, questions, "south", 10)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_results_csv_blanks_small_regions(client, staff_user, survey, questions):
    _respond_many(survey, questions, "northeast", 5)
    _respond_many(survey, questions, "west", 1)
    client.force_login(staff_user)
    response = client.get(reverse("community:survey_results_csv", kwargs={"slug": survey.slug}))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["response", "submitted_on", "region"]
    assert "respondent" not in rows[0]
    regions = sorted(r[2] for r in rows[1:])
    assert regions == ["", "Northeast", "Northeast", "Northeast", "Northeast", "Northeast"]
    assert rows[1][4] == "Convenings; Resource library"


def test_results_are_staff_only(client, lead, survey):
    client.force_login(lead)
    assert (
        client.get(reverse("community:survey_results", kwargs={"slug": survey.slug})).status_code
        == 403
    )
    assert (
        client.get(
            reverse("community:survey_results_csv", kwargs={"slug": survey.slug})
        ).status_code
        == 403
    )


def test_town_hall_registration(client, member):
    town_hall = TownHallFactory(notes="## Notes\n\n<script>x()</script> We heard **you**.")
    client.force_login(member)
    url = town_hall.get_absolute_url()
    assert "meet.example.org" not in client.get(url).text  # the link is for registrants
    client.post(reverse("community:townhall_register", kwargs={"slug": town_hall.slug}))
    assert TownHallRegistration.objects.filter(town_hall=town_hall, person=member).exists()
    page = client.get(url)
    assert "meet.example.org" in page.text
    assert "<script>x()</script>" not in page.text and "<strong>you</strong>" in page.text
    client.post(reverse("community:townhall_register", kwargs={"slug": town_hall.slug}))
    assert TownHallRegistration.objects.count() == 1


def test_registration_email_has_the_link(member, django_capture_on_commit_callbacks, mailoutbox):
    town_hall = TownHallFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.townhall_register(acting_user=member, town_hall=town_hall)
    assert len(mailoutbox) == 1
    assert "meet.example.org" in mailoutbox[0].body
    assert town_hall.get_absolute_url() in mailoutbox[0].body
