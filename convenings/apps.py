from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConveningsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "convenings"
    verbose_name = _("Convenings")
    nav = [
        (_("Convenings"), "convenings:list", "public"),
        (_("Check-in"), "convenings:staff_list", "staff"),
    ]

    def ready(self):
        from members.billing.payments import on_refunded, on_settled
        from members.dashboard import Panel, register_panel, watch_ecosystem_rows
        from members.onboarding import OnboardingCheck, register_check
        from slecop.cache import invalidate_on

        from . import selectors
        from .models import Convening, Registration, Session

        register_panel(
            Panel(
                key="convenings",
                title=_("Convenings"),
                template="convenings/panel.html",
                order=30,
                context=selectors.panel_context,
                namespaces=(selectors.SEATS,),
            )
        )
        for key, label, order, done_for in [
            ("orientation_attended", _("Orientation attended"), 10,
             selectors.ecosystems_attended_orientation),
            ("first_convening", _("First convening registered"), 60,
             selectors.ecosystems_registered_for_a_convening),
        ]:  # fmt: skip
            register_check(OnboardingCheck(key=key, label=label, order=order, done_for=done_for))
        invalidate_on(selectors.SEATS, Convening, Session, Registration)
        watch_ecosystem_rows((Registration, lambda row: row.ecosystem_id))
        on_settled.register("convening", "convenings.services.seats_invoice_settled")
        on_refunded.register("convening", "convenings.services.seats_invoice_refunded")
