"""Hostile input into every form the portal's pages render (found by walking the URL conf
as anonymous, a lead and staff, and reading the forms out of each page's context): huge
strings, unicode, markup, out-of-range numbers, impossible dates. Every answer is a page
with errors or a redirect — never a server error — and another ecosystem's rows stay as
they were."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.formsets import BaseFormSet, ManagementForm
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.portal.walk import fill_routes, project_models

pytestmark = pytest.mark.django_db

EXAMPLES = 8
ANSWERS = {200, 302, 303, 400}  # the page again (with errors, 200 or 400) or a redirect
# Refusals a page may answer with instead: a DomainError the view turned into its status
# (403 NotAllowed, 409 Conflict), a method the view does not take, or a one-time link that
# an earlier example used up (410: an invitation accepted by a valid random sign-up).
REFUSALS = {403, 405, 409, 410}

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "x" * 20_000,
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE members_ecosystem; --",
            "{{ 7*7 }}{% now 'Y' %}",
            "\u202eevil\u200b\ufeff",
            "Zoë Ñúñez 中文 🎓",
            "a\x00b",
            "../../etc/passwd",
            "%s%n%x",
        ]
    ),
)
HOSTILE_NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["-1", "0", "1e309", "NaN", "inf", "-0", "9" * 40, "1,000", "0x10", "½"]),
)
HOSTILE_DATE = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["2026-02-30", "0000-00-00", "9999-12-31", "31/12/2026", "yesterday"]),
)


def _field_strategy(field: forms.Field):
    if isinstance(field, forms.FileField):
        return st.sampled_from(
            [b"%PDF-1.4 not really", b"\x00" * 64, b"<svg onload=alert(1)>"]
        ).map(lambda content: SimpleUploadedFile("x.pdf", content, "application/pdf"))
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false", "maybe"])
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        choices = [str(value) for value, _ in field.choices if value not in ("", None)][:20]
        valid = st.sampled_from(choices) if choices else HOSTILE_TEXT
        return st.one_of(valid, HOSTILE_TEXT, HOSTILE_NUMBER)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return st.one_of(HOSTILE_DATE, HOSTILE_TEXT)
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.one_of(HOSTILE_NUMBER, HOSTILE_TEXT)
    return st.one_of(HOSTILE_TEXT, HOSTILE_NUMBER, HOSTILE_DATE)


@dataclass
class FoundForm:
    viewer: str
    url: str
    form: forms.BaseForm

    @property
    def fields(self) -> dict[str, forms.Field]:
        form = self.form
        return {form.add_prefix(name): field for name, field in form.fields.items()}


def _forms_in(response) -> list[forms.BaseForm]:
    found: dict[int, forms.BaseForm] = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm):
                found[id(value)] = value
            elif isinstance(value, BaseFormSet):
                found[id(value.management_form)] = value.management_form
                for form in value.forms:
                    found[id(form)] = form
    return list(found.values())


def discover(network) -> list[FoundForm]:
    found: dict[tuple, FoundForm] = {}
    viewers = {
        "anonymous": network.client(),
        "lead": network.client(network.lead),
        "staff": network.client(network.staff),
    }
    for viewer, client in viewers.items():
        for page in fill_routes(client, network.ecosystem).pages:
            if page.status != 200 or page.route.name == "account_logout":
                continue
            for form in _forms_in(client.get(page.url)):
                key = (viewer, page.url, type(form).__name__)  # one form of a formset
                found.setdefault(key, FoundForm(viewer, page.url, form))
    return list(found.values())


def unrelated_rows(ecosystem) -> dict:
    """Every row that belongs to `ecosystem` (it is not the one under attack)."""
    rows = {}
    for model in project_models():
        names = {f.name for f in model._meta.concrete_fields}
        if model._meta.label == "members.Ecosystem":
            rows[model._meta.label] = list(model.objects.filter(pk=ecosystem.pk).values())
        elif "ecosystem" in names:
            rows[model._meta.label] = list(
                model._default_manager.filter(ecosystem=ecosystem).order_by("pk").values()
            )
    return rows


def test_every_form_survives_hostile_input(network):
    found = discover(network)
    names = {type(f.form).__name__ for f in found}
    # the walk reaches the forms of every app that has landed
    assert {"DirectorySearchForm", "EcosystemProfileForm", "InvitationForm"} <= names, names
    assert {"ScholarshipForm", "LibraryFilterForm", "NotificationPreferenceForm"} <= names, names
    clients = {
        "anonymous": network.client(),
        "lead": network.client(network.lead),
        "staff": network.client(network.staff),
    }
    untouched = unrelated_rows(network.other)

    for target in found:
        _attack(target, clients[target.viewer])
        assert unrelated_rows(network.other) == untouched, target


def _attack(target: FoundForm, client) -> None:
    @settings(
        # a formset's management form makes Django build up to absolute_max (1,000+)
        # forms per request: a few examples prove it holds, more only cost CI minutes
        max_examples=3 if isinstance(target.form, ManagementForm) else EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure reports its input
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.fixed_dictionaries({n: _field_strategy(f) for n, f in target.fields.items()}))
    def attack(data):
        text_only = {k: v for k, v in data.items() if isinstance(v, str)}
        for method, payload in ((client.get, text_only), (client.post, data)):
            response = method(target.url, payload)
            assert response.status_code in ANSWERS | REFUSALS, (
                target.viewer,
                target.url,
                type(target.form).__name__,
                method.__name__,
                response.status_code,
            )

    attack()
