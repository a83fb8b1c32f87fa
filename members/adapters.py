import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import resolve_url

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Staff and stewards land on their home (what waits for them); leads on /my/."""
        if request.user.is_authenticated and request.user.is_staff:
            return resolve_url("members:staff_home")
        return super().get_login_redirect_url(request)

    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def get_client_ip(self, request):
        """The client's address for rate limits and sessions (allauth's rule: the
        TRUSTED_PROXY_COUNT-th X-Forwarded-For entry from the right).

        allauth raises ImproperlyConfigured (a 500 on the sign-in page) when the header has
        fewer entries than the proxies that should have appended to it: a request that did
        not pass through every proxy, e.g. one sent straight to the app server with a short
        header of its own. Such a request is counted under the connection's own address,
        which its sender cannot choose, so it can neither crash the page nor pick the
        address its failed sign-ins are counted under.
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning(
                "X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT=%s; "
                "counting the request under its connection address",
                settings.TRUSTED_PROXY_COUNT,
            )
            return request.META["REMOTE_ADDR"]
