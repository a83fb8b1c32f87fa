"""System checks for the ballot sealing key (run by `manage.py check`, `check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .sealing import decode_key, is_development_key

HINT = (
    'Set BALLOT_SEALING_KEY to 32 random bytes in base64: python -c "import base64, '
    'secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())"'
)


@register()
def sealing_key_readable(app_configs=None, **kwargs):
    """A key that is set must be a usable AES-256 key (an unset one is the deploy check's)."""
    value = getattr(settings, "BALLOT_SEALING_KEY", "")
    if not value:
        return []
    try:
        decode_key(value)
    except ValueError as exc:
        return [Error(str(exc), hint=HINT, id="elections.E002")]
    return []


@register(Tags.security, deploy=True)
def sealing_key_for_production(app_configs=None, **kwargs):
    value = getattr(settings, "BALLOT_SEALING_KEY", "")
    if not value:
        return [
            Warning(
                "BALLOT_SEALING_KEY is not set: voting cannot be opened in any election.",
                hint=HINT,
                id="elections.W001",
            )
        ]
    if is_development_key(value):
        return [
            Error(
                "BALLOT_SEALING_KEY is the development key printed in the source code: "
                "anyone could open the sealed ballots.",
                hint=HINT,
                id="elections.E001",
            )
        ]
    return []
