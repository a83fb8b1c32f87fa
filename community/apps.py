from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Community voice: consultations on draft plans, town halls, surveys and
    announcements (issue 12). Separate from governance, which holds the offices, terms
    and groups that make decisions; this app is where members are heard."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "community"
    verbose_name = _("Community voice")
    nav = [
        (_("News"), "community:announcement_list", "public"),
        (_("Consultations"), "community:consultation_list", "public"),
        (_("Town halls"), "community:townhall_list", "public"),
        (_("Surveys"), "community:survey_list", "auth"),
    ]

    def ready(self) -> None:
        from members.dashboard import Panel, register_panel
        from slecop.cache import invalidate_on

        from . import models
        from .selectors import dashboard_context, dashboard_variant

        invalidate_on("announcements", models.Announcement)

        register_panel(
            Panel(
                key="community",
                title=_("Community voice"),
                template="community/panels/community.html",
                context=dashboard_context,
                order=80,
                namespaces=("announcements",),
                variant=dashboard_variant,  # the surveys waiting for the viewer
            )
        )
