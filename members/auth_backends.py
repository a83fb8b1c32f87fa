"""The authentication backends listed in AUTHENTICATION_BACKENDS.

They are Django's `ModelBackend` and allauth's `AuthenticationBackend` unchanged: the
subclasses only keep the dotted paths that existing sessions recorded
(`_auth_user_backend`) valid, so nobody is signed out by a deploy.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

# The backend a sign-in by the portal's own views records in the session.
SIGN_IN_BACKEND = "members.auth_backends.AuthenticationBackend"


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (sign-in by email), under the path sessions hold."""


class ModelBackend(DjangoModelBackend):
    """Django's backend (permissions, the admin), under the path sessions hold."""
