"""A minimal iCalendar (RFC 5545) file for one convening, attached to confirmations.

Hand-written rather than a library: one VEVENT with UTC times, escaped text and folded
lines is all calendar programs need here."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from .models import Convening


def _escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def convening_ics(convening: Convening, *, uid: str, name: str = "", email: str = "") -> str:
    url = f"{settings.SITE_URL}{convening.get_absolute_url()}"
    description = convening.description
    if convening.online_url:
        description = f"{description}\n\n{convening.online_url}".strip()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SLECoP//Convenings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(convening.starts_at)}",
        f"DTEND:{_utc(convening.ends_at)}",
        f"SUMMARY:{_escape(convening.title)}",
        f"LOCATION:{_escape(convening.venue or convening.online_url or '')}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
    ]
    if email:
        cn = name.replace('"', "'").replace("\n", " ")
        lines.append(f'ATTENDEE;CN="{cn}";ROLE=REQ-PARTICIPANT:mailto:{email}')
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
