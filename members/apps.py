from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Members")
    nav = [
        (_("Ecosystems"), "members:directory", "public"),
        (_("My ecosystem"), "members:my_ecosystem", "auth"),
        (_("Services"), "members:catalogue", "public"),
        (_("Join SLECoP"), "members:join", "public"),
        (_("Staff home"), "members:staff_home", "staff"),
        (_("Dues"), "members:dues_dashboard", "staff"),
        (_("Onboarding"), "members:cohort_progress", "staff"),
    ]

    def ready(self):
        from .billing import checks  # noqa: F401 — registers the payment settings checks
        from .billing.selectors import (
            dues_panel_context,
            ecosystems_dues_settled_or_decided,
            standing_panel_context,
        )
        from .dashboard import Panel, register_panel
        from .onboarding import OnboardingCheck, register_check
        from .selectors import security_panel_context, uses_two_factor

        register_panel(
            Panel(
                key="standing",
                title=_("Membership standing"),
                order=10,
                template="members/panels/standing.html",
                context=standing_panel_context,
            )
        )
        register_panel(
            Panel(
                key="dues",
                title=_("Dues and payments"),
                order=11,
                template="members/panels/dues.html",
                context=dues_panel_context,
            )
        )
        register_panel(
            Panel(
                key="security",
                title=_("Account security"),
                order=90,
                template="members/panels/security.html",
                context=security_panel_context,
                namespaces=(),
                variant=uses_two_factor,  # the viewer's, asked on every view
            )
        )
        register_check(
            OnboardingCheck(
                key="dues_settled",
                label=_("Dues settled or scholarship decided"),
                order=50,
                done_for=ecosystems_dues_settled_or_decided,
            )
        )
        self._register_catalogue_and_onboarding()
        self._register_cache_invalidation()

    def _register_cache_invalidation(self):
        """Cached figures (slecop.cache) that these rows feed: the directory and home page
        counts, the staff dues dashboard, and the ecosystem's cached pages (its panels,
        invoices, convening registrations: members.dashboard)."""
        from slecop.cache import invalidate_on

        from . import models
        from .dashboard import NETWORK, watch_ecosystem_rows

        def own(row):
            return row.ecosystem_id

        def invoice_s(row):
            return row.invoice.ecosystem_id

        watch_ecosystem_rows(
            (models.Ecosystem, lambda row: row.pk),
            (models.PartnerOrganization, own),
            (models.EcosystemRole, own),
            (models.Invitation, own),
            (models.Invoice, own),
            (models.InvoiceLine, invoice_s),
            (models.Payment, invoice_s),
            (models.ScholarshipApplication, own),
            (models.CheckoutSession, invoice_s),
            (models.ServiceRequest, own),
            (models.ServiceRequestEvent, lambda row: row.request.ecosystem_id),
            (models.Onboarding, own),
            (models.OnboardingTick, own),
        )
        # network-wide rows the ecosystem panels show: the years' dues settings, the
        # service catalogue
        invalidate_on(NETWORK, models.MembershipYear, models.Service)
        invalidate_on("directory", models.Ecosystem, models.Region)
        invalidate_on(
            "dues",
            models.Ecosystem,
            models.Region,
            models.MembershipYear,
            models.Invoice,
            models.InvoiceLine,
            models.Payment,
            models.ScholarshipApplication,
        )

    def _register_catalogue_and_onboarding(self):
        """Issue 10: the add-on catalogue and onboarding panels, checks and payment hooks."""
        from .billing.payments.hooks import on_settled
        from .catalogue.selectors import catalogue_panel_context
        from .dashboard import Panel, register_panel
        from .onboarding import OnboardingCheck, register_check
        from .onboarding.selectors import (
            ecosystems_with_complete_profile,
            ecosystems_with_partners_listed,
            onboarding_panel_context,
        )

        register_panel(
            Panel(
                key="onboarding",
                title=_("Onboarding checklist"),
                order=5,
                template="members/panels/onboarding.html",
                context=onboarding_panel_context,
            )
        )
        register_panel(
            Panel(
                key="services",
                title=_("Add-on services"),
                order=40,
                template="members/panels/catalogue.html",
                context=catalogue_panel_context,
            )
        )
        register_check(
            OnboardingCheck(
                key="profile_complete",
                label=_("Profile complete"),
                order=20,
                done_for=ecosystems_with_complete_profile,
            )
        )
        register_check(
            OnboardingCheck(
                key="partners_listed",
                label=_("Partners listed"),
                order=30,
                done_for=ecosystems_with_partners_listed,
            )
        )
        on_settled.register("service", "members.catalogue.services.service_invoice_settled")
        on_settled.register("dues", "members.onboarding.services.checklist.ecosystem_settled_dues")
