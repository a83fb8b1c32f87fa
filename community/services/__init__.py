"""Every write of the community app."""

from .announcements import (
    announcement_create,
    announcement_digest_send,
    announcement_publish,
    announcement_unpublish,
)
from .consultations import (
    comment_create,
    comment_respond,
    consultation_create,
    consultation_finalize,
    consultation_version_publish,
    faq_answer,
    faq_ask,
    faq_decline,
)
from .surveys import survey_respond, townhall_register, townhall_unregister

__all__ = [
    "announcement_create",
    "announcement_digest_send",
    "announcement_publish",
    "announcement_unpublish",
    "comment_create",
    "comment_respond",
    "consultation_create",
    "consultation_finalize",
    "consultation_version_publish",
    "faq_answer",
    "faq_ask",
    "faq_decline",
    "survey_respond",
    "townhall_register",
    "townhall_unregister",
]
