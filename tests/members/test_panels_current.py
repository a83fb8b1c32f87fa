"""Each cached "My ecosystem" panel (members.dashboard: kept per ecosystem and viewer role
under the ecosystem's version key) shows the change its service makes on the very next
view; a sign-in, or another ecosystem's write or ballot, leaves it cached."""

from __future__ import annotations

import pytest

from convenings.services import registration_cancel
from measurement.services import indicator_report_save
from members.dashboard import ecosystem_namespace, render_panels
from members.onboarding import checklist_items
from members.onboarding.services import checklist as onboarding_services
from slecop.cache import version
from tests.convenings.factories import ConveningFactory, register
from tests.factories import (
    EcosystemFactory,
    make_in_good_standing,
    make_lead,
    make_member,
    open_dues_invoice,
)
from tests.measurement.factories import full_input
from tests.members.dues_helpers import record_check
from tests.members.factories_services import OnboardingEcosystemFactory, make_request

pytestmark = pytest.mark.django_db


def panel(ecosystem, user, key, can_act=True):
    items = render_panels(ecosystem=ecosystem, user=user, can_act=can_act)
    (item,) = [p for p in items if p["panel"].key == key]
    return item


def test_standing_and_dues_follow_a_payment(ecosystem, lead):
    invoice = open_dues_invoice(ecosystem)
    assert [i.pk for i in panel(ecosystem, lead, "dues")["context"]["unpaid"]] == [invoice.pk]
    record_check(invoice, invoice.total_cents, "CHK-P1")
    assert panel(ecosystem, lead, "standing")["context"]["standing"].good
    assert panel(ecosystem, lead, "dues")["context"]["unpaid"] == []


def test_services_follow_a_request(ecosystem, lead):
    make_in_good_standing(ecosystem)
    assert panel(ecosystem, lead, "services")["context"]["requests"] == []
    request = make_request(ecosystem, lead)
    assert panel(ecosystem, lead, "services")["context"]["requests"] == [request]


@pytest.mark.usefixtures("members_checks_only")
def test_onboarding_follows_a_coach_s_tick(steward_user):
    ecosystem = OnboardingEcosystemFactory()
    onboarding_services.onboarding_start(acting_user=None, ecosystem=ecosystem, coach=steward_user)
    lead = make_lead(ecosystem)
    key = next(i.key for i in checklist_items() if not i.automatic)

    def done():
        return panel(ecosystem, lead, "onboarding")["context"]["progress"].done_count

    before = done()
    onboarding_services.onboarding_tick(
        acting_user=steward_user, ecosystem=ecosystem, key=key, done=True
    )
    assert done() == before + 1


def test_convenings_follow_a_registration_and_its_cancellation(ecosystem, lead):
    make_in_good_standing(ecosystem)
    convening = ConveningFactory()

    def mine():
        (row,) = [
            c
            for c in panel(ecosystem, lead, "convenings")["context"]["convenings"]
            if c.pk == convening.pk
        ]
        return row.mine

    assert mine() == 0
    registration = register(convening, ecosystem)
    assert mine() == 1
    registration_cancel(acting_user=None, registration=registration)
    assert mine() == 0


def test_indicators_follow_a_submitted_report(ecosystem, lead):
    from measurement.selectors import reporting_year

    make_in_good_standing(ecosystem)
    assert panel(ecosystem, lead, "indicators")["context"]["report"] is None
    indicator_report_save(
        acting_user=lead,
        ecosystem=ecosystem,
        year=reporting_year(),
        data=full_input(),
        submit=True,
    )
    assert panel(ecosystem, lead, "indicators")["context"]["report"] is not None


def test_panels_are_kept_per_role_never_per_person(ecosystem, lead):
    """Two leads share the lead's panels; a member gets the member's."""
    second, member = make_lead(ecosystem), make_member(ecosystem)
    first = panel(ecosystem, lead, "dues")
    again = panel(ecosystem, second, "dues")
    assert again["html"] == first["html"]
    assert first["context"]["ecosystem"] is ecosystem  # drawn for the first lead
    assert again["context"]["ecosystem"] is not ecosystem  # the cached one for the second
    as_member = panel(ecosystem, member, "dues", can_act=False)
    assert as_member["context"]["ecosystem"] is ecosystem  # the member's: drawn anew


def test_a_sign_in_or_another_ecosystem_s_write_keeps_the_panels(client, ecosystem, lead):
    """No global token: signing in (a write of last_login) and another ecosystem's writes
    (its roles, its registration) leave this ecosystem's panels cached."""
    make_in_good_standing(ecosystem)
    other = EcosystemFactory()
    make_in_good_standing(other)
    convening = ConveningFactory()
    assert panel(ecosystem, lead, "dues")["context"]["ecosystem"] is ecosystem  # drawn
    someone = make_lead(other)
    someone.set_password("a long enough password 2")
    someone.save()
    assert client.login(email=someone.email, password="a long enough password 2")
    register(convening, other)  # another ecosystem takes a seat
    token = version(ecosystem_namespace(ecosystem.pk))
    assert panel(ecosystem, lead, "dues")["context"]["ecosystem"] is not ecosystem  # cached
    assert version(ecosystem_namespace(ecosystem.pk)) == token


def test_the_security_panel_follows_each_viewer_s_own_two_factor(ecosystem, lead):
    """Kept per role and variant (whether the viewer uses two-factor sign-in), never per
    person: a lead who turns it on sees it on at once, another lead still sees it off."""
    from allauth.mfa.models import Authenticator

    second = make_lead(ecosystem)
    assert not panel(ecosystem, lead, "security")["context"]["totp"]
    assert not panel(ecosystem, second, "security")["context"]["totp"]
    Authenticator.objects.create(user=lead, type=Authenticator.Type.TOTP, data={})
    assert panel(ecosystem, lead, "security")["context"]["totp"]
    assert not panel(ecosystem, second, "security")["context"]["totp"]
