from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = _("Governance")
    nav = [
        (_("Leadership"), "governance:leadership", "public"),
        (_("Practice groups"), "governance:practice_group_list", "public"),
    ]
