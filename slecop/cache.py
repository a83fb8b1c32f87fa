"""Caching through Django's cache framework, in one style: a value kept under the version
keys of what it shows, and the anonymous whole-page cache.

Each kind of figure belongs to a *namespace* ("directory", "dues", "ecosystem:12", …)
whose *version* is a token kept in the cache. A value's key holds its namespaces' current
tokens, so changing a token makes every value of that namespace unreachable at once:

    count = versioned("directory", ("count", q, region_id), lambda: qs.count())

    # the service that changes what the value shows, after its write:
    bump("directory")

    # or, for the few models an anonymous page or a staff aggregate shows, in
    # AppConfig.ready(): any save or delete of these models bumps
    invalidate_on("directory", Ecosystem, Region)

`bump` changes the version at once (the writing request and the tests see fresh figures)
and again when the transaction commits: a concurrent request that recomputed between the
two from the rows before the commit filed its value under the first token, which the
commit makes unreachable. Every value also expires after its `timeout`, a backstop for a
write that bumps nothing. Keys hold the active language, so translated labels are never
served in another language. Templates use Django's `{% cache %}` tag with the tokens among
its vary-on arguments (never around a POST form: a cached CSRF token would be another
visitor's).

`cache_public_page(*namespaces)` keeps whole public pages (home, directory, library) for
anonymous visitors: the same HTML for everyone with no session, in one language, until a
namespace changes or a minute passes. Such a page must not carry a CSRF token (the
language switch is CSRF-exempt for that reason, see slecop/urls.py); a response that
used one, set a cookie or is not a plain 200 is never stored.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Hashable, Iterable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

T = TypeVar("T")
DEFAULT_TIMEOUT = 600  # seconds
_MISSING = object()


def _version_key(namespace: str) -> str:
    return f"v:{namespace}"


def versions(*namespaces: str) -> tuple[str, ...]:
    """The namespaces' current version tokens (created on first use), in one cache round
    trip where they exist."""
    keys = [_version_key(ns) for ns in namespaces]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    return tuple(found[key] for key in keys)


def version(namespace: str) -> str:
    """The namespace's current version token (created on first use)."""
    return versions(namespace)[0]


def bump(*namespaces: str) -> None:
    """Make every cached value of the namespaces stale, now and at commit."""

    def change() -> None:
        cache.set_many({_version_key(ns): uuid.uuid4().hex for ns in namespaces}, timeout=None)

    change()
    transaction.on_commit(change)


def cache_key(prefix: str, parts: Iterable[Hashable]) -> str:
    """A cache key for `parts` (reprs of plain values) in the active language. User input
    (a search) can be among the parts: a digest keeps the key short and plain."""
    digest = hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=16).hexdigest()
    return f"c:{prefix}:{get_language() or ''}:{digest}"


def versioned(
    namespaces: str | tuple[str, ...],
    parts: Iterable[Hashable],
    compute: Callable[[], T],
    *,
    timeout: int = DEFAULT_TIMEOUT,
) -> T:
    """The cached value of `parts` (reprs of plain values) under the current tokens of
    `namespaces` (one name or several), computed and stored for `timeout` seconds on a
    miss."""
    names = (namespaces,) if isinstance(namespaces, str) else tuple(namespaces)
    key = cache_key(names[0], (*parts, *versions(*names)))
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def invalidate_on(namespace: str, *models) -> None:
    """Bump the namespace whenever a row of one of `models` is saved or deleted. For the
    few models an anonymous page or a cached aggregate shows, never for every model."""

    def receiver(**_kwargs) -> None:
        bump(namespace)

    for model in models:
        uid = f"slecop.cache:{namespace}:{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        m2m_changed.connect(receiver, sender=model, weak=False, dispatch_uid=uid)


_PAGE_HEADERS = ("Content-Type", "Content-Language")


def _shareable(request) -> bool:
    """An anonymous GET with no cookie but the language and CSRF ones: nothing in it
    (a session, flash messages) can make its page differ from another visitor's."""
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and set(request.COOKIES) <= allowed
    )


def cache_public_page(*namespaces: str):
    """Keep the view's page for anonymous visitors until one of `namespaces` changes, or
    for settings.PUBLIC_PAGE_CACHE_SECONDS (which also bounds how late a change that no
    write announces — a deadline passing — shows; 0 turns the page cache off)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
            if not timeout or not _shareable(request):
                return view(request, *args, **kwargs)
            parts = (request.get_full_path(), *versions(*namespaces))
            key = cache_key("page", parts)
            stored = cache.get(key)
            if stored is not None:
                content, headers = stored
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                headers = {h: response[h] for h in _PAGE_HEADERS if response.has_header(h)}
                cache.set(key, (response.content, headers), timeout)
            return response

        return wrapper

    return decorator
