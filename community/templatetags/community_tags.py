from django import template

from ..selectors import announcements_visible_to

register = template.Library()


@register.inclusion_tag("community/partials/home_announcements.html", takes_context=True)
def latest_announcements(context, limit: int = 3):
    """The latest announcements the visitor may read (the home page includes this)."""
    user = context.get("user")
    return {"announcements": list(announcements_visible_to(user)[:limit]) if user else []}
