from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConveningsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "convenings"
    verbose_name = _("Convenings")

    def ready(self):
        from members.dashboard import Panel, register_panel

        # Placeholder until the convenings issue lands.
        register_panel(
            Panel(
                key="convenings", title=_("Convenings"), template="convenings/panel.html", order=30
            )
        )
