from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resources"
    verbose_name = _("Resource library")
    nav = [(_("Library"), "resources:library", "public")]

    def ready(self):
        from members.dashboard import Panel, register_panel
        from slecop.cache import invalidate_on

        from . import (
            models,
            storage,  # noqa: F401 — connects the storage reset on settings changes
        )

        invalidate_on(
            "resources",
            models.Topic,
            models.Resource,
            models.Resource.topics.through,
            models.ResourceVersion,
        )
        from .selectors import grants_panel_context, grants_variant

        register_panel(
            Panel(
                key="grants",
                title=_("Grants closing soon"),
                order=60,
                template="resources/panels/grants.html",
                context=grants_panel_context,
                namespaces=("resources",),
                variant=grants_variant,  # what the viewer may see (all their ecosystems)
            )
        )
