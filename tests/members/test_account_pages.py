"""The account pages (sign in, sign up, email, password, two-factor) look like the rest of
the portal and speak in sentence case, not stock allauth (issue 28)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

STOCK = re.compile(
    r"Sign In|Sign Up|Email Address|Make Primary|Re-send Verification|Change Password|"
    r"Current Password|New Password|Remember Me|Reset My Password|Password Reset|"
    r"Two-Factor Authentication|Authenticator App|Recovery Codes|Change Email|Set Password"
)

PUBLIC = {
    "/accounts/login/": ["<h1>Sign in</h1>", "Remember me"],
    "/accounts/signup/": ["<h1>Sign up</h1>"],
    "/accounts/password/reset/": ["<h1>Password reset</h1>", "Reset my password"],
}
SIGNED_IN = {
    "/accounts/email/": ["<h1>Email address</h1>", "Change email"],
    "/accounts/password/change/": ["<h1>Change password</h1>", "Current password"],
    "/accounts/2fa/": ["<h1>Two-factor authentication</h1>", "Authenticator app"],
}


def _main(html: str) -> str:
    html = re.sub(r"<h1>\s*(.*?)\s*</h1>", r"<h1>\1</h1>", html, flags=re.S)
    return html


def _check(client, pages):
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = _main(response.content.decode())
        assert 'class="site-header"' in html, url  # the portal's own base template
        for text in expected:
            assert text in html, (url, text)
        stock = STOCK.search(html)
        assert not stock, (url, stock and stock.group(0))


def test_public_account_pages_in_sentence_case(client):
    _check(client, PUBLIC)


def test_signed_in_account_pages_in_sentence_case(client, lead):
    client.force_login(lead)
    _check(client, SIGNED_IN)


def test_a_single_verified_primary_address_offers_no_address_buttons(client, lead):
    client.force_login(lead)
    html = client.get("/accounts/email/").content.decode()
    assert lead.email in html
    for button in ("Make primary", "Re-send verification", "Remove", "Cancel change"):
        assert button.lower() not in html.lower(), button


def test_account_buttons_wear_the_portal_styles(client, lead):
    client.force_login(lead)
    html = client.get("/accounts/2fa/").content.decode()
    assert re.search(r'<a href="/accounts/2fa/totp/activate/" class="button"', html)
