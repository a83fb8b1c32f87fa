from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    """Ecosystem Indicators (seed 000's EIT and ERP dashboard) as their own bounded
    context: definitions, yearly reports, aggregates and charts, with their own admin."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "measurement"
    verbose_name = _("Measurement")
    nav = [(_("Indicators"), "measurement:network", "auth")]

    def ready(self):
        from members.dashboard import Panel, register_panel, watch_ecosystem_rows
        from members.models import Region
        from members.onboarding import OnboardingCheck, register_check
        from slecop.cache import invalidate_on

        from . import models, selectors

        invalidate_on("measurement", models.IndicatorReport, models.IndicatorValue)
        watch_ecosystem_rows((models.IndicatorReport, lambda row: row.ecosystem_id))
        invalidate_on(selectors.DEFINITIONS, Region, models.Attribute, models.Indicator)

        register_panel(
            Panel(
                key="indicators",
                title=_("Ecosystem indicators"),
                template="measurement/panel.html",
                context=selectors.panel_context,
                namespaces=(),  # this ecosystem's reports only
                order=40,
            )
        )
        register_check(
            OnboardingCheck(
                key="first_indicator_report",
                label=_("First indicator report submitted"),
                order=40,
                done_for=selectors.ecosystems_with_submitted_report,
            )
        )
