"""The governance admin: pages open, and writes go through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance.models import Committee, Term
from members.models import AuditEntry
from tests.factories import UserFactory

from .factories import CommitteeFactory, PracticeGroupFactory, make_term, office

pytestmark = pytest.mark.django_db

D = dt.date
MODELS = ["office", "term", "committee", "practicegroup", "stewardshipaccess"]


def test_every_governance_admin_page_opens_for_ties_staff(client, staff_user):
    term = make_term("chair", start=D(2021, 1, 1))
    committee = CommitteeFactory()
    group = PracticeGroupFactory()
    client.force_login(staff_user)
    for model in MODELS:
        url = reverse(f"admin:governance_{model}_changelist")
        assert client.get(url).status_code == 200, model
        assert client.get(url + "?q=chair").status_code == 200, model
    for query in ("?status=current", "?status=past", "?status=upcoming"):
        response = client.get(reverse("admin:governance_term_changelist") + query)
        assert response.status_code == 200
    assert (
        client.get(reverse("admin:governance_committee_changelist") + "?active=no").status_code
        == 200
    )
    for model, obj in [
        ("office", office("chair")),
        ("term", term),
        ("committee", committee),
        ("practicegroup", group),
    ]:
        assert client.get(
            reverse(f"admin:governance_{model}_change", args=[obj.pk])
        ).status_code == (200)
    assert client.get(reverse("admin:governance_term_add")).status_code == 200
    assert client.get(reverse("admin:governance_term_interim_team")).status_code == 200


def _term_form(person, **changes):
    return {
        "office": office("chair").pk,
        "person": person.pk,
        "start": "2025-01-01",
        "end": "2026-12-31",
        "how_filled": "elected",
        "note": "",
        **changes,
    }


def test_adding_a_term_in_the_admin_goes_through_the_service(client, staff_user):
    client.force_login(staff_user)
    person = UserFactory()
    response = client.post(reverse("admin:governance_term_add"), _term_form(person))
    assert response.status_code == 302, response.context["adminform"].form.errors
    term = Term.objects.get()
    assert AuditEntry.objects.get(action="governance.term_created").actor == staff_user
    # an overlapping one is a form error, and nothing is written
    response = client.post(
        reverse("admin:governance_term_add"), _term_form(UserFactory(), start="2026-01-01")
    )
    assert response.status_code == 200
    assert "one holder at a time" in str(response.context["adminform"].form.errors)
    bad_end = client.post(reverse("admin:governance_term_add"), _term_form(person, end="2024-1-1"))
    assert "end" in bad_end.context["adminform"].form.errors
    assert list(Term.objects.all()) == [term]
    # changing it goes through term_update
    change = reverse("admin:governance_term_change", args=[term.pk])
    data = _term_form(person, end="2025-12-31", note="resigned")
    del data["office"]
    assert client.post(change, data).status_code == 302
    term.refresh_from_db()
    assert term.end == D(2025, 12, 31)
    assert AuditEntry.objects.get(action="governance.term_changed").after["note"] == "resigned"


def test_term_actions_end_and_delete_through_services(client, staff_user, travel):
    travel(D(2026, 6, 1))
    term = make_term("chair", start=D(2025, 1, 1))
    future = make_term("vice-chair-events", start=D(2027, 1, 1))
    client.force_login(staff_user)
    changelist = reverse("admin:governance_term_changelist")
    response = client.post(
        changelist, {"action": "end_today", "_selected_action": [term.pk, future.pk]}, follow=True
    )
    term.refresh_from_db()
    assert term.end == D(2026, 6, 1)
    assert "delete it instead" in response.content.decode()
    future.refresh_from_db()
    assert future.end == D(2028, 12, 31)
    delete = reverse("admin:governance_term_delete", args=[future.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert AuditEntry.objects.filter(action="governance.term_deleted").count() == 1


def test_seat_an_interim_team_from_the_admin(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:governance_term_interim_team")
    chair, events = office("chair"), office("vice-chair-events")
    a, b = UserFactory(), UserFactory()
    bad = client.post(
        url,
        {
            "start": "2020-01-01",
            f"office_{chair.pk}": a.email,
            f"office_{events.pk}": "x@nowhere.org",
        },
    )
    assert bad.status_code == 400 and "No account" in bad.content.decode()
    assert not Term.objects.exists()
    empty = client.post(url, {"start": "2020-01-01"})
    assert empty.status_code == 400
    ok = client.post(
        url,
        {
            "start": "2020-01-01",
            "note": "Seated by the EAC",
            f"office_{chair.pk}": a.email.upper(),
            f"office_{events.pk}": b.email,
        },
    )
    assert ok.status_code == 302
    assert sorted(Term.objects.values_list("office__slug", "how_filled", "end")) == [
        ("chair", "interim", None),
        ("vice-chair-events", "interim", None),
    ]


def test_stewards_review_practice_groups_but_cannot_seat_officers(client, steward_user):
    client.force_login(steward_user)
    assert client.get(reverse("admin:governance_term_add")).status_code == 403
    assert client.get(reverse("admin:governance_term_interim_team")).status_code == 403
    assert client.get(reverse("admin:governance_term_changelist")).status_code == 200
    group = PracticeGroupFactory(status="pending")
    changelist = reverse("admin:governance_practicegroup_changelist")
    client.post(changelist, {"action": "approve", "_selected_action": [group.pk]})
    group.refresh_from_db()
    assert group.status == "approved"
    client.post(changelist, {"action": "close", "_selected_action": [group.pk]})
    group.refresh_from_db()
    assert group.status == "closed"


def test_close_committees_action(client, staff_user, travel):
    travel(D(2026, 6, 1))
    committee = CommitteeFactory()
    client.force_login(staff_user)
    client.post(
        reverse("admin:governance_committee_changelist"),
        {"action": "close_today", "_selected_action": [committee.pk]},
    )
    assert Committee.objects.get().active_to == D(2026, 6, 1)
    assert AuditEntry.objects.filter(action="governance.committee_closed").exists()


# --- issue 22: terms give Stewardship-team access; staff never seat themselves ----------------


def test_ties_staff_cannot_seat_themselves_or_another_staff_account(
    client, staff_user, steward_user
):
    client.force_login(staff_user)
    for person in (staff_user, steward_user):
        response = client.post(reverse("admin:governance_term_add"), _term_form(person))
        assert response.status_code == 200, person
        assert "person" in response.context["adminform"].form.errors
    url = reverse("admin:governance_term_interim_team")
    response = client.post(
        url, {"start": "2020-01-01", f"office_{office('chair').pk}": staff_user.email}
    )
    assert response.status_code == 400 and "cannot seat yourself" in response.content.decode()
    assert not Term.objects.exists()
    staff_user.refresh_from_db()
    assert not staff_user.groups.filter(name="Stewardship team").exists()


def test_a_superuser_seats_a_staff_account(admin_client, staff_user):
    response = admin_client.post(reverse("admin:governance_term_add"), _term_form(staff_user))
    assert response.status_code == 302
    assert Term.objects.get().person == staff_user


def test_ties_staff_end_or_shorten_an_officers_term_but_never_lengthen_it(
    client, staff_user, travel
):
    travel(D(2026, 6, 1))
    officer = UserFactory()
    term = make_term("chair", officer, start=D(2025, 1, 1), end=D(2026, 12, 31))
    officer.refresh_from_db()
    assert officer.is_staff  # seated: staff through the Stewardship team sync
    client.force_login(staff_user)
    change = reverse("admin:governance_term_change", args=[term.pk])
    data = _term_form(officer, start="2024-12-31", end="2026-12-30")  # a day earlier
    del data["office"]
    response = client.post(change, data)
    assert response.status_code == 200 and "person" in response.context["adminform"].form.errors
    term.refresh_from_db()
    assert term.end == D(2026, 12, 31)
    data.update(start="2025-01-01", end="2026-09-30")
    assert client.post(change, data).status_code == 302
    term.refresh_from_db()
    assert term.end == D(2026, 9, 30)
