"""Templated email, sent after the surrounding transaction commits (never for a rolled
back change). Every email names the ecosystem, says what to do and links to the page."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_plain(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: a subject or text body shows
    "Kids & STEM" and quotes as typed, never `&amp;` or `&quot;` (the HTML part keeps
    Django's autoescaping)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_subject(template: str, context: dict) -> str:
    """The subject line of `<template>_subject.txt`: plain text on one line."""
    return " ".join(render_plain(f"{template}_subject.txt", context).split())


def build_email(
    *,
    to: Iterable[str],
    template: str,
    context: dict,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt` and `<template>.txt` as plain text (one line for
    the subject, newlines stripped) and `<template>.html` with autoescaping."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_subject(template, context)
    text = render_plain(f"{template}.txt", context)
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
