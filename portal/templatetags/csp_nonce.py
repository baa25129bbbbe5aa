"""`{% csp_nonce %}`: this request's CSP nonce, for the inline scripts Wagtail's admin renders.

Works in form widget templates too, which have no request in their context (see portal.csp).
Use it only on script tags whose content the template itself writes, never around HTML it
merely passes through.
"""

from django import template

from portal.csp import current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    return current_nonce()
