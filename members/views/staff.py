"""The home page of staff and stewards: what waits for them across the sub-domains."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from members import staff_home as home_selectors
from members.selectors import ecosystems_for_user
from members.staff_home import is_staff_home_user


def staff_home(request):
    """The home of staff and stewards: what waits for them, figures of the year."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff_home_user(request.user):
        raise PermissionDenied(_("Staff only."))
    return render(
        request,
        "members/staff/home.html",
        {
            "home": home_selectors.staff_home(user=request.user),
            "ecosystems": ecosystems_for_user(request.user),
        },
    )
