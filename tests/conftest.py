"""Shared fixtures.

Markers: `postgres` and `redis` tests skip on a laptop without those services, but CI sets
SLECOP_REQUIRE_SERVICES=1, which turns every such skip into a failure, so concurrency
tests always run in CI. `browser` tests drive Debian's Chromium (/usr/bin/chromium, or
the browser SLECOP_CHROMIUM names) and skip, saying so, where it is missing.
"""

from __future__ import annotations

import os
from contextlib import ExitStack, contextmanager
from itertools import count
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from tests.browser_helpers import CHROMIUM, CHROMIUM_ARGS
from tests.factories import EcosystemFactory, UserFactory, make_lead, make_member

REQUIRE_SERVICES = os.environ.get("SLECOP_REQUIRE_SERVICES") == "1"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def _missing_service(item) -> str | None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if item.get_closest_marker("postgres") and engine != "django.db.backends.postgresql":
        return "needs PostgreSQL (set DATABASE_URL=postgres://…)"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "needs Redis (set REDIS_URL=redis://…)"
    if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM):
        return f"needs Debian Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


def pytest_collection_modifyitems(items):
    """Transactional tests flush every table afterwards, which would also drop the rows
    the data migrations created (regions, staff groups, offices…) for the tests that follow.
    Give every transactional test a serialized rollback, which restores them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in (marker.kwargs)
        ):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True),
                append=False,
            )


def pytest_runtest_setup(item):
    reason = _missing_service(item)
    if reason:
        if REQUIRE_SERVICES:
            pytest.fail(f"CI requires this test to run: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a test's rows are rolled back afterwards, but
    what was cached from them (slecop.cache figures, sessions, rate-limit counters) would
    otherwise stay in Redis for the next test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def ecosystem(db):
    return EcosystemFactory()


@pytest.fixture
def other_ecosystem(db):
    return EcosystemFactory()


@pytest.fixture
def lead(ecosystem):
    return make_lead(ecosystem)


@pytest.fixture
def member(ecosystem):
    return make_member(ecosystem)


@pytest.fixture
def other_lead(other_ecosystem):
    return make_lead(other_ecosystem)


@pytest.fixture
def staff_user(db):
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, email="staff.user@example.org")
    user.groups.add(Group.objects.get(name="TIES staff"))
    return user


@pytest.fixture
def steward_user(db):
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, email="steward.user@example.org")
    user.groups.add(Group.objects.get(name="Stewardship team"))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


# --- browser -------------------------------------------------------------------------------


@pytest.fixture
def chromium(live_server, monkeypatch):
    """Headless Debian Chromium for one test; `browser_page` and `open_page` open pages in
    it. Closing it also closes the test's database connection (see below)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, Django keeps the test's database connection in
            # a context-local slot that pytest-django's teardown never sees; close it here
            # or PostgreSQL refuses to drop the test database ("in use by 1 session").
            connections.close_all()


@contextmanager
def _checked_page(browser, base_url: str, name: str, **context_args):
    """A page on a fresh context. A screenshot of the last state is saved under
    test-artifacts/ whatever the outcome. A page that breaks the Content-Security-Policy
    (an inline script, a foreign origin) fails the test."""
    context = browser.new_context(base_url=base_url, **context_args)
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        yield page
        assert not violations, f"Content-Security-Policy violations: {violations}"
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()


@pytest.fixture
def browser_page(chromium, live_server, request):
    """A Playwright page in headless Debian Chromium (1280 x 720), on a fresh context."""
    with _checked_page(chromium, live_server.url, request.node.name) as page:
        yield page


@pytest.fixture
def open_page(chromium, live_server, request):
    """Opens pages on contexts of their own: `open_page(viewport=…, java_script_enabled=False)`
    takes Playwright's `new_context` arguments."""
    opened = count(1)
    with ExitStack() as pages:

        def open_(**context_args):
            name = f"{request.node.name}-{next(opened)}"
            return pages.enter_context(
                _checked_page(chromium, live_server.url, name, **context_args)
            )

        yield open_
