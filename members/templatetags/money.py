from django import template

from members.money import format_cents

register = template.Library()


@register.filter
def cents(value) -> str:
    """Integer cents as a money amount: 300000 → "3,000.00" (no floats involved)."""
    try:
        return format_cents(int(value))
    except (TypeError, ValueError):
        return ""
