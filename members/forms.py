from __future__ import annotations

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import PROFILE_FIELDS, Ecosystem, EcosystemRole, PartnerOrganization, Region, User


class VerifiedAddressResetPasswordForm(ResetPasswordForm):
    """allauth's password-reset form (ACCOUNT_FORMS["reset_password"]), sending a link only
    to an address that controls the account: its email on file or a verified address.
    allauth also finds accounts by an unverified address — a change someone asked for and
    the new address has not confirmed — and would send that address a link to the
    account: until it is confirmed it controls nothing."""

    def clean_email(self):
        email = super().clean_email()
        wanted = email.lower()
        verified = set(
            EmailAddress.objects.filter(
                user__in=self.users, email__iexact=wanted, verified=True
            ).values_list("user_id", flat=True)
        )
        self.users = [u for u in self.users if u.email.lower() == wanted or u.pk in verified]
        return email


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("number"),
        required=False,
        to_field_name="slug",
        empty_label=_("All regions"),
    )


class EcosystemProfileForm(forms.ModelForm):
    founded_year = forms.IntegerField(
        label=_("Founded (year)"), required=False, min_value=1900, max_value=2100
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Ecosystem
        fields = PROFILE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class PartnerForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *PartnerOrganization.Sector.choices], required=False
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("sector"):
            self.add_error("sector", _("Choose the sector of this partner."))
        if data.get("sector") and not data.get("name") and not data.get("DELETE"):
            self.add_error("name", _("Give the partner's name."))
        return data


class BasePartnerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            name = (form.cleaned_data.get("name") or "").strip().lower()
            if name and name in seen:
                raise forms.ValidationError(_("Each partner can be listed only once."))
            seen.add(name)

    def partner_changes(self) -> list[dict]:
        changes = []
        for form in self.forms:
            data = dict(form.cleaned_data)
            if not data:
                continue
            data["delete"] = bool(self.can_delete and self._should_delete_form(form))
            changes.append(data)
        return changes


PartnerFormSet = forms.formset_factory(
    PartnerForm,
    formset=BasePartnerFormSet,
    extra=2,
    can_delete=True,
    max_num=200,
    validate_max=True,
)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=EcosystemRole.Role.choices,
        initial=EcosystemRole.Role.MEMBER,
        help_text=_("Leads can pay dues, register attendees and vote; members can read."),
    )


class InvitationSignupForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(email=self.email, first_name=data.get("first_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(choices=EcosystemRole.Role.choices)
