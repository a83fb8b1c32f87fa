"""One ballot per ecosystem under concurrency (PostgreSQL): 50 ballot posts at once by
the leads of one ecosystem leave exactly one ballot and one voter record. The Elector
row lock serialises them; the unique constraint on VoterRecord backs the rule even with
the lock removed; closing voting waits for ballots being cast and refuses later ones."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from elections import services
from elections.models import Contest, CountedReceipt, SealedBallot, VoterRecord
from elections.services import voting
from slecop.errors import Conflict
from tests.concurrency import run_concurrently
from tests.elections.factories import candidates, contest, election_with_contests, full_ballot
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

POSTS = 50
LEADS = 10


def _setup():
    ecosystem = EcosystemFactory()
    make_in_good_standing(ecosystem)
    leads = [make_lead(ecosystem) for _ in range(LEADS)]
    election = election_with_contests(("chair", Contest.Method.IRV, ["Ada", "Bo"]), phase="voting")
    return ecosystem, leads, election


def test_fifty_concurrent_ballot_posts_leave_one_ballot():
    ecosystem, leads, election = _setup()
    url = reverse("elections:ballot", kwargs={"slug": election.slug, "ecosystem": ecosystem.slug})

    def post(i):
        client = Client()
        client.force_login(leads[i % LEADS])
        name = "Ada" if i % 2 else "Bo"
        return client.post(url, full_ballot(election, ranks={"chair": [name]})).status_code

    statuses = run_concurrently(post, POSTS)
    assert all(isinstance(s, int) for s in statuses), statuses
    assert statuses.count(200) == 1  # the receipt page, once
    assert set(statuses) <= {200, 403, 409}
    assert SealedBallot.objects.count() == 1
    assert VoterRecord.objects.count() == 1


def test_the_constraint_holds_without_the_lock(monkeypatch):
    ecosystem, leads, election = _setup()
    monkeypatch.setattr(voting, "lock_rows", lambda qs: list(qs))
    ids, chair = candidates(election), contest(election)

    def cast(i):
        return services.ballot_cast(
            acting_user=leads[i % LEADS],
            election=election,
            ecosystem=ecosystem,
            choices={chair.pk: [ids["Ada"]]},
        )

    results = run_concurrently(cast, 20)
    assert sum(isinstance(r, str) for r in results) == 1
    assert all(isinstance(r, str | Conflict) for r in results), results
    assert SealedBallot.objects.count() == VoterRecord.objects.count() == 1


def test_no_ballot_slips_in_after_the_close():
    others = []
    for _ in range(8):
        eco = EcosystemFactory()
        make_in_good_standing(eco)
        others.append((eco, make_lead(eco)))
    election = election_with_contests(("chair", Contest.Method.IRV, ["Ada", "Bo"]), phase="voting")
    ids, chair = candidates(election), contest(election)

    def act(i):
        if i == 0:
            return services.election_close(acting_user=None, election=election)
        eco, lead = others[i - 1]
        return services.ballot_cast(
            acting_user=lead, election=election, ecosystem=eco, choices={chair.pk: [ids["Bo"]]}
        )

    run_concurrently(act, len(others) + 1)
    election.refresh_from_db()
    counted = chair.__class__.objects.get(pk=chair.pk).result["ballots"]
    # Every ballot that got in was counted; none was added after the count.
    assert counted == CountedReceipt.objects.filter(election=election).count()
    assert not SealedBallot.objects.filter(election=election).exists()
    assert counted == VoterRecord.objects.filter(election=election).count()
