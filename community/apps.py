from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Community voice: consultations on draft plans, town halls, surveys and
    announcements (issue 12). Separate from governance, which holds the offices, terms
    and groups that make decisions; this app is where members are heard."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "community"
    verbose_name = _("Community voice")
