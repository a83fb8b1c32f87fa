"""Read-through caching of derived figures (counts, aggregates) that many pages show and
that change only when certain rows change.

Each kind of figure belongs to a *namespace* ("directory", "dues", …) whose *version* is a
token kept in the cache. A cached value is stored under its namespace's current version,
so changing the version makes every value of the namespace unreachable at once:

    count = versioned("directory", ("count", q, region_id), lambda: qs.count())

    # in AppConfig.ready(): any save or delete of these models changes the version
    invalidate_on("directory", Ecosystem, Region)

    # after a bulk write that sends no signals (QuerySet.update, bulk_create):
    bump("directory")

`bump` changes the version at once (the writing request and the tests see fresh figures)
and again when the transaction commits: a concurrent request that recomputed between the
two from the rows before the commit filed its value under the first token, which the
commit makes unreachable. Values also expire after `timeout` seconds, a backstop for a
write that bypasses both. Keys hold the active language, so translated labels are never
served in another language.

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
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

T = TypeVar("T")
DEFAULT_TIMEOUT = 600  # seconds


def _version_key(namespace: str) -> str:
    return f"v:{namespace}"


# The tokens a request has read (RequestTokensMiddleware): a page asks for the same few
# tokens many times, and each cache round trip costs ~0.3 ms. Outside a request (tasks,
# commands, tests between requests) nothing is remembered.
_request_tokens: ContextVar[dict[str, str] | None] = ContextVar("request_tokens", default=None)
# Stamped entries a request has read ahead (`prefetch`): key -> what the cache held (None
# where it held nothing), each answered once and checked against the tokens then current.
_request_prefetched: ContextVar[dict[str, Any] | None] = ContextVar(
    "request_prefetched", default=None
)


class RequestTokensMiddleware:
    """Within one request, each version token is read from the cache once: the request
    sees the figures of the moment it first asked, and its own bumps at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset, reset_prefetched = _request_tokens.set({}), _request_prefetched.set({})
        try:
            return self.get_response(request)
        finally:
            _request_prefetched.reset(reset_prefetched)
            _request_tokens.reset(reset)


def versions(*namespaces: str) -> tuple[str, ...]:
    """The namespaces' current version tokens (created on first use), in one cache round
    trip where they exist, none for those the request has read already."""
    return _read_tokens(namespaces)[0]


def _read_tokens(namespaces: Iterable[str], *keys: str) -> tuple[tuple[str, ...], dict]:
    """`versions(*namespaces)` and the cached values of `keys` (those found), read in the
    same round trip."""
    token_keys = [_version_key(ns) for ns in namespaces]
    memo = _request_tokens.get()
    tokens = {key: memo[key] for key in token_keys if key in memo} if memo is not None else {}
    missing = [key for key in token_keys if key not in tokens]
    held = _request_prefetched.get()
    ahead = {key: held.pop(key) for key in keys if key in held} if held else {}
    unread = [key for key in keys if key not in ahead]
    found = cache.get_many([*missing, *unread]) if missing or unread else {}
    found.update((key, value) for key, value in ahead.items() if value is not None)
    for key in missing:
        if key in found:
            tokens[key] = found[key]
        else:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            tokens[key] = cache.get(key)
    if memo is not None:
        memo.update(tokens)
    return tuple(tokens[key] for key in token_keys), {
        key: found[key] for key in keys if key in found
    }


@dataclass(frozen=True)
class Stamped:
    """A cache entry that holds while its `namespaces` keep the tokens it was stored
    with. Its key holds no token: the entry and the tokens are read in one round trip,
    where a key made of the tokens needs them read first (~0.1 ms a page)."""

    key: str
    namespaces: tuple[str, ...]

    def get(self) -> tuple[tuple[str, ...], Any]:
        """(the namespaces' current tokens, the value stored with them, or None)."""
        tokens, found = _read_tokens(self.namespaces, self.key)
        stored = found.get(self.key)
        if stored is not None and stored[0] == tokens:
            return tokens, stored[1]
        return tokens, None

    def set(self, tokens: tuple[str, ...], value: Any, timeout: int) -> None:
        """Store `value` with the `tokens` read before computing it: a write that bumped
        one of them meanwhile leaves the value unreachable."""
        cache.set(self.key, (tokens, value), timeout)


def prefetch(*entries: Stamped) -> None:
    """Read `entries` and their namespaces' tokens in one round trip: the next `get()` of
    each in this request is answered from what was read, and served only if the tokens
    are still current then (a bump in between makes it a miss). For a page whose entries
    are read in several places (a selector, a template tag). Outside a request, nothing
    is read."""
    held = _request_prefetched.get()
    if held is None:
        return
    keys = [entry.key for entry in entries]
    namespaces = dict.fromkeys(ns for entry in entries for ns in entry.namespaces)
    found = _read_tokens(namespaces, *keys)[1]
    held.update((key, found.get(key)) for key in keys)


def version(namespace: str) -> str:
    """The namespace's current version token (created on first use)."""
    return versions(namespace)[0]


def bump(*namespaces: str) -> None:
    """Make every cached value of the namespaces stale, now and at commit."""

    def change() -> None:
        tokens = {_version_key(ns): uuid.uuid4().hex for ns in namespaces}
        cache.set_many(tokens, timeout=None)
        memo = _request_tokens.get()
        if memo is not None:
            memo.update(tokens)

    change()
    transaction.on_commit(change)


def cache_key(prefix: str, parts: Iterable[Hashable]) -> str:
    """A cache key for `parts` (reprs of plain values) in the active language. User input
    (a search) can be among the parts: a digest keeps the key short and plain."""
    digest = hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=16).hexdigest()
    return f"c:{prefix}:{get_language() or ''}:{digest}"


def versioned(
    namespace: str,
    parts: Iterable[Hashable],
    compute: Callable[[], T],
    *,
    timeout: int = DEFAULT_TIMEOUT,
) -> T:
    """The cached value of `parts` (reprs of plain values) in the namespace, computed (and
    stored) on a miss. A `Stamped` entry: read with the namespace's token in one round
    trip where the token has not been read yet in this request (two, with the token in
    the key)."""
    entry = versioned_entry(namespace, parts)
    tokens, value = entry.get()
    if value is None:
        value = compute()
        entry.set(tokens, value, timeout)
    return value


def versioned_entry(namespace: str, parts: Iterable[Hashable]) -> Stamped:
    """The entry `versioned(namespace, parts, …)` keeps its value in (to `prefetch` it)."""
    return Stamped(cache_key(namespace, parts), (namespace,))


def invalidate_on(namespace: str, *models) -> None:
    """Bump the namespace whenever a row of one of `models` is saved or deleted."""

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
