"""Views of identity and roles: the directory, an ecosystem's pages, people and
invitations. Dues, the catalogue and onboarding have their own views in
`members/billing/views/`, `members/catalogue/views.py` and `members/onboarding/views.py`."""

from .core import (
    about,
    dashboard,
    directory,
    ecosystem_detail,
    home,
    invitation_accept,
    invitation_revoke,
    invite,
    my_ecosystem,
    profile_edit,
    role_change,
    role_remove,
)
from .staff import staff_home

__all__ = [
    "about",
    "dashboard",
    "directory",
    "ecosystem_detail",
    "home",
    "invitation_accept",
    "invitation_revoke",
    "invite",
    "my_ecosystem",
    "profile_edit",
    "role_change",
    "role_remove",
    "staff_home",
]
