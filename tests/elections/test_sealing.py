"""Issue 23, point 1: sealed while voting is open. A ballot's contents are stored only
sealed (AES-256-GCM, random nonce, padded to one length) under BALLOT_SEALING_KEY, a key
from the environment that no table holds; opening voting is refused without a working
key, casting and closing refuse another key than the one voting opened with, a tampered
sealed ballot refuses the close, and `check --deploy` refuses the development key."""

from __future__ import annotations

import base64
import os
import secrets
from io import StringIO
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import call_command

from elections import sealing, services
from elections.models import Contest, Election, SealedBallot, VoterRecord
from members.models import AuditEntry
from tests.elections.factories import (
    CandidateFactory,
    ContestFactory,
    ElectionFactory,
    candidates,
    contest,
    election_with_contests,
    office,
    sealed_contents,
)
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead
from tests.test_project import deploy_check

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
IRV = Contest.Method.IRV


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture
def voters(db):
    result = []
    for _ in range(3):
        eco = EcosystemFactory()
        make_in_good_standing(eco)
        result.append((eco, make_lead(eco)))
    return result


def _cast(election, eco, lead, ranking):
    ids = candidates(election)
    return services.ballot_cast(
        acting_user=lead,
        election=election,
        ecosystem=eco,
        choices={contest(election).pk: [ids[n] for n in ranking]},
    )


def test_a_sealed_row_holds_its_receipt_and_ciphertext_only(voters):
    election = election_with_contests(("chair", IRV, ["Ada", "Bo", "Cy"]), phase="voting")
    ids = candidates(election)
    receipts = [
        _cast(election, eco, lead, ranking)
        for (eco, lead), ranking in zip(
            voters, [[], ["Cy", "Bo", "Ada"], ["Cy", "Bo", "Ada"]], strict=True
        )
    ]
    chair = str(contest(election).pk)
    full = {chair: [ids["Cy"], ids["Bo"], ids["Ada"]]}
    rows = list(SealedBallot.objects.filter(election=election))
    assert {r.receipt for r in rows} == set(receipts)
    blobs = [bytes(r.sealed) for r in rows]
    # a blank ballot and a full ranking are the same size; identical rankings differ
    assert len({len(b) for b in blobs}) == 1
    assert len(set(blobs)) == 3
    assert not any(sealing.encode(full) in blob for blob in blobs)
    # AES-256-GCM: version byte, 12-byte random nonce, ciphertext and tag, the election
    # and receipt as associated data; the plaintext is the JSON padded with spaces
    key = sealing.current_key()
    assert len(key) == 32
    row = next(r for r in rows if r.receipt == receipts[1])
    blob = bytes(row.sealed)
    plaintext = AESGCM(key).decrypt(
        blob[1:13], blob[13:], f"slecop ballot|{election.pk}|{row.receipt}".encode()
    )
    assert plaintext.rstrip(b" ") == sealing.encode(full)
    assert len(plaintext) % sealing.ENVELOPE_STEP == 0
    # bound to its receipt: moved onto another receipt, it does not open
    with pytest.raises(sealing.BrokenSeal):
        sealing.unseal(key, election_id=election.pk, receipt=receipts[2], sealed=blob)
    assert sorted(sealed_contents(election), key=str) == sorted([{chair: []}, full, full], key=str)


def test_the_key_is_stored_nowhere_in_the_database(voters):
    election = election_with_contests(("chair", IRV, ["Ada", "Bo"]), phase="voting")
    for eco, lead in voters:
        _cast(election, eco, lead, ["Bo"])
    out = StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    key = sealing.current_key()
    from django.conf import settings

    for form in (settings.BALLOT_SEALING_KEY, key.hex(), base64.b64encode(key).decode()):
        assert form not in dump
    assert Election.objects.get(pk=election.pk).sealing_key_id == sealing.key_id(key)


@pytest.mark.parametrize("value", ["", "not base64!", base64.b64encode(b"short").decode()])
def test_opening_voting_is_refused_without_a_working_key(settings, value):
    settings.BALLOT_SEALING_KEY = value
    election = ElectionFactory()
    chair = ContestFactory(election=election, office=office("chair"), method=IRV)
    CandidateFactory(contest=chair, name="Ada")
    services.election_open_nominations(acting_user=None, election=election)
    with pytest.raises(sealing.SealingUnavailable, match="BALLOT_SEALING_KEY"):
        services.election_open_voting(acting_user=None, election=election)
    election.refresh_from_db()
    assert election.phase == Election.Phase.NOMINATIONS
    assert not election.electors.exists()
    assert not AuditEntry.objects.filter(action="elections.phase_voting").exists()


def test_opening_voting_in_the_admin_shows_why_it_is_refused(client, steward_user, settings):
    settings.BALLOT_SEALING_KEY = ""
    election = election_with_contests(("chair", IRV, ["Ada"]))
    client.force_login(steward_user)

    from tests.elections.factories import admin_phase

    response = admin_phase(client, election, "election_open_voting")
    assert response.status_code == 400
    assert "Ballots cannot be sealed" in response.content.decode()
    election.refresh_from_db()
    assert election.phase == Election.Phase.NOMINATIONS


def test_casting_and_closing_refuse_another_key_than_voting_opened_with(settings, voters):
    election = election_with_contests(("chair", IRV, ["Ada", "Bo"]), phase="voting")
    (eco, lead), (eco2, lead2) = voters[:2]
    _cast(election, eco, lead, ["Ada"])
    opened_with = settings.BALLOT_SEALING_KEY
    settings.BALLOT_SEALING_KEY = new_key()
    with pytest.raises(sealing.SealingUnavailable, match="not the one voting"):
        _cast(election, eco2, lead2, ["Bo"])
    with pytest.raises(sealing.SealingUnavailable, match="not the one voting"):
        services.election_close(acting_user=None, election=election)
    election.refresh_from_db()
    assert election.phase == Election.Phase.VOTING
    assert not VoterRecord.objects.filter(ecosystem=eco2).exists()
    settings.BALLOT_SEALING_KEY = opened_with  # the right key back: all goes on
    _cast(election, eco2, lead2, ["Bo"])
    services.election_close(acting_user=None, election=election)
    assert contest(election).result["ballots"] == 2


def test_a_tampered_sealed_ballot_refuses_the_close(voters):
    election = election_with_contests(("chair", IRV, ["Ada", "Bo"]), phase="voting")
    for eco, lead in voters:
        _cast(election, eco, lead, ["Ada"])
    row = SealedBallot.objects.filter(election=election).first()
    blob = bytearray(row.sealed)
    blob[20] ^= 1
    SealedBallot.objects.filter(pk=row.pk).update(sealed=bytes(blob))
    with pytest.raises(sealing.BrokenSeal, match="integrity check"):
        services.election_close(acting_user=None, election=election)
    election.refresh_from_db()
    assert election.phase == Election.Phase.VOTING
    assert SealedBallot.objects.filter(election=election).count() == 3


def test_key_settings():
    assert sealing.decode_key(new_key())
    url_safe = base64.urlsafe_b64encode(b"\xfb" * 32).decode().rstrip("=")
    assert sealing.decode_key(url_safe) == b"\xfb" * 32  # URL-safe, unpadded: the same key
    for bad in ("", "x", base64.b64encode(b"k" * 16).decode()):
        with pytest.raises(ValueError):
            sealing.decode_key(bad)
    from slecop.settings import base, dev, test

    assert base.BALLOT_SEALING_KEY == "" or "BALLOT_SEALING_KEY" in os.environ
    dev_key = base.DEVELOPMENT_BALLOT_SEALING_KEY
    assert base64.b64decode(dev_key) == b"DEVELOPMENT-ONLY-KEY-NOT-SECRET!"
    if "BALLOT_SEALING_KEY" not in os.environ:
        assert dev.BALLOT_SEALING_KEY == test.BALLOT_SEALING_KEY == dev_key


def test_check_deploy_refuses_the_development_key_and_warns_without_a_key():
    from django.conf import settings

    refused = deploy_check(BALLOT_SEALING_KEY=settings.DEVELOPMENT_BALLOT_SEALING_KEY)
    assert refused.returncode != 0
    assert "elections.E001" in refused.stderr + refused.stdout
    missing = deploy_check(BALLOT_SEALING_KEY=None)
    assert missing.returncode != 0 and "elections.W001" in missing.stderr + missing.stdout
    broken = deploy_check(BALLOT_SEALING_KEY="not-a-key")
    assert broken.returncode != 0 and "elections.E002" in broken.stderr + broken.stdout
    assert deploy_check(BALLOT_SEALING_KEY=new_key()).returncode == 0


def test_readme_and_compose_carry_the_key_setting():
    readme = (ROOT / "README.md").read_text()
    assert "| `BALLOT_SEALING_KEY` |" in readme
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for service in ("web", "worker", "beat"):
        assert "BALLOT_SEALING_KEY" in compose["services"][service]["environment"]
