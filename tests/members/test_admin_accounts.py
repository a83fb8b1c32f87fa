"""Issue 22, item 1: TIES staff could make any account a superuser and take over a
superuser by resetting its password. Only superusers change staff status, superuser
status, groups, permissions, passwords, emails or activation of a staff or superuser
account; on other accounts staff change names, activation and roles, never set a
password (they send allauth's reset email to the address on file), and an email change
takes effect only once the new address confirms it, with a notice to the old one."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from members.models import AuditEntry, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def change_url(user):
    return reverse("admin:members_user_change", args=[user.pk])


def _form(user, **changes):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on" if user.is_active else "",
        **changes,
    }


ESCALATION = {
    "is_superuser": "on",
    "is_staff": "on",
    "password": "x",
    "password1": "Hijacked-0451!",
    "password2": "Hijacked-0451!",
}


def test_staff_see_no_privilege_or_password_field_on_an_ordinary_account(staff_client, lead):
    page = staff_client.get(change_url(lead)).content.decode()
    for name in ("is_superuser", "is_staff", "groups", "user_permissions", "password1"):
        assert f'name="{name}"' not in page, name
    assert 'name="first_name"' in page and 'name="is_active"' in page
    assert "/password/" not in page  # no link to set one


def test_posting_privileges_to_an_ordinary_account_changes_only_names(
    staff_client, staff_user, lead
):
    groups = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
    response = staff_client.post(
        change_url(lead), {**_form(lead, first_name="Renamed"), **ESCALATION, "groups": groups}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.first_name == "Renamed"
    assert not (lead.is_superuser or lead.is_staff or lead.groups.exists())
    assert lead.check_password(PASSWORD)
    entry = AuditEntry.objects.get(action="user.updated")
    assert entry.actor == staff_user and entry.after["first_name"] == "Renamed"


def test_staff_cannot_change_a_staff_or_superuser_account_or_their_own(
    staff_client, staff_user, steward_user, superuser
):
    for target in (superuser, steward_user, staff_user):
        assert staff_client.get(change_url(target)).status_code == 200  # they may look
        response = staff_client.post(change_url(target), {**_form(target), **ESCALATION})
        assert response.status_code == 403, target
        target.refresh_from_db()
        assert target.check_password(PASSWORD)
    superuser.refresh_from_db()
    staff_user.refresh_from_db()
    assert staff_user.is_staff and not staff_user.is_superuser


def test_staff_never_set_a_password_not_even_of_an_ordinary_account(staff_client, lead, superuser):
    for target in (lead, superuser):
        url = reverse("admin:auth_user_password_change", args=[target.pk])
        assert staff_client.get(url).status_code == 403
        staff_client.post(url, {"password1": "Hijacked-0451!", "password2": "Hijacked-0451!"})
        target.refresh_from_db()
        assert target.check_password(PASSWORD)


def test_staff_send_the_reset_email_to_the_address_on_file(
    staff_client, staff_user, lead, mailoutbox
):
    response = staff_client.post(
        reverse("admin:members_user_changelist"),
        {"action": "send_password_reset", "_selected_action": [lead.pk]},
    )
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [lead.email] and "/accounts/password/reset/key/" in mail.body
    assert AuditEntry.objects.get(action="user.password_reset_sent").actor == staff_user


def _key(mail) -> str:
    return re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.body).group(1)


def test_an_email_change_by_staff_waits_for_the_new_address_and_tells_the_old_one(
    staff_client, staff_user, lead, client, mailoutbox, django_capture_on_commit_callbacks
):
    old = lead.email
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url(lead), _form(lead, email="new.lead@example.org"))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.email == old  # nothing changed yet
    pending = EmailAddress.objects.get(email="new.lead@example.org")
    assert pending.user == lead and not pending.verified
    confirm = next(m for m in mailoutbox if m.to == ["new.lead@example.org"])
    notice = next(m for m in mailoutbox if m.to == [old])
    assert "new.lead@example.org" in notice.body and "Nothing changes until" in notice.body
    entry = AuditEntry.objects.get(action="user.email_change_requested")
    assert entry.actor == staff_user and entry.after["pending"] == "new.lead@example.org"

    # Until it confirms, the new address gets no password-reset link to the account
    # (allauth finds accounts by unverified addresses too; ours does not).
    mailoutbox.clear()
    client.post(reverse("account_reset_password"), {"email": "new.lead@example.org"})
    assert not any("/accounts/password/reset/key/" in m.body for m in mailoutbox)
    client.post(reverse("account_reset_password"), {"email": old})
    assert any(m.to == [old] and "/accounts/password/reset/key/" in m.body for m in mailoutbox)

    # The new address confirms: now it is the account's, and the old one is told.
    mailoutbox.clear()
    client.logout()
    client.post(reverse("account_confirm_email", args=[_key(confirm)]))
    lead.refresh_from_db()
    assert lead.email == "new.lead@example.org"
    assert list(EmailAddress.objects.filter(user=lead).values_list("email", "verified")) == [
        ("new.lead@example.org", True)
    ]
    assert any(m.to == [old] for m in mailoutbox)  # allauth's "email changed" notice


def test_an_email_already_used_by_another_account_is_a_clear_error(staff_client, lead, member):
    response = staff_client.post(change_url(lead), _form(lead, email=member.email))
    assert response.status_code == 200  # the form again
    assert not EmailAddress.objects.filter(user=lead, email__iexact=member.email).exists()


def test_staff_deactivate_an_ordinary_account_audited(staff_client, lead):
    response = staff_client.post(change_url(lead), _form(lead, is_active=""))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert not lead.is_active
    assert AuditEntry.objects.get(action="user.updated").after["is_active"] is False


def test_a_superuser_changes_privileges_audited_and_an_email_still_waits(client, superuser, lead):
    client.force_login(superuser)
    data = {
        **_form(lead, email="other.address@example.org"),
        "is_staff": "on",
        "groups": [Group.objects.get(name="TIES staff").pk],
        "date_joined_0": "2024-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(change_url(lead), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    lead.refresh_from_db()
    assert lead.is_staff and lead.groups.filter(name="TIES staff").exists()
    assert lead.email != "other.address@example.org"
    entry = AuditEntry.objects.get(action="user.privileges_changed")
    assert entry.before["is_staff"] is False and entry.after["groups"] == ["TIES staff"]


def test_no_reset_link_ever_goes_to_an_unconfirmed_address(client, lead, mailoutbox):
    """However the unverified address got there."""
    EmailAddress.objects.create(user=lead, email="someone.else@example.org", verified=False)
    client.post(reverse("account_reset_password"), {"email": "someone.else@example.org"})
    assert not any("/accounts/password/reset/key/" in m.body for m in mailoutbox)
    assert User.objects.get(pk=lead.pk).check_password(PASSWORD)
