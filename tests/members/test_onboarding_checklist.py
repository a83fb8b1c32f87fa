"""The onboarding checklist (issue 10): automatic items from registered checks, items the
coach ticks, activation when complete, the lead's panel and the cohort pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import AuditEntry, Onboarding, OnboardingTick
from members.onboarding.registry import (
    OnboardingCheck,
    checklist_items,
    register_check,
    registered_checks,
)
from members.onboarding.selectors import onboarding_progress
from members.onboarding.services import checklist as onboarding_services
from members.tasks import activate_completed_onboardings
from slecop.errors import DomainError, NotAllowed
from tests.factories import (
    EcosystemFactory,
    PartnerFactory,
    UserFactory,
    make_lead,
    open_dues_invoice,
    pay_invoice,
)
from tests.members.factories_services import OnboardingEcosystemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("members_checks_only")]

ISSUE_ITEMS = {
    "orientation_attended",
    "profile_complete",
    "partners_listed",
    "first_indicator_report",
    "dues_settled",
    "first_convening",
}


def manual_keys() -> list[str]:
    return [i.key for i in checklist_items() if not i.automatic]


@pytest.fixture
def onboarding(steward_user):
    ecosystem = OnboardingEcosystemFactory()
    onboarding_services.onboarding_start(acting_user=None, ecosystem=ecosystem, coach=steward_user)
    return Onboarding.objects.get(ecosystem=ecosystem)


def complete_automatic_items(ecosystem):
    ecosystem.description = "A network of 40 partners."
    ecosystem.founded_year = 2021
    ecosystem.save()
    PartnerFactory(ecosystem=ecosystem, sector="schools")
    PartnerFactory(ecosystem=ecosystem, sector="museum")
    pay_invoice(open_dues_invoice(ecosystem))


def test_checklist_has_every_item_of_the_issue_automatic_when_registered():
    items = {i.key: i for i in checklist_items()}
    assert set(items) >= ISSUE_ITEMS
    registered = {c.key for c in registered_checks()}
    assert {"profile_complete", "partners_listed", "dues_settled"} <= registered
    for key, item in items.items():
        assert item.automatic == (key in registered)
    assert [i.order for i in checklist_items()] == sorted(i.order for i in checklist_items())


def test_an_item_another_app_registers_becomes_automatic(monkeypatch):
    from members.onboarding import registry

    monkeypatch.setattr(registry, "_checks", dict(registry._checks))
    register_check(OnboardingCheck(key="orientation_attended", label="Orientation", done_for=set))
    assert next(i for i in checklist_items() if i.key == "orientation_attended").automatic


def test_progress_combines_automatic_checks_and_coach_ticks(onboarding, steward_user):
    ecosystem = onboarding.ecosystem
    progress = onboarding_progress([ecosystem.pk])[ecosystem.pk]
    assert progress.done_count == 0 and not progress.complete
    complete_automatic_items(ecosystem)
    progress = onboarding_progress([ecosystem.pk])[ecosystem.pk]
    done = {s.item.key for s in progress.items if s.done}
    assert done == {"profile_complete", "partners_listed", "dues_settled"}


def test_partners_listed_needs_two_partners_besides_the_lead_organisation(onboarding):
    ecosystem = onboarding.ecosystem

    def listed():
        states = onboarding_progress([ecosystem.pk])[ecosystem.pk].items
        return next(s.done for s in states if s.item.key == "partners_listed")

    PartnerFactory(ecosystem=ecosystem, sector="lead")
    PartnerFactory(ecosystem=ecosystem, sector="schools")
    assert not listed()
    PartnerFactory(ecosystem=ecosystem, sector="library")
    assert listed()


def test_coach_ticks_manual_items_and_the_last_one_activates_the_ecosystem(
    onboarding, steward_user, mailoutbox, django_capture_on_commit_callbacks
):
    ecosystem = onboarding.ecosystem
    lead = make_lead(ecosystem)
    complete_automatic_items(ecosystem)
    keys = manual_keys()
    for key in keys[:-1]:
        assert not onboarding_services.onboarding_tick(
            acting_user=steward_user, ecosystem=ecosystem, key=key, done=True
        )
    ecosystem.refresh_from_db()
    assert ecosystem.status == "onboarding"
    with django_capture_on_commit_callbacks(execute=True):
        assert onboarding_services.onboarding_tick(
            acting_user=steward_user, ecosystem=ecosystem, key=keys[-1], done=True
        )
    ecosystem.refresh_from_db()
    onboarding.refresh_from_db()
    assert ecosystem.status == "active" and onboarding.completed_at
    entry = AuditEntry.objects.get(action="ecosystem.activated")
    assert entry.actor == steward_user and entry.after == {"status": "active"}
    assert [m.to for m in mailoutbox] == [[lead.email]]
    assert "active" in mailoutbox[0].subject


def test_tick_rules(onboarding, steward_user, staff_user, lead):
    ecosystem = onboarding.ecosystem
    with pytest.raises(DomainError):
        onboarding_services.onboarding_tick(
            acting_user=steward_user, ecosystem=ecosystem, key="profile_complete", done=True
        )
    with pytest.raises(DomainError):
        onboarding_services.onboarding_tick(
            acting_user=steward_user, ecosystem=ecosystem, key="nonsense", done=True
        )
    with pytest.raises(NotAllowed):  # a lead cannot tick their own checklist
        onboarding_services.onboarding_tick(
            acting_user=lead, ecosystem=ecosystem, key=manual_keys()[0], done=True
        )
    key = manual_keys()[0]
    onboarding_services.onboarding_tick(
        acting_user=staff_user, ecosystem=ecosystem, key=key, done=True
    )
    onboarding_services.onboarding_tick(
        acting_user=staff_user, ecosystem=ecosystem, key=key, done=True
    )
    assert OnboardingTick.objects.count() == 1
    onboarding_services.onboarding_tick(
        acting_user=steward_user, ecosystem=ecosystem, key=key, done=False
    )
    assert not OnboardingTick.objects.exists()


def test_dues_paid_last_activates_through_the_payment_hook(
    onboarding, steward_user, django_capture_on_commit_callbacks
):
    ecosystem = onboarding.ecosystem
    for key in manual_keys():
        onboarding_services.onboarding_tick(
            acting_user=steward_user, ecosystem=ecosystem, key=key, done=True
        )
    ecosystem.description, ecosystem.founded_year = "About us", 2020
    ecosystem.save()
    PartnerFactory.create_batch(2, ecosystem=ecosystem)
    invoice = open_dues_invoice(ecosystem)
    with django_capture_on_commit_callbacks(execute=True):
        pay_invoice(invoice)
    ecosystem.refresh_from_db()
    assert ecosystem.status == "active"


def test_the_hourly_task_catches_up_on_items_ticked_elsewhere(onboarding, steward_user):
    ecosystem = onboarding.ecosystem
    for key in manual_keys():
        OnboardingTick.objects.create(ecosystem=ecosystem, key=key, ticked_by=steward_user)
    complete_automatic_items(ecosystem)  # nobody called the service afterwards
    assert activate_completed_onboardings() == 1
    assert activate_completed_onboardings() == 0
    ecosystem.refresh_from_db()
    assert ecosystem.status == "active"


# --- pages ----------------------------------------------------------------------------------


def test_lead_sees_the_checklist_on_my_ecosystem_only_while_onboarding(client, onboarding):
    ecosystem = onboarding.ecosystem
    client.force_login(make_lead(ecosystem))
    html = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Onboarding checklist" in html and "Orientation attended" in html
    assert onboarding.coach.email in html
    assert reverse("members:profile_edit", kwargs={"ecosystem": ecosystem.slug}) in html
    assert "Pay or apply for a scholarship" in html
    ecosystem.status = "active"
    ecosystem.save()
    assert "Onboarding checklist" not in client.get(ecosystem.get_dashboard_url()).content.decode()


def test_coach_ticks_from_their_onboarding_page(client, onboarding, steward_user, lead):
    ecosystem = onboarding.ecosystem
    url = reverse("members:onboarding_detail", kwargs={"slug": ecosystem.slug})
    tick = reverse("members:onboarding_tick", kwargs={"slug": ecosystem.slug})
    client.force_login(steward_user)
    assert client.get(url).status_code == 200
    key = manual_keys()[0]
    assert client.post(tick, {"key": key, "done": "on"}).status_code == 302
    assert OnboardingTick.objects.filter(ecosystem=ecosystem, key=key).exists()
    assert client.post(tick, {"key": "profile_complete", "done": "on"}).status_code == 302
    assert client.post(tick, {}).status_code == 302  # bad input: a message, no change
    assert OnboardingTick.objects.count() == 1
    client.force_login(make_lead(ecosystem))
    assert client.get(url).status_code == 403
    assert client.post(tick, {"key": key}).status_code == 403
    assert OnboardingTick.objects.count() == 1


def test_coach_sees_only_their_cohort_and_staff_see_each_cohort(
    client, steward_user, staff_user, onboarding
):
    other = OnboardingEcosystemFactory(cohort_year=2025)
    onboarding_services.onboarding_start(acting_user=None, ecosystem=other, coach=staff_user)
    url = reverse("members:cohort_progress")
    client.force_login(steward_user)  # a coach starts with the ecosystems they coach
    html = client.get(url).content.decode()
    assert onboarding.ecosystem.name in html and other.name not in html
    html = client.get(url, {"scope": "all", "year": 2025}).content.decode()
    assert other.name in html  # the stewardship team may look at every cohort
    client.force_login(staff_user)
    html = client.get(url, {"scope": "all", "year": 2025}).content.decode()
    assert other.name in html and onboarding.ecosystem.name not in html
    html = client.get(url, {"scope": "all", "year": 2026}).content.decode()
    assert onboarding.ecosystem.name in html
    assert client.get(url, {"year": "x"}).status_code == 200
    client.force_login(make_lead(other))
    assert client.get(url).status_code == 403


def test_cohort_page_queries_are_constant_in_the_number_of_ecosystems(
    client, staff_user, steward_user, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            ecosystem = OnboardingEcosystemFactory()
            onboarding_services.onboarding_start(
                acting_user=None, ecosystem=ecosystem, coach=steward_user
            )
            PartnerFactory(ecosystem=ecosystem)
            OnboardingTick.objects.create(ecosystem=ecosystem, key=manual_keys()[0])

    client.force_login(staff_user)
    url = reverse("members:cohort_progress")
    add(2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url, {"scope": "all", "year": 2026}).status_code == 200
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"scope": "all", "year": 2026})
    assert len(response.context["rows"]) == 17


def test_staff_start_onboarding_from_the_ecosystem_admin_and_set_the_coach(
    client, staff_user, steward_user
):
    client.force_login(staff_user)
    prospective = EcosystemFactory(status="prospective", cohort_year=None)
    response = client.post(
        reverse("admin:members_ecosystem_changelist"),
        {"action": "start_onboarding", "_selected_action": [prospective.pk]},
    )
    assert response.status_code == 302
    prospective.refresh_from_db()
    onboarding = Onboarding.objects.get(ecosystem=prospective)
    assert prospective.status == "onboarding" and prospective.cohort_year == onboarding.cohort_year
    onboarding_services.onboarding_start(acting_user=staff_user, ecosystem=prospective)  # again
    assert Onboarding.objects.filter(ecosystem=prospective).count() == 1

    change = reverse("admin:members_onboarding_change", args=[onboarding.pk])
    assert client.post(change, {"coach": steward_user.pk}).status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.coach == steward_user
    assert AuditEntry.objects.filter(action="onboarding.coach_set").exists()
    with pytest.raises(DomainError):
        onboarding_services.onboarding_set_coach(
            acting_user=staff_user, onboarding=onboarding, coach=UserFactory()
        )
