"""Templated email, sent after the surrounding transaction commits (never for a rolled
back change). Every email names the ecosystem, says what to do and links to the page."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def build_email(
    *,
    to: Iterable[str],
    template: str,
    context: dict,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html`."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to)
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_templated_email(
    *,
    to: Iterable[str],
    template: str,
    context: dict,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> None:
    recipients = [address for address in to if address]
    if not recipients:
        return
    message = build_email(
        to=recipients, template=template, context=context, attachments=attachments
    )
    transaction.on_commit(message.send)


def send_built_emails(messages: list[EmailMultiAlternatives]) -> None:
    """Send many already-built messages after commit through one connection (a yearly
    renewal run sends thousands; one SMTP session each would be slow and rude)."""
    if not messages:
        return

    def send() -> None:
        with get_connection() as connection:
            connection.send_messages(messages)

    transaction.on_commit(send)
