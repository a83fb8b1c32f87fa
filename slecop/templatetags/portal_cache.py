"""`{% fragment_cache timeout key %}…{% endfragment_cache %}`: Django's `{% cache %}` for a
fragment that holds POST forms.

A cached `{% csrf_token %}` would hand one visitor's token to another (and repeat one
masked token across responses). Here the fragment is rendered with a random placeholder
in place of the token, stored with that placeholder, and each response gets the
request's own masked token put in its place. The key comes from the view: a
`slecop.cache.Stamped` (the fragment holds while the tokens of what it shows do; the
tokens and the fragment are read in one round trip), or a key built with
`slecop.cache.cache_key` that holds the language and those tokens itself; an empty key
renders the fragment uncached.
"""

from __future__ import annotations

import secrets

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from slecop.cache import Stamped

register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, timeout, key):
        self.nodelist = nodelist
        self.timeout = timeout
        self.key = key

    def render(self, context):
        key = self.key.resolve(context)
        token = context.get("csrf_token")
        if not key or not token or str(token) == "NOTPROVIDED":
            return self.nodelist.render(context)
        if not isinstance(key, Stamped):  # a key holding its tokens: stamped with none
            key = Stamped(key, ())
        tokens, stored = key.get()
        if stored is None:
            placeholder = secrets.token_hex(16)
            with context.push(csrf_token=placeholder):
                stored = (placeholder, self.nodelist.render(context))
            key.set(tokens, stored, self.timeout.resolve(context))
        placeholder, html = stored
        # `html` is this template's own output, escaped when it was rendered
        html = html.replace(placeholder, conditional_escape(str(token)))
        return mark_safe(html)  # noqa: S308  # nosec B308, B703


@register.tag("fragment_cache")
def fragment_cache(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a timeout and a key")
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    timeout, key = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentCacheNode(nodelist, timeout, key)
