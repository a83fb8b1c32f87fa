"""Issue 22, item 6: every CSV the portal makes goes through one writer
(slecop.csv_export), so user text (survey answers, candidate names, attendee names…)
never reaches a spreadsheet as a formula."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from slecop.csv_export import FORMULA_STARTS, csv_bytes, csv_cell

HOSTILE = '=HYPERLINK("http://evil.example","click")'


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_starting_like_a_formula_is_neutralised(start):
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell(-5) == -5  # numbers stay numbers
    assert csv_cell("plain") == "plain"


def test_sample_files_go_through_the_same_writer():
    assert csv_bytes([["a", "b"], [HOSTILE, "@x"]]) == (
        b'a,b\r\n"\'=HYPERLINK(""http://evil.example"",""click"")",\'@x\r\n'
    )


@pytest.mark.django_db
def test_survey_answers_are_neutralised_in_the_results_csv(client, staff_user, lead):
    from community import services
    from tests.community.factories import SurveyFactory, add_questions, answers_for

    survey = SurveyFactory()
    questions = add_questions(survey)
    questions["text"].text = "-What else?"
    questions["text"].save()
    services.survey_respond(
        acting_user=lead, survey=survey, answers=answers_for(questions, text=HOSTILE)
    )
    client.force_login(staff_user)
    header, row = _rows(
        client.get(reverse("community:survey_results_csv", kwargs={"slug": survey.slug}))
    )
    assert header[-1] == "'-What else?"
    assert row[-1] == f"'{HOSTILE}"


@pytest.mark.django_db
def test_candidate_names_are_neutralised_in_the_election_csvs(client):
    """Five ballots, so the contest is published in full (issue 23): its results and its
    shuffled ballots both carry the candidates' names, neutralised."""
    from elections import services
    from elections.models import Contest
    from tests.elections.factories import candidates, contest, election_with_contests
    from tests.factories import EcosystemFactory, make_in_good_standing, make_lead

    voters = []
    for _ in range(5):  # in good standing, with a lead, before voting opens
        ecosystem = EcosystemFactory()
        make_in_good_standing(ecosystem)
        voters.append((ecosystem, make_lead(ecosystem)))
    election = election_with_contests(
        ("chair", Contest.Method.PLURALITY, [HOSTILE, "+Bo"]), phase="voting"
    )
    ids, chair = candidates(election), contest(election)
    for (ecosystem, lead), pick in zip(
        voters, [HOSTILE, HOSTILE, HOSTILE, "+Bo", "+Bo"], strict=True
    ):
        services.ballot_cast(
            acting_user=lead,
            election=election,
            ecosystem=ecosystem,
            choices={chair.pk: [ids[pick]]},
        )
    services.election_close(acting_user=None, election=election)
    services.election_certify(acting_user=None, election=election)
    kwargs = {"slug": election.slug}
    results = _rows(client.get(reverse("elections:results_csv", kwargs=kwargs)))
    assert {row[3] for row in results[1:]} == {f"'{HOSTILE}", "'+Bo"}
    ballots = _rows(
        client.get(reverse("elections:contest_ballots_csv", kwargs={**kwargs, "contest": chair.pk}))
    )
    assert sorted(row[0] for row in ballots[1:]) == ["'+Bo"] * 2 + [f"'{HOSTILE}"] * 3


def test_no_module_writes_csv_but_the_one_writer():
    """A CSV export added later must use slecop.csv_export: no other module of the portal
    builds a csv.writer of its own."""
    root = Path(settings.BASE_DIR)
    writer = root / "slecop" / "csv_export.py"
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path != writer
        and path.parts[len(root.parts)] not in {".venv", "tests", "bench", "node_modules"}
        and re.search(r"\bcsv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
