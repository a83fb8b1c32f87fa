"""`{{ region.name|seed_name }}`: a seeded name in the reader's language (built in, no
{% load %} needed; see slecop.seed_names)."""

from django import template

from slecop.seed_names import seed_name as translate_seed_name

register = template.Library()


@register.filter
def seed_name(value) -> str:
    return translate_seed_name(value) if isinstance(value, str) else value
