"""Tools of the admin escalation test (test_admin_escalation.py): every page of every
ModelAdmin registered on `admin.site`, the forms on them read from their HTML, and
payloads an attacker would post to them; and a snapshot of what each account may do.

Nothing here names an app: a ModelAdmin registered later is probed the same way."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse
from guardian.models import GroupObjectPermission, UserObjectPermission

from members.models import EcosystemRole

STANDARD = ("changelist", "add", "history", "delete", "change")
HIJACK_PASSWORD = "Hijacked-by-staff-0451!"
HIJACK_EMAIL = "takeover@evil.example"
OBJECTS_PER_MODEL = 2


# --- forms read from a page ------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    checked: bool = False
    multiple: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)


class FormParser(HTMLParser):
    """The POST forms of a page with their fields (enough of HTML for the admin's forms)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = (
                Form(action=a.get("action") or "")
                if (a.get("method") or "get").lower() == "post"
                else None
            )
            if self._form is not None:
                self.forms.append(self._form)
        if self._form is None or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            self._form.fields.append(
                Field(
                    name=a["name"],
                    kind=(a.get("type") or "text").lower(),
                    value=a.get("value") or "",
                    checked="checked" in a,
                )
            )
        elif tag == "select":
            self._select = Field(name=a["name"], kind="select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea":
            self._textarea = Field(name=a["name"], kind="textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options.append((text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def page_forms(html: str, url: str) -> list[Form]:
    """The page's own POST forms (not the header's sign-out or language forms)."""
    parser = FormParser()
    parser.feed(html)
    return [f for f in parser.forms if f.action in ("", url) and f.fields]


def user_reference_names() -> set[str]:
    """Field names that point at an account, in every installed model (`person`,
    `user`, `assigned_to`…): the fields an attacker fills with the account to promote."""
    user_model = get_user_model()
    from django.apps import apps

    return {
        f.name
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if getattr(f, "related_model", None) is user_model
        and getattr(f, "concrete", False)
        and (f.many_to_one or f.one_to_one or f.many_to_many)
    }


def hostile_payload(form: Form, *, target, user_fields: set[str]) -> dict[str, list[str]]:
    """What an attacker posts back: every box ticked, every multiple choice taken, every
    account field pointing at `target`, passwords and the email set to the attacker's, and
    the privilege fields added whether the form shows them or not."""
    data: dict[str, list[str]] = defaultdict(list)
    for f in form.fields:
        last = f.name.rsplit("-", 1)[-1]
        if f.kind in ("submit", "button", "image", "reset", "file"):
            continue
        if f.kind == "checkbox":
            data[f.name].append(f.value or "on")
        elif f.kind == "radio":
            if f.checked or f.name not in data:
                data[f.name] = [f.value]
        elif f.kind == "password" or last.startswith("password"):
            data[f.name] = [HIJACK_PASSWORD]
        elif f.kind == "select":
            values = [v for v, _ in f.options if v not in ("", None)]
            if f.multiple:
                data[f.name] = values
            elif last in user_fields:
                data[f.name] = [str(target.pk)]
            else:
                chosen = [v for v, selected in f.options if selected]
                data[f.name] = (chosen or values or [""])[:1]
        elif last in user_fields:
            data[f.name] = [str(target.pk)]
        elif f.kind == "email" or last == "email":
            data[f.name] = [HIJACK_EMAIL if f.name == "email" else target.email]
        else:
            data[f.name] = [f.value]
    data.setdefault("is_superuser", ["on"])
    data.setdefault("is_staff", ["on"])
    data.setdefault("is_active", ["on"])
    data.setdefault("groups", [str(pk) for pk in Group.objects.values_list("pk", flat=True)])
    data.setdefault(
        "user_permissions", [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    )
    return dict(data)


# --- the pages of every ModelAdmin -----------------------------------------------------------


def registered_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def sample_objects(model, accounts) -> list:
    """A few rows of `model`, the rows that belong to the given accounts first (their
    roles, terms, addresses, authenticators…), then the first rows."""
    user_model = get_user_model()
    if model is user_model:
        return list(user_model.objects.order_by("pk"))
    chosen = []
    for f in model._meta.get_fields():
        if getattr(f, "related_model", None) is user_model and f.concrete and f.many_to_one:
            chosen += list(model._default_manager.filter(**{f"{f.name}__in": accounts})[:6])
    chosen += list(model._default_manager.order_by("pk")[:OBJECTS_PER_MODEL])
    return list({obj.pk: obj for obj in chosen}.values())


def own_pages(model_admin, obj=None) -> list[str]:
    """The ModelAdmin's own pages (get_urls beyond Django's five): those about one row
    filled with `obj`, or, without `obj`, those about none."""
    opts = model_admin.model._meta
    standard = {f"{opts.app_label}_{opts.model_name}_{view}" for view in STANDARD}
    urls = []
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None)
        converters = pattern.pattern.converters
        if not name or name in standard or bool(converters) != (obj is not None):
            continue
        try:
            urls.append(reverse(f"admin:{name}", kwargs=dict.fromkeys(converters, obj and obj.pk)))
        except NoReverseMatch:
            continue
    return urls


def action_names(model_admin) -> list[str]:
    """Every action defined, including those hidden from the actor: posting a hidden
    one is what an attacker tries."""
    return [name for _func, name, _desc in model_admin._get_base_actions()]


# --- what an account may do ------------------------------------------------------------------


def _roles(user) -> set[tuple[int, str]]:
    held = set()
    for eco, role in EcosystemRole.objects.filter(user=user).values_list("ecosystem_id", "role"):
        held.add((eco, "member"))  # a lead may do all a member may
        if role == EcosystemRole.Role.LEAD:
            held.add((eco, "lead"))
    return held


def privileges(user) -> dict[str, set]:
    """Everything `user` may do, as sets: one more element anywhere is a privilege gained."""
    user.refresh_from_db()
    group_ids = list(user.groups.values_list("pk", flat=True))
    flags = {name for name in ("is_staff", "is_superuser") if getattr(user, name)}
    return {
        "flags": flags,
        "groups": set(user.groups.values_list("name", flat=True)),
        "permissions": set(
            Permission.objects.filter(user=user).values_list("content_type_id", "codename")
        ),
        "group_permissions": set(
            Permission.objects.filter(group__in=group_ids).values_list(
                "content_type_id", "codename"
            )
        ),
        "object_permissions": set(
            UserObjectPermission.objects.filter(user=user).values_list(
                "content_type_id", "object_pk", "permission__codename"
            )
        )
        | set(
            GroupObjectPermission.objects.filter(group__in=group_ids).values_list(
                "content_type_id", "object_pk", "permission__codename"
            )
        ),
        "roles": _roles(user),
    }


def credentials(user) -> dict:
    """What controls the account: its password, the addresses that sign in and receive
    password resets (its email and its verified addresses), its authenticators, and
    whether it is active."""
    user.refresh_from_db()
    return {
        "password": hashlib.sha256(user.password.encode()).hexdigest(),
        "email": user.email,
        "verified": set(
            EmailAddress.objects.filter(user=user, verified=True).values_list("email", "primary")
        ),
        "authenticators": {
            (a.pk, a.type, repr(sorted(a.data.items())))
            for a in Authenticator.objects.filter(user=user)
        },
        "is_active": user.is_active,
    }
