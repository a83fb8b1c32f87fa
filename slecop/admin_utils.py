"""Helpers shared by the apps' admin classes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages

from slecop.errors import DomainError


def run_each(
    modeladmin,
    request,
    queryset: Iterable,
    action: Callable,
    done: str | Callable[[int], str],
    *,
    refused_level: int = messages.ERROR,
) -> int:
    """An admin action's body: call `action(obj)` (a service) for each selected row.

    A refusal (DomainError) is reported for its row ("<row>: <reason>", at
    `refused_level`) and the others still run, each in the service's own transaction.
    If any succeeded, one success message follows: "<done>: <count>." when `done` is a
    label, or `done(count)` when it is a callable. Returns the number that succeeded.
    """
    succeeded = 0
    for obj in queryset:
        try:
            action(obj)
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", refused_level)
        else:
            succeeded += 1
    if succeeded:
        message = done(succeeded) if callable(done) else f"{done}: {succeeded}."
        modeladmin.message_user(request, message, messages.SUCCESS)
    return succeeded
