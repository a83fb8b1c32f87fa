"""Benchmark: community voice at 10,000 ecosystems (figures in docs/community.md; not a test).

    .venv/bin/python bench/community.py                        # PostgreSQL
    .venv/bin/python bench/community.py --sqlite --ecosystems 500

Creates a scratch database (slecop_bench_community on the local PostgreSQL, or a file in
the temporary directory with --sqlite), migrates, seeds the demo network, then measures:
  * community.demo.seed from scratch and again (idempotent run);
  * the draft plan's page (as a steward) with C extra comments: queries, time;
  * the survey results page and CSV export with R extra responses: queries, time;
  * survey_respond for 50 leads (median), the home page and a lead's dashboard;
  * the weekly announcement digest to every ecosystem in good standing, and again.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys

from _common import measure, migrate_and_seed, parser, run_with_scratch_database, timed


def add_comments(consultation, count: int) -> None:
    from community.models import Comment
    from members.models import EcosystemRole

    version = consultation.versions.order_by("-number").first()
    sections = list(version.sections.all())
    people = list(EcosystemRole.objects.values_list("user_id", "ecosystem_id")[:2000])
    rng = random.Random(2)
    Comment.objects.bulk_create(
        (
            Comment(
                consultation=consultation,
                version=version,
                section=rng.choice([*sections, None]),
                author_id=(p := rng.choice(people))[0],
                ecosystem_id=p[1],
                body="A considered comment on the plan. " * 5,
                outcome=rng.choice(["pending", "accepted", "noted", "declined"]),
            )
            for _ in range(count)
        ),
        batch_size=1000,
    )


def add_responses(survey, count: int) -> None:
    from community.demo import random_answers
    from community.models import Answer, Response
    from members.models import Region

    rng = random.Random(3)
    regions = list(Region.objects.values_list("pk", flat=True))
    questions = [(q, list(q.choices.all())) for q in survey.questions.all()]
    responses, answers = [], []
    for _ in range(count):
        response = Response(
            survey=survey, region_id=rng.choice(regions), submitted_on=dt.date.today()
        )
        responses.append(response)
        answers += random_answers(response, questions, rng)
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)


def main() -> None:
    cli = parser(__doc__, database="slecop_bench_community")
    cli.add_argument("--comments", type=int, default=2_000)
    cli.add_argument("--responses", type=int, default=5_000)
    run_with_scratch_database(cli.parse_args(), run)


def run(args) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from community import demo, services
    from community.models import Consultation, Survey, SurveyParticipation
    from members.models import Ecosystem, EcosystemRole, User
    from renewals.models import SentNotification

    migrate_and_seed(args.ecosystems)
    ecosystems = Ecosystem.objects.all()
    rng = random.Random("bench")
    summary, again = timed(
        lambda: demo.seed(ecosystems=ecosystems, rng=rng, stdout=sys.stdout, options={})
    )
    print(f"community.demo.seed again (idempotent): {again * 1000:.0f} ms ({summary})")

    steward = User.objects.get(email="steward@example.org")
    staff = User.objects.get(email="staff@example.org")
    lead = User.objects.get(email="lead@example.org")
    plan = Consultation.objects.get(slug="draft-plan-for-sustainability")
    survey = Survey.objects.get(slug=demo.SURVEY_SLUG)

    client = Client(SERVER_NAME="localhost")
    client.force_login(steward)
    for extra in (0, args.comments):
        if extra:
            add_comments(plan, extra)
        measure(
            client, plan.get_absolute_url(), f"draft plan page, {plan.comments.count()} comments"
        )

    client.force_login(staff)
    results = reverse("community:survey_results", kwargs={"slug": survey.slug})
    csv_url = reverse("community:survey_results_csv", kwargs={"slug": survey.slug})
    for extra in (0, args.responses):
        if extra:
            add_responses(survey, extra)
        n = survey.responses.count()
        measure(client, results, f"survey results page, {n} responses")
        measure(client, csv_url, f"survey CSV export, {n} responses")

    answered = set(
        SurveyParticipation.objects.filter(survey=survey).values_list("person_id", flat=True)
    )
    leads = list(
        User.objects.filter(ecosystem_roles__role=EcosystemRole.Role.LEAD)
        .exclude(pk__in=answered)
        .distinct()[:50]
    )
    answers = {}
    for question in survey.questions.prefetch_related("choices"):
        choices = [str(c.pk) for c in question.choices.all()]
        by_kind = {
            "single": choices[0] if choices else "",
            "multiple": choices[:2],
            "scale": "3",
            "text": "ok",
        }
        answers[question.pk] = by_kind[question.kind]
    timings = []
    for person in leads:
        _, seconds = timed(
            lambda p=person: services.survey_respond(acting_user=p, survey=survey, answers=answers)
        )
        timings.append(seconds)
    print(f"survey_respond, {len(leads)} leads: {statistics.median(timings) * 1000:.1f} ms median")

    anonymous = Client(SERVER_NAME="localhost")
    measure(anonymous, reverse("home"), "home page (anonymous)")
    client.force_login(lead)
    eco = lead.ecosystem_roles.first().ecosystem
    measure(client, eco.get_dashboard_url(), "lead's dashboard")

    today = dt.date.today()
    services.announcement_create(
        acting_user=staff, title="Bench digest item", body="Text", visibility="public"
    )
    next_week = today + dt.timedelta(days=7)
    sent, seconds = timed(lambda: services.announcement_digest_send(on=next_week))
    _, again = timed(lambda: services.announcement_digest_send(on=next_week))
    print(
        f"announcement digest: {sent} ecosystems in {seconds:.1f} s, again {again * 1000:.0f} ms; "
        f"{SentNotification.objects.filter(key__startswith='community.digest').count()} notices"
    )


if __name__ == "__main__":
    main()
