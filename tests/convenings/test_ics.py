"""The .ics attachment: RFC 5545 escaping, folding and UTC times."""

from __future__ import annotations

from datetime import UTC

import pytest

from convenings.ics import convening_ics
from tests.convenings.factories import ConveningFactory

pytestmark = pytest.mark.django_db


def test_text_is_escaped_and_long_lines_folded():
    convening = ConveningFactory(
        title="Convening; with, specials",
        venue="Hynes Convention Center, Boston, MA",
        description="Line one\nLine two — " + "é" * 80,
    )
    ics = convening_ics(convening, uid="u-1@slecop", name='Ana "A" Ruiz', email="ana@example.org")
    lines = ics.split("\r\n")
    assert "SUMMARY:Convening\\; with\\, specials" in lines
    assert "LOCATION:Hynes Convention Center\\, Boston\\, MA" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = ics.replace("\r\n ", "")
    assert "DESCRIPTION:Line one\\nLine two — " + "é" * 80 in unfolded
    assert "ATTENDEE;CN=\"Ana 'A' Ruiz\";ROLE=REQ-PARTICIPANT:mailto:ana@example.org" in unfolded
    start = convening.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
