from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Members")
    nav = [
        (_("Ecosystems"), "members:directory", "public"),
        (_("My ecosystem"), "members:my_ecosystem", "auth"),
        (_("Services"), "members:service_catalog", "public"),
        (_("Join SLECoP"), "members:join", "public"),
        (_("Staff home"), "members:staff_home", "staff"),
        (_("Dues"), "members:dues_dashboard", "staff"),
        (_("Onboarding"), "members:cohort_progress", "staff"),
    ]

    def ready(self):
        from . import checks  # noqa: F401 — registers the payment settings checks
        from .dashboard import Panel, register_panel
        from .onboarding import OnboardingCheck, register_check
        from .selectors import (
            dues_panel_context,
            ecosystems_dues_settled_or_decided,
            security_panel_context,
            standing_panel_context,
        )

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
        self._register_services_and_onboarding()
        self._register_cache_invalidation()

    def _register_cache_invalidation(self):
        """Cached figures (slecop.cache) that these rows feed: the directory and home
        page counts, the staff dues dashboard, and every dashboard panel."""
        from slecop.cache import invalidate_on

        from . import models
        from .dashboard import watch_panel_writes

        watch_panel_writes()
        self._watch_authenticators()

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

    def _watch_authenticators(self):
        """The "Account security" panel says whether the viewer uses two-factor sign-in:
        enrolling or removing an authenticator (allauth's pages, not a project model)
        refreshes the panels of the person's ecosystems."""
        from allauth.mfa import signals

        from .dashboard import ecosystem_namespace
        from .models import EcosystemRole

        def receiver(sender, user=None, **_kwargs):
            from slecop.cache import bump

            ids = EcosystemRole.objects.filter(user=user).values_list("ecosystem_id", flat=True)
            namespaces = [ecosystem_namespace(pk) for pk in ids]
            if namespaces:
                bump(*namespaces)

        for signal in (signals.authenticator_added, signals.authenticator_removed):
            signal.connect(receiver, weak=False, dispatch_uid=f"members.security:{signal!r}")

    def _register_services_and_onboarding(self):
        """Issue 10: add-on services and onboarding panels, checks and payment hooks."""
        from .dashboard import Panel, register_panel
        from .onboarding import OnboardingCheck, register_check
        from .payments.hooks import on_settled
        from .selectors_services import (
            ecosystems_with_complete_profile,
            ecosystems_with_partners_listed,
            onboarding_panel_context,
            services_panel_context,
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
                template="members/panels/services.html",
                context=services_panel_context,
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
        on_settled.register("service", "members.services.addons.service_invoice_settled")
        on_settled.register("dues", "members.services.onboarding.ecosystem_settled_dues")
