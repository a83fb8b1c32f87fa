from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from members.audit import audit_log, model_snapshot
from members.models import PROFILE_FIELDS, Ecosystem, PartnerOrganization
from members.onboarding.services.checklist import onboarding_activate_if_complete
from slecop.locking import lock_one


@transaction.atomic
def ecosystem_update_profile(
    *,
    acting_user,
    ecosystem: Ecosystem,
    fields: dict[str, Any],
    partners: Iterable[dict[str, Any]] = (),
) -> Ecosystem:
    """Update the public profile of an ecosystem and its partner list.

    `partners` are dicts with `name`, `sector`, `website` and optionally `id` (an existing
    partner of this ecosystem) and `delete`. Partners of other ecosystems are ignored."""
    ecosystem = lock_one(Ecosystem, ecosystem.pk)
    before = model_snapshot(ecosystem, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(ecosystem, name, fields[name])
    ecosystem.full_clean()
    ecosystem.save()
    existing = {p.pk: p for p in ecosystem.partners.all()}
    partner_changes = _apply_partner_changes(ecosystem, existing, partners)
    after = model_snapshot(ecosystem, PROFILE_FIELDS)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed or partner_changes:
        audit_log(
            actor=acting_user,
            action="ecosystem.profile_updated",
            obj=ecosystem,
            before={k: before[k] for k in changed},
            after={**changed, **({"partners": partner_changes} if partner_changes else {})},
        )
    if ecosystem.status == Ecosystem.Status.ONBOARDING:  # profile and partners are items
        onboarding_activate_if_complete(acting_user=acting_user, ecosystem=ecosystem)
    return ecosystem


def _apply_partner_changes(
    ecosystem: Ecosystem,
    existing: dict[int, PartnerOrganization],
    partners: Iterable[dict[str, Any]],
) -> list[str]:
    changes: list[str] = []
    # removals first, so a partner can be removed and re-added under the same name
    for data in sorted(partners, key=lambda d: not d.get("delete")):
        partner = existing.get(data.get("id")) if data.get("id") else None
        if data.get("delete"):
            if partner:
                partner.delete()
                changes.append(f"removed {partner.name}")
            continue
        if not data.get("name"):
            continue
        if partner is None:
            partner = PartnerOrganization(ecosystem=ecosystem)
            changes.append(f"added {data['name']}")
        elif (partner.name, partner.sector, partner.website) != (
            data["name"],
            data["sector"],
            data.get("website", ""),
        ):
            changes.append(f"changed {partner.name}")
        partner.name = data["name"]
        partner.sector = data["sector"]
        partner.website = data.get("website", "")
        partner.full_clean()
        partner.save()
    return changes
