"""Accounts: email sign-in, mandatory verification, MFA, the admin behind allauth."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def totp_now(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sign_in_with_email_and_password(client, lead, ecosystem):
    response = client.post(
        reverse("account_login"), {"login": lead.email, "password": PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated
    # LOGIN_REDIRECT_URL sends a lead of one ecosystem to its dashboard
    assert response.redirect_chain[-1][0] == ecosystem.get_dashboard_url()


def test_wrong_password_is_a_form_error(client, lead):
    response = client.post(reverse("account_login"), {"login": lead.email, "password": "nope"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert response.context["form"].errors


def test_no_username_anywhere_on_the_sign_up_form(client):
    response = client.get(reverse("account_signup"))
    assert "username" not in response.content.decode().lower()


def test_unverified_email_cannot_sign_in_or_act(client, mailoutbox, ecosystem):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    # not signed in: the verification link is needed first
    assert client.get(reverse("members:my_ecosystem")).status_code == 302
    response = client.post(
        reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) >= 1 and "new.person@example.org" in mailoutbox[-1].to
    # after verifying, the same person can sign in
    address = EmailAddress.objects.get(email="new.person@example.org")
    address.verified = True
    address.save()
    client.post(reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD})
    assert "_auth_user_id" in client.session


def test_password_reset_sends_a_link(client, mailoutbox, lead):
    response = client.post(reverse("account_reset_password"), {"email": lead.email})
    assert response.status_code == 302
    assert mailoutbox[-1].to == [lead.email]
    assert "/accounts/password/reset/key/" in mailoutbox[-1].body


def sign_in(client, user):
    # allauth asks for the password again before MFA enrolment ("reauthenticate")
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_totp_enrolment_then_sign_in_asks_for_the_code(client, lead):
    sign_in(client, lead)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists()

    client.logout()
    response = client.post(reverse("account_login"), {"login": lead.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert client.session["_auth_user_id"] == str(lead.pk)


def test_staff_must_enrol_mfa_when_required(client, settings, staff_user):
    settings.SLECOP_REQUIRE_MFA_FOR_STAFF = True
    sign_in(client, staff_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    secret_page = client.get(reverse("mfa_activate_totp"))
    assert secret_page.status_code == 200
    client.post(reverse("mfa_activate_totp"), {"code": totp_now(client.session["mfa.totp.secret"])})
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_mfa_not_required_in_dev(client, settings, staff_user):
    settings.SLECOP_REQUIRE_MFA_FOR_STAFF = False
    client.force_login(staff_user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_uses_the_allauth_sign_in(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302  # admin:login → allauth login with next
    assert login["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in login["Location"]


def test_admin_login_refuses_non_staff(client, lead):
    client.force_login(lead)
    assert client.get(reverse("admin:login")).status_code == 403


def test_admin_login_ignores_offsite_next(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:login") + "?next=https://evil.example.com/")
    assert response["Location"] == reverse("admin:index")


def test_inactive_user_cannot_sign_in(client):
    user = UserFactory(is_active=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


# --- issue 22, item 11: leads are offered TOTP with recovery codes ---------------------------


@pytest.mark.django_db(transaction=True)  # allauth's notices and signals run on commit
def test_my_ecosystem_encourages_a_lead_to_turn_on_two_factor_then_says_it_is_on(
    client, lead, ecosystem, mailoutbox
):
    from allauth.mfa.models import Authenticator

    sign_in(client, lead)
    page = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Two-factor sign-in is off" in page and "As a lead you pay dues" in page
    assert reverse("mfa_activate_totp") in page
    # the lead follows the link: TOTP, then the recovery codes are shown at once
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    codes = Authenticator.objects.get(user=lead, type=Authenticator.Type.RECOVERY_CODES)
    unused = codes.wrap().get_unused_codes()
    assert len(unused) >= 8 and unused[0] in codes_page.content.decode()
    page = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Two-factor sign-in is on" in page and "Two-factor sign-in is off" not in page
    assert any(lead.email in m.to for m in mailoutbox)  # the security notice

    # signing in now asks for a code; a recovery code works once, for a lost phone
    client.logout()
    client.post(reverse("account_login"), {"login": lead.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": unused[0]})
    assert client.session["_auth_user_id"] == str(lead.pk)
    codes.refresh_from_db()
    assert unused[0] not in codes.wrap().get_unused_codes()


def test_two_factor_stays_optional_for_leads(client, settings, lead, ecosystem):
    settings.SLECOP_REQUIRE_MFA_FOR_STAFF = True
    client.force_login(lead)
    assert client.get(ecosystem.get_dashboard_url()).status_code == 200
