from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Members")
    nav = [
        (_("Ecosystems"), "members:directory", "public"),
        (_("My ecosystem"), "members:my_ecosystem", "auth"),
        (_("Dues"), "members:dues_dashboard", "staff"),
    ]

    def ready(self):
        from . import checks  # noqa: F401 — registers the payment settings checks
        from .dashboard import Panel, register_panel
        from .onboarding import OnboardingCheck, register_check
        from .selectors import (
            dues_panel_context,
            ecosystems_dues_settled_or_decided,
            standing_panel_context,
        )

        register_panel(
            Panel(
                key="standing",
                title=_("Membership standing"),
                order=10,
                template="members/panels/standing.html",
                context=standing_panel_context,
            )
        )
        register_panel(
            Panel(
                key="dues",
                title=_("Dues and payments"),
                order=11,
                template="members/panels/dues.html",
                context=dues_panel_context,
            )
        )
        register_check(
            OnboardingCheck(
                key="dues_settled",
                label=_("Dues settled or scholarship decided"),
                order=50,
                done_for=ecosystems_dues_settled_or_decided,
            )
        )
