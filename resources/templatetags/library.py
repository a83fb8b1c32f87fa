from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from members.money import format_cents
from resources.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return mark_safe(render_markdown(text))  # sanitised by nh3  # noqa: S308  # nosec B308, B703


@register.simple_tag(takes_context=True)
def facet_query(context, name: str, value: str, selected: bool = False) -> str:
    """The current query string with facet `name` set to `value` (or removed when it is
    already selected) and the page number dropped."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if selected or not value:
        query.pop(name, None)
    else:
        query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def award_range(resource) -> str:
    """An award range: "5,000.00 to 50,000.00 USD", "up to 10,000.00 USD", or ""."""
    low, high, currency = resource.amount_min_cents, resource.amount_max_cents, resource.currency
    if low is not None and high is not None:
        if low == high:
            return format_cents(low, currency)
        return _("%(low)s to %(high)s") % {
            "low": format_cents(low),
            "high": format_cents(high, currency),
        }
    if high is not None:
        return _("up to %s") % format_cents(high, currency)
    if low is not None:
        return _("from %s") % format_cents(low, currency)
    return ""
