"""The Django admin has no login page of its own: it sends people to the allauth sign-in
(with email verification and MFA) and back."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def admin_login(request, extra_context=None):
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied(_("Your account has no access to the administration pages."))
    return redirect(next_url)
