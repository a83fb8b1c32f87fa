from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "elections"
    verbose_name = _("Elections")
    nav = [(_("Elections"), "elections:list", "public")]

    def ready(self):
        from governance.models import Office
        from members.dashboard import NETWORK, Panel, register_panel, watch_ecosystem_rows
        from slecop.cache import invalidate_on

        from . import checks  # noqa: F401 — registers the sealing key checks
        from .ballots import BALLOTS
        from .models import Candidate, Contest, Election, Elector, VoterRecord
        from .selectors import panel_context, panel_variant

        invalidate_on(BALLOTS, Election, Contest, Candidate, Office)
        # the elections panel's facts of one ecosystem (selectors._panel_facts)
        watch_ecosystem_rows(
            (Elector, lambda row: row.ecosystem_id), (VoterRecord, lambda row: row.ecosystem_id)
        )

        register_panel(
            Panel(
                key="elections",
                title=_("Elections"),
                template="elections/panel.html",
                context=panel_context,
                order=40,
                namespaces=(BALLOTS, NETWORK),
                variant=panel_variant,  # the elections the viewer may cast a ballot in
            )
        )
