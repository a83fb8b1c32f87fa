"""Office powers from one mechanism (issue 27, item 5): a group per empowered office
(governance.powers) whose members are the office's current holders, kept by the
stewardship sync on term create and end and nightly; the holder is staff (MFA applies),
the admin pages and `has_perm` follow. Announcements use it too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from community import services as community
from governance import tasks
from governance.models import Office
from governance.powers import OFFICE_POWERS
from governance.services import term_create, term_end
from members.models import AuditEntry, User
from slecop.errors import NotAllowed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
START, LAST = dt.date(2027, 1, 1), dt.date(2027, 3, 31)
# the admin pages each office's work is done on, and one it has no business on
ADMIN_PAGES = {
    "vice-chair-events": ["convenings_convening", "convenings_registration"],
    "vice-chair-communications": ["community_announcement"],
}
NOT_THEIRS = "members_invoice"


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # permissions as the next request reads them


def _seat(slug, person, *, start=START, end=LAST):
    return term_create(
        acting_user=None,
        office=Office.objects.get(slug=slug),
        person=person,
        start=start,
        end=end,
        how_filled="elected",
    )


@pytest.mark.parametrize("slug", sorted(OFFICE_POWERS))
def test_powers_come_with_the_term_and_go_the_day_after_it_ends(client, travel, slug):
    powers = OFFICE_POWERS[slug]
    travel(START - dt.timedelta(days=10))
    person = UserFactory()
    _seat(slug, person)
    assert not _fresh(person).has_perms(powers.permissions)  # not in office yet

    travel(START)
    tasks.sync_stewardship_team()  # the night the term begins
    holder = _fresh(person)
    assert holder.is_staff and holder.has_perms(powers.permissions)
    assert holder.groups.filter(name=powers.group).exists()
    client.force_login(holder)
    for model in ADMIN_PAGES[slug]:
        app, name = model.split("_", 1)
        page = client.get(reverse(f"admin:{app}_{name}_changelist"))
        assert page.status_code == 200, model
    assert client.get(reverse(f"admin:{NOT_THEIRS}_add")).status_code == 403

    travel(LAST)
    tasks.sync_stewardship_team()
    assert _fresh(person).has_perms(powers.permissions)  # the last day is still in office

    travel(LAST + dt.timedelta(days=1))
    tasks.sync_stewardship_team()
    gone = _fresh(person)
    assert not gone.has_perm(powers.permissions[0]) and not gone.is_staff
    assert not gone.groups.filter(name=powers.group).exists()
    client.force_login(gone)
    app, name = ADMIN_PAGES[slug][0].split("_", 1)
    assert client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 302
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"governance.office_powers_granted", "governance.office_powers_revoked"} <= actions


def test_a_term_ended_in_the_past_takes_the_powers_at_once(travel):
    travel(START)
    person = UserFactory()
    term = _seat("vice-chair-events", person)
    assert _fresh(person).has_perm("convenings.change_convening")  # created current: at once
    travel(START + dt.timedelta(days=5))
    term_end(acting_user=None, term=term, last_day=START + dt.timedelta(days=2))
    assert not _fresh(person).has_perm("convenings.change_convening")  # the sync ran with it


def test_the_groups_carry_exactly_their_permissions_and_are_audited(travel):
    travel(START)
    _seat("vice-chair-communications", UserFactory())
    for powers in OFFICE_POWERS.values():
        group = Group.objects.get(name=powers.group)
        have = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert have == set(powers.permissions)
    # a permission added by hand is taken back by the next sync, audited
    group = Group.objects.get(name=OFFICE_POWERS["vice-chair-communications"].group)
    from django.contrib.auth.models import Permission

    group.permissions.add(Permission.objects.get(codename="add_invoice"))
    tasks.sync_stewardship_team()
    assert not group.permissions.filter(codename="add_invoice").exists()
    entry = AuditEntry.objects.filter(action="governance.office_group_permissions").latest("pk")
    assert "members.add_invoice" in entry.before["permissions"]


def test_the_vice_chair_for_communications_publishes_while_in_office(travel):
    travel(START)
    person = UserFactory()
    term = _seat("vice-chair-communications", person)
    item = community.announcement_create(
        acting_user=_fresh(person), title="Advocacy", body="Text", visibility="members"
    )
    assert item.published_at is not None
    term_end(acting_user=None, term=term, last_day=START)
    travel(START + dt.timedelta(days=1))
    tasks.sync_stewardship_team()
    with pytest.raises(NotAllowed):
        community.announcement_create(
            acting_user=_fresh(person), title="Later", body="Text", visibility="members"
        )


def test_an_office_holder_is_staff_and_must_enrol_mfa(client, travel, settings):
    settings.SLECOP_REQUIRE_MFA_FOR_STAFF = True
    travel(START)
    person = UserFactory()
    _seat("vice-chair-events", person)
    client.force_login(person)
    response = client.get(reverse("admin:convenings_convening_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
