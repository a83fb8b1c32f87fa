"""The powers of an office (issue 27): one Django group per empowered office, holding the
model permissions the office's work needs. The stewardship sync
(governance.services.stewardship_team_sync: on every term change and nightly) keeps
each group's permissions as listed here and its members exactly the office's current
holders, so the admin pages and `user.has_perm` follow the terms; the groups are managed
by the sync only (writing groups in the admin is for superusers: slecop.admin_site).

Seed 000: the Vice Chair of Events works "to support all aspects of event planning";
the Vice Chair for Communications "to optimize sharing of best practices" (the portal's
announcements)."""

from __future__ import annotations

from typing import NamedTuple


class OfficePowers(NamedTuple):
    group: str
    permissions: tuple[str, ...]


OFFICE_POWERS: dict[str, OfficePowers] = {
    "vice-chair-events": OfficePowers(
        "Vice Chair of Events",
        (
            "convenings.view_convening",
            "convenings.add_convening",
            "convenings.change_convening",
            "convenings.view_session",
            "convenings.add_session",
            "convenings.change_session",
            "convenings.delete_session",
            "convenings.view_registration",
            "convenings.change_registration",  # seats and check-in at the door
        ),
    ),
    "vice-chair-communications": OfficePowers(
        "Vice Chair for Communications",
        (
            "community.view_announcement",
            "community.add_announcement",
            "community.change_announcement",
            "community.delete_announcement",
            "community.publish_announcement",
        ),
    ),
}


def office_group_names() -> set[str]:
    return {powers.group for powers in OFFICE_POWERS.values()}
