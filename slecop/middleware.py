from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .errors import DomainError

MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/")


class RejectNulBytesMiddleware:
    """A NUL byte (`%00`) in the path or the query string is never part of a real address,
    and PostgreSQL refuses it in any text it is asked to compare ("A string literal cannot
    contain NUL characters"): every view that looked a token or a number up would answer
    500. Refuse such a request at once with the portal's 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            raise BadRequest("NUL byte in the request address")
        return self.get_response(request)


class StaffMFARequiredMiddleware:
    """With SLECOP_REQUIRE_MFA_FOR_STAFF on (prod), a staff account without an active TOTP
    authenticator is sent to enrol one before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol(request):
            messages.warning(
                request, _("Staff accounts must set up two-factor authentication first.")
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request) -> bool:
        if not settings.SLECOP_REQUIRE_MFA_FOR_STAFF:
            return False
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.is_staff):
            return False
        if request.path.startswith(MFA_EXEMPT_PREFIXES):
            return False

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class DomainErrorMiddleware:
    """Last resort: a DomainError that a view did not turn into a form error becomes a
    page with its message and the error's HTTP status, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render(
                request,
                "errors/domain_error.html",
                {"error": exception},
                status=exception.http_status,
            )
        return None
