"""Our Content-Security-Policy middleware: the per-request nonce, and what Wagtail's admin needs.

The policy (CONTENT_SECURITY_POLICY in settings) allows scripts from 'self' and from script tags
carrying this request's nonce, never 'unsafe-inline'. Wagtail's admin renders a few scripts
inline: in form widget templates and in `BaseChooser.render()`, where there is no request to read
the nonce from. So the nonce also lives in a context variable for the length of the request, and
only our copies of those few Wagtail templates (portal/templates/wagtailadmin/) and the chooser
patch below print it. Response bodies are never rewritten: a script tag nobody gave the nonce to,
such as an injected one, stays blocked.
"""

from contextvars import ContextVar
from functools import wraps

from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

_nonce: ContextVar[str] = ContextVar("csp_nonce", default="")

# Only Wagtail's admin gets these additions; the public site keeps the policy as configured.
# Draftail (the rich text editor) writes its placeholder hints ("Heading 2", ...) into a <style>
# element it creates without a nonce. That is a style element, never a script, and img-src,
# font-src and connect-src 'self' keep any injected CSS from sending data anywhere but here.
ADMIN_POLICY_UPDATE = {"style-src-elem": ["'self'", "'unsafe-inline'"]}


def current_nonce() -> str:
    """This request's CSP nonce, or "" outside a request (a script tag with it stays blocked)."""
    return _nonce.get()


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, which also makes the nonce readable through `current_nonce()`.

    The nonce is made for every response, so each header's script-src carries one whether or
    not a template asked for it.
    """

    async_capable = False  # the context variable is set around a synchronous call below

    def __call__(self, request):
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview by passing a made-up request for the page through the
            # middleware again, inside the admin's request; the preview is sent as the admin's
            # response, so the admin request's nonce and header are the ones that count.
            request.csp_nonce = current_nonce()
            return self.get_response(request)
        self.process_request(request)
        token = _nonce.set(str(request.csp_nonce))
        try:
            response = self.get_response(request)
        finally:
            _nonce.reset(token)
        return self.process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.update = {**ADMIN_POLICY_UPDATE, **(parts.update or {})}
        # Wagtail's previews are framed by the editor beside them and say so with
        # X-Frame-Options: SAMEORIGIN; frame-ancestors must agree, or the preview panel is blank.
        # Every other response keeps frame-ancestors 'none' (and X-Frame-Options: DENY).
        if response.get("X-Frame-Options") == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts


def give_chooser_scripts_the_nonce() -> None:
    """Patch Wagtail's BaseChooser.render(), which appends `<script>{js}</script>` in Python.

    Chooser widgets (page, snippet, image, document, task choosers) start with that inline
    script; without the nonce the CSP blocks it and the "Choose" button does nothing. The patch
    adds the nonce to that one trailing tag and leaves the rest of the output alone; should a
    later Wagtail render something else, the output passes through unchanged (and
    tests/portal/test_admin_csp.py fails).
    """
    from wagtail.admin.widgets.chooser import BaseChooser

    original = BaseChooser.render
    if getattr(original, "gives_csp_nonce", False):
        return

    @wraps(original)
    def render(self, name, value, attrs=None, renderer=None):
        out = original(self, name, value, attrs=attrs, renderer=renderer)
        widget_html, tag, script = str(out).rpartition("<script>")
        if not tag or not script.endswith("</script>"):
            return out
        return mark_safe(f'{widget_html}<script nonce="{escape(current_nonce())}">{script}')

    render.gives_csp_nonce = True
    BaseChooser.render = render
