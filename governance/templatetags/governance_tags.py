from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def public_name(person) -> str:
    """A person's name for public pages: never their email address (which is what
    `display_name` falls back to)."""
    if person is None:
        return ""
    return person.get_full_name() or _("Name not given")
