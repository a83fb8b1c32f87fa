"""What a ballot is made of, read by the voting services and the selectors alike: the
contests an ecosystem votes in, receipt codes, and the cache namespace of ballot pages."""

from __future__ import annotations

import secrets

from django.db.models import Prefetch

from .models import Candidate, Contest, Election

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
# The cache namespace of contests and candidates as ballot pages show them
# (selectors.ballot_contests): bumped by any save of an election, contest, candidate or
# office (ElectionsConfig.ready) and after the bulk updates of contests.
BALLOTS = "ballots"


def new_receipt() -> str:
    """Twelve random characters (≈ 59 bits) in three groups: XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_receipt(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else code.strip().upper()


def voter_contests(election: Election, region_id: int) -> list[Contest]:
    """The contests an ecosystem of `region_id` votes in: every contest but the regional
    chairs of other regions."""
    contests = election.contests.select_related("office").prefetch_related(
        Prefetch(
            "candidates",
            queryset=Candidate.objects.select_related("nomination__nominee_ecosystem").order_by(
                "name", "pk"
            ),
        )
    )
    return [c for c in contests.order_by("order", "pk") if c.office.region_id in (None, region_id)]
