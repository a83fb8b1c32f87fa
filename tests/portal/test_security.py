"""Security settings and behaviour across the portal: production settings and sign-in rate
limiting (download headers are checked by the URL walk, test_url_walk.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from slecop.settings import base
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROD_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "hsts": s.SECURE_HSTS_SECONDS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "script_src": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"],
    "rate_limits": s.ACCOUNT_RATE_LIMITS,
    "simulator": s.PAYMENTS_SIMULATOR,
    "mfa_staff": s.SLECOP_REQUIRE_MFA_FOR_STAFF,
}))
"""


def test_production_settings_are_hardened():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "slecop.settings.prod",
        "DJANGO_SECRET_KEY": "prod-" + "k" * 60,
        "ALLOWED_HOSTS": "portal.stemecosystems.org",
        "DATABASE_URL": "sqlite:////tmp/slecop-prod-settings.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{PROD_SETTINGS}"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    prod = json.loads(result.stdout)
    assert prod["debug"] is False
    assert prod["session_secure"] and prod["csrf_secure"] and prod["session_httponly"]
    assert prod["hsts"] >= 31_536_000 and prod["ssl_redirect"]
    assert prod["script_src"] == ["'self'"]  # no 'unsafe-inline', no foreign script
    assert "5/300s/key" in prod["rate_limits"]["login_failed"]
    assert prod["simulator"] is False and prod["mfa_staff"] is True


def test_repeated_failed_sign_ins_lock_the_account_out_for_a_while(settings, client, lead):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": lead.email, "password": "wrong-guess"})
        assert response.status_code == 200  # the form again, with its error
    # the sixth try is refused, even with the right password
    response = client.post(url, {"login": lead.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another account still signs in from the same address
    other = UserFactory(email="other.person@example.org")
    response = client.post(url, {"login": other.email, "password": PASSWORD})
    assert response.status_code == 302
    # a flood of sign-ins from one address gets 429s
    client.logout()
    for _ in range(30):
        response = client.post(url, {"login": "nobody@example.org", "password": "x"})
    assert response.status_code == 429
    cache.clear()


# --- issue 22, item 8: one setting for the proxies in front of the site ----------------------


def _prod(expression: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings as s; print({expression})"],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "slecop.settings.prod",
            "DJANGO_SECRET_KEY": "prod-" + "k" * 60,
            "ALLOWED_HOSTS": "portal.stemecosystems.org",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


PROXY = "(s.ALLAUTH_TRUSTED_PROXY_COUNT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"


def test_trusted_proxy_count_drives_allauth_and_the_https_header():
    # default: no proxy trusted, so neither X-Forwarded-For nor X-Forwarded-Proto is
    assert _prod(PROXY) == "(0, None)"
    assert _prod(PROXY, TRUSTED_PROXY_COUNT="1") == "(1, ('HTTP_X_FORWARDED_PROTO', 'https'))"
    assert _prod(PROXY, TRUSTED_PROXY_COUNT="2") == "(2, ('HTTP_X_FORWARDED_PROTO', 'https'))"
    assert base.TRUSTED_PROXY_COUNT == 0 and base.ALLAUTH_TRUSTED_PROXY_COUNT == 0


def _failed_sign_ins_until_refused(client, forwarded_for) -> int:
    url = reverse("account_login")
    for attempt in range(1, 30):
        response = client.post(
            url,
            {"login": f"nobody{attempt}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forwarded_for(attempt),
        )
        if "Too many failed login attempts" in response.content.decode():
            return attempt
    return 0


def test_without_a_trusted_proxy_a_client_cannot_pick_its_address_for_the_rate_limit(
    settings, client
):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS  # 10 failed sign-ins a minute per IP
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = base.ALLAUTH_TRUSTED_PROXY_COUNT
    cache.clear()
    # a new X-Forwarded-For on every try: still one address (the connection's), refused
    assert _failed_sign_ins_until_refused(client, lambda n: f"203.0.113.{n}") == 11


def test_behind_one_proxy_the_last_forwarded_entry_is_the_client(settings, client):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    cache.clear()
    # what the client wrote first is ignored; the address the proxy appended counts
    assert _failed_sign_ins_until_refused(client, lambda n: f"10.9.9.{n}, 198.51.100.7") == 11
    cache.clear()


def test_a_forwarded_header_shorter_than_the_proxy_chain_is_counted_by_connection(settings, client):
    # two trusted proxies, yet the header holds one entry: the request did not pass
    # through them. Sign-in answers (no 500), and a new made-up entry on every try does
    # not reset the count: the connection's address is what is counted.
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    settings.TRUSTED_PROXY_COUNT = 2
    cache.clear()
    assert _failed_sign_ins_until_refused(client, lambda n: f"203.0.113.{n}") == 11
    cache.clear()


def test_the_language_cookie_is_httponly_samesite_and_secure_in_prod(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert _prod("(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY)") == "(True, True)"
