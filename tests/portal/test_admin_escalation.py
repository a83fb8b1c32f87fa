"""Issue 22, "Must show": no privilege escalation through the admin, whatever app
registers a ModelAdmin.

Generated from `admin.site._registry`: for every ModelAdmin, its changelist, add, change,
and delete pages, every action it defines (those hidden from the actor too) and
every page of its own (`get_urls`), for a sample of rows (the rows of privileged accounts
first). A TIES-staff, a Stewardship-team and an office-holder account each GET every page
and POST to it what an attacker would (admin_probe.hostile_payload: every box ticked,
every multiple choice taken, every account field pointing at themselves, at the superuser
or at another staff account, passwords and emails replaced, privilege fields added).

Afterwards, for every other account: what controls it (password hash, email, verified
addresses, authenticators, activation) is unchanged, and nothing it may do grew (staff
and superuser status, groups, permissions, its groups' permissions, object permissions,
roles). A superuser account is unchanged in every respect. The actor's own privileges did
not grow. ("Did not grow" rather than "unchanged" for the rest: TIES staff are entitled to
take access away — remove an ordinary member's role, end an officer's term — and the
probe does exactly that when it deletes every row it may.) No page answers 500.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from governance.models import StewardshipAccess
from members.migration_utils import STEWARDSHIP_TEAM, TIES_STAFF
from members.models import Ecosystem, EcosystemRole, User
from tests.factories import UserFactory
from tests.portal import admin_probe as probe

pytestmark = pytest.mark.django_db


class World:
    """seed_demo's network and its accounts, plus a second TIES-staff account and TOTP
    authenticators for the superuser and a lead."""

    def __init__(self):
        call_command("seed_demo", "--ecosystems", "2", "--quiet")
        self.superuser = User.objects.get(email="admin@example.org")
        self.ties_staff = User.objects.get(email="staff@example.org")
        self.steward = User.objects.get(email="steward@example.org")
        access = StewardshipAccess.objects.select_related("person").order_by("pk").first()
        self.office_holder = access.person
        self.other_staff = UserFactory(email="staff.two@example.org", is_staff=True)
        self.other_staff.groups.add(Group.objects.get(name=TIES_STAFF))
        self.lead = User.objects.get(email="lead@example.org")
        for user in (self.superuser, self.lead):
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
            )
        # the office holder also leads an ecosystem: their role is a target too
        if not EcosystemRole.objects.filter(user=self.office_holder).exists():
            EcosystemRole.objects.create(
                user=self.office_holder, ecosystem=Ecosystem.objects.first(), role="lead"
            )
        self.privileged = [self.superuser, self.other_staff, self.steward, self.office_holder]

    def actor(self, name: str) -> User:
        return {
            "ties_staff": self.ties_staff,
            "steward": self.steward,
            "office_holder": self.office_holder,
        }[name]


def _snapshot(users) -> dict:
    return {u.pk: (probe.credentials(u), probe.privileges(u)) for u in users}


def _grew(before: dict, after: dict) -> dict:
    return {key: after[key] - before[key] for key in after if after[key] - before[key]}


class Probe:
    def __init__(self, client, world: World, actor: User):
        self.client, self.world, self.actor = client, world, actor
        self.user_fields = probe.user_reference_names()
        self.targets = [actor, world.superuser, world.other_staff]
        self.requests = 0
        self.errors: list[str] = []

    def _check(self, method, url, response):
        self.requests += 1
        if response.status_code >= 500:
            self.errors.append(f"{method} {url}: {response.status_code}")

    def get(self, url):
        response = self.client.get(url)
        self._check("GET", url, response)
        return response

    def post(self, url, data):
        response = self.client.post(url, data)
        self._check("POST", url, response)
        return response

    def attack_form_page(self, url):
        """GET the page; POST each of its forms back, hostile, once per target."""
        page = self.get(url)
        forms = probe.page_forms(page.content.decode(), url) if page.status_code == 200 else []
        if not forms:  # refused, or no form: post the privilege fields anyway, once
            self.post(
                url,
                probe.hostile_payload(
                    probe.Form(action=""), target=self.actor, user_fields=self.user_fields
                ),
            )
        for form in forms:
            for target in self.targets:
                self.post(
                    url, probe.hostile_payload(form, target=target, user_fields=self.user_fields)
                )

    def attack(self, model, model_admin):
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        accounts = [self.actor, *self.world.privileged]
        objects = probe.sample_objects(model, accounts)
        changelist = reverse(f"{prefix}_changelist")
        self.get(changelist)
        self.attack_form_page(reverse(f"{prefix}_add"))
        for url in probe.own_pages(model_admin):
            self.attack_form_page(url)
        for obj in objects:
            self.attack_form_page(reverse(f"{prefix}_change", args=[obj.pk]))
            for url in probe.own_pages(model_admin, obj):
                self.attack_form_page(url)
        selected = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:50]]
        for action in probe.action_names(model_admin):
            self.post(
                changelist,
                {"action": action, "_selected_action": selected, "index": "0", "post": "yes"},
            )
        for obj in objects:
            url = reverse(f"{prefix}_delete", args=[obj.pk])
            self.get(url)
            self.post(url, {"post": "yes"})


@pytest.mark.parametrize("actor_name", ["ties_staff", "steward", "office_holder"])
def test_no_account_gains_privileges_through_any_model_admin(client, actor_name):
    world = World()
    actor = world.actor(actor_name)
    assert actor.is_staff and not actor.is_superuser
    if actor_name == "office_holder":  # staff through their term (governance sync)
        assert actor.groups.filter(name=STEWARDSHIP_TEAM).exists()
    others = list(User.objects.exclude(pk=actor.pk))
    before = _snapshot(others)
    own_before = probe.privileges(actor)
    client.force_login(actor)

    attacker = Probe(client, world, actor)
    admins = probe.registered_admins()
    for model, model_admin in admins:
        attacker.attack(model, model_admin)

    assert attacker.errors == []
    assert len(admins) >= 40 and attacker.requests > 500
    after = _snapshot(others)
    problems = {}
    for user in others:
        (creds_before, privs_before), (creds_after, privs_after) = before[user.pk], after[user.pk]
        if creds_after != creds_before:
            problems[f"{user.email}: credentials"] = (creds_before, creds_after)
        if grown := _grew(privs_before, privs_after):
            problems[f"{user.email}: gained"] = grown
        if user.is_superuser and privs_after != privs_before:
            problems[f"{user.email}: superuser changed"] = (privs_before, privs_after)
    assert problems == {}
    assert _grew(own_before, probe.privileges(actor)) == {}


def test_the_probe_reaches_the_pages_it_attacks(client):
    """The probe is not vacuous: as a superuser the same forms are found and a hostile
    post does change an account (what only a superuser may do)."""
    world = World()
    client.force_login(world.superuser)
    url = reverse("admin:members_user_change", args=[world.lead.pk])
    forms = probe.page_forms(client.get(url).content.decode(), url)
    assert forms and any(f.name == "is_superuser" for f in forms[0].fields)
    payload = probe.hostile_payload(
        forms[0], target=world.lead, user_fields=probe.user_reference_names()
    )
    assert client.post(url, payload).status_code == 302
    world.lead.refresh_from_db()
    assert world.lead.is_superuser and world.lead.is_staff
    assert world.lead.email == "lead@example.org"  # an email change still waits to confirm
