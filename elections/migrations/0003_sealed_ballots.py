"""Issue 23: secret ballots that stay secret.

The plaintext Ballot table (receipt next to contents) is replaced by:
- SealedBallot: while voting is open, the receipt and the contents sealed under
  BALLOT_SEALING_KEY (elections.sealing);
- ContestBallot: once voting closes, each contest's part of each ballot as a fresh row
  (random id, no receipt, random order);
- CountedReceipt: the receipt codes of the counted ballots.

Ballots already cast move over: an election still in voting gets its ballots sealed (so
the key must be set when an election is open: the migration stops and says so
otherwise); a closed or certified one gets its contents as ContestBallot rows in a random
order and its receipts in alphabetical order. The old table is dropped (its file goes
with it; the WAL and older backups still hold it — docs/elections.md).
"""

import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import elections.models


def _contests(apps, election):
    Candidate = apps.get_model("elections", "Candidate")
    slate = {}
    for contest_id, pk in (
        Candidate.objects.filter(contest__election=election)
        .order_by("contest_id", "pk")
        .values_list("contest_id", "pk")
    ):
        slate.setdefault(contest_id, []).append(pk)
    return slate


def move_ballots(apps, schema_editor):
    from elections import sealing

    Election = apps.get_model("elections", "Election")
    Ballot = apps.get_model("elections", "Ballot")
    SealedBallot = apps.get_model("elections", "SealedBallot")
    ContestBallot = apps.get_model("elections", "ContestBallot")
    CountedReceipt = apps.get_model("elections", "CountedReceipt")
    rng = secrets.SystemRandom()

    voting = list(Election.objects.filter(phase="voting"))
    if voting:
        try:
            key = sealing.decode_key(getattr(settings, "BALLOT_SEALING_KEY", ""))
        except ValueError as exc:
            raise RuntimeError(
                "Elections are open for voting (%s): their ballots must be sealed, so set "
                "BALLOT_SEALING_KEY before migrating (%s)."
                % (", ".join(e.slug for e in voting), exc)
            ) from exc
        for election in voting:
            election.sealing_key_id = sealing.key_id(key)
            election.save(update_fields=["sealing_key_id"])
            size = sealing.envelope_size(_contests(apps, election))
            rows = [
                SealedBallot(
                    election_id=election.pk,
                    receipt=receipt,
                    sealed=sealing.seal(
                        key,
                        election_id=election.pk,
                        receipt=receipt,
                        contents=contents,
                        size=size,
                    ),
                )
                for receipt, contents in Ballot.objects.filter(election=election).values_list(
                    "receipt", "contents"
                )
            ]
            rng.shuffle(rows)
            SealedBallot.objects.bulk_create(rows, batch_size=1000)

    for election in Election.objects.filter(phase__in=["closed", "certified"]):
        contests = set(_contests(apps, election)) | set(
            election.contests.values_list("pk", flat=True)
        )
        ballots = list(Ballot.objects.filter(election=election).values_list("receipt", "contents"))
        rows = [
            ContestBallot(contest_id=int(contest_id), choices=choices)
            for _receipt, contents in ballots
            for contest_id, choices in contents.items()
            if int(contest_id) in contests
        ]
        rng.shuffle(rows)
        ContestBallot.objects.bulk_create(rows, batch_size=1000)
        CountedReceipt.objects.bulk_create(
            [CountedReceipt(election_id=election.pk, code=r) for r, _c in sorted(ballots)],
            batch_size=1000,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("elections", "0002_staff_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="election",
            name="sealing_key_id",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Which sealing key voting opened with (a public name of the key).",
                max_length=16,
            ),
        ),
        migrations.CreateModel(
            name="ContestBallot",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=elections.models.new_ballot_id,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("choices", models.JSONField(default=list)),
                (
                    "contest",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ballots",
                        to="elections.contest",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="CountedReceipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=32)),
                (
                    "election",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="counted_receipts",
                        to="elections.election",
                    ),
                ),
            ],
            options={
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="SealedBallot",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=elections.models.new_ballot_id,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("receipt", models.CharField(max_length=32)),
                ("sealed", models.BinaryField()),
                (
                    "election",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sealed_ballots",
                        to="elections.election",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="countedreceipt",
            constraint=models.UniqueConstraint(
                fields=("election", "code"), name="counted_receipt_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="sealedballot",
            constraint=models.UniqueConstraint(
                fields=("election", "receipt"), name="sealed_ballot_receipt_unique"
            ),
        ),
        # Irreversible: once sealed or unlinked from their receipts, the plaintext ballot
        # rows cannot be rebuilt (that is the point).
        migrations.RunPython(move_ballots, elidable=False),
        migrations.DeleteModel(
            name="Ballot",
        ),
    ]
