from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "elections"
    verbose_name = _("Elections")

    def ready(self):
        from members.dashboard import Panel, register_panel

        # Placeholder until the elections issue lands: the panel the dashboard will fill.
        register_panel(
            Panel(key="elections", title=_("Elections"), template="elections/panel.html", order=40)
        )
