from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "elections"
    verbose_name = _("Elections")
    nav = [(_("Elections"), "elections:list", "public")]

    def ready(self):
        from members.dashboard import Panel, register_panel

        from .selectors import panel_context

        register_panel(
            Panel(
                key="elections",
                title=_("Elections"),
                template="elections/panel.html",
                context=panel_context,
                order=40,
            )
        )
