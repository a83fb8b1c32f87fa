from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalsConfig(AppConfig):
    """The yearly dues cycle on Celery: opening invoices, reminders, lapses, the staff
    digest, and the generic "notify leads" hook other apps use."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "renewals"
    verbose_name = _("Renewals and reminders")
