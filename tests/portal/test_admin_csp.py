"""Wagtail's admin works under the strict CSP: its few inline scripts carry the request's nonce, nothing else does."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from portal.csp import CSPMiddleware, current_nonce, give_chooser_scripts_the_nonce
from tests.factories import UserFactory, organisation
from tests.mfa import sign_in_with_mfa

WAGTAIL_TEMPLATES = Path(wagtail.__file__).parent / "admin" / "templates"
OUR_TEMPLATES = Path(__file__).resolve().parents[2] / "portal" / "templates"
OVERRIDDEN = [
    "wagtailadmin/panels/inline_panel.html",
    "wagtailadmin/panels/multiple_chooser_panel.html",
    "wagtailadmin/widgets/date_input.html",
    "wagtailadmin/widgets/time_input.html",
    "wagtailadmin/widgets/datetime_input.html",
]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (d.strip().split() for d in policy.split(";") if d.strip())
    return {name: sources for name, *sources in parts}


def header_nonce(response) -> str:
    nonces = [s[len("'nonce-") : -1] for s in directives(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1, directives(response)["script-src"]
    return nonces[0]


class InlineScripts(HTMLParser):
    """The nonce attribute of every script the browser would run inline (JSON data blocks aside)."""

    def __init__(self, html: str):
        super().__init__()
        self.nonces: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") in (None, "", "text/javascript", "module"):
            self.nonces.append(attrs.get("nonce"))


def runs_under(response, script_tag: str) -> bool:
    """Whether the browser would run this inline script under the response's policy."""
    sources = directives(response)["script-src"]
    (nonce,) = InlineScripts(script_tag).nonces
    return "'unsafe-inline'" in sources or (nonce is not None and f"'nonce-{nonce}'" in sources)


@pytest.fixture
def superuser_client(client, db):
    sign_in_with_mfa(client, UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def service_add_url(db):
    return f"/admin/pages/add/directory/service/{organisation().pk}/"


@pytest.fixture
def demo_sites(db):
    from portal.demo import load_demo

    load_demo(host="testserver", council_host="council.testserver", port=80)


@pytest.mark.parametrize("url", ["/", "/directory/", "/accounts/login/", "/accounts/signup/"])
def test_public_pages_have_a_nonce_in_script_src_and_keep_the_strict_policy(client, demo_sites, url):
    policy = directives(client.get(url))
    assert policy["script-src"][0] == "'self'" and len(policy["script-src"]) == 2
    assert policy["script-src"][1].startswith("'nonce-")
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["style-src"] == ["'self'"]
    assert "style-src-elem" not in policy
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "SERVICE_ADD"])
def test_admin_pages_have_a_nonce_in_script_src_and_no_unsafe_inline_script(superuser_client, service_add_url, url):
    response = superuser_client.get(service_add_url if url == "SERVICE_ADD" else url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", f"'nonce-{header_nonce(response)}'"]
    assert not any("unsafe" in source for source in policy["script-src"])
    assert "script-src-elem" not in policy and "script-src-attr" not in policy and "default-src" in policy
    # The admin's one addition, for Draftail's <style> placeholders: styles only, never scripts.
    assert policy["style-src"] == ["'self'"]
    assert policy["style-src-elem"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_every_inline_script_on_the_service_form_carries_the_header_nonce(superuser_client, service_add_url):
    response = superuser_client.get(service_add_url)
    nonces = InlineScripts(response.content.decode()).nonces
    # five InlinePanels, and the date and time widgets (those of the empty-row templates included)
    assert len(nonces) >= 9
    assert set(nonces) == {header_nonce(response)}


def test_a_script_without_this_responses_nonce_would_not_run(superuser_client, service_add_url):
    first, second = superuser_client.get(service_add_url), superuser_client.get(service_add_url)
    assert header_nonce(first) != header_nonce(second)
    assert runs_under(first, f'<script nonce="{header_nonce(first)}">InlinePanel()</script>')
    assert not runs_under(first, "<script>alert(document.cookie)</script>")
    assert not runs_under(first, f'<script nonce="{header_nonce(second)}">alert(1)</script>')
    assert not runs_under(first, '<script nonce="">alert(1)</script>')


def test_the_nonce_is_printed_only_on_wagtails_own_scripts(superuser_client, service_add_url):
    html = superuser_client.get(service_add_url).content.decode()
    nonce_attributes = re.findall(r"<(\w+)[^>]*\snonce=", html)
    assert set(nonce_attributes) == {"script"}
    assert len(nonce_attributes) == len(InlineScripts(html).nonces)


@pytest.mark.parametrize("name", OVERRIDDEN)
def test_our_copies_of_wagtails_templates_differ_only_by_the_nonce(name):
    """When Wagtail changes one of these templates, copy it again and add the nonce (and the comment)."""
    ours = (OUR_TEMPLATES / name).read_text()
    ours = re.sub(r"\{# Copied from Wagtail[^#]*#\}\n?\s*", "", ours)
    ours = ours.replace(' nonce="{% csp_nonce %}"', "")
    ours = ours.replace("{% load csp_nonce %}", "").replace(" csp_nonce %}", " %}")
    assert ours.strip() == (WAGTAIL_TEMPLATES / name).read_text().strip()


def run_in_request(render):
    """Call `render()` inside a request passed through our CSP middleware; return (output, header nonce)."""
    out = {}

    def view(request):
        out["html"] = render()
        return HttpResponse(out["html"])

    response = CSPMiddleware(view)(RequestFactory().get("/admin/"))
    return out["html"], header_nonce(response)


def test_the_template_tag_prints_the_current_requests_nonce_and_nothing_outside_one():
    template = engines["django"].from_string("{% load csp_nonce %}<script nonce=\"{% csp_nonce %}\"></script>")
    html, nonce = run_in_request(lambda: template.render({}))
    assert html == f'<script nonce="{nonce}"></script>'
    assert template.render({}) == '<script nonce=""></script>'
    assert current_nonce() == ""


def test_form_widgets_get_the_nonce_without_a_request_in_their_context():
    from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

    html, nonce = run_in_request(
        lambda: AdminDateInput().render("valid_from", None, {"id": "id_valid_from"})
        + AdminTimeInput().render("opens_at", None, {"id": "id_opens_at"})
    )
    assert InlineScripts(html).nonces == [nonce, nonce]
    assert 'initDateChooser("id_valid_from"' in html and 'initTimeChooser("id_opens_at"' in html


def test_portal_app_applies_the_chooser_patch_at_startup():
    """PortalConfig.ready() must call portal.csp.give_chooser_scripts_the_nonce()."""
    from wagtail.admin.widgets.chooser import BaseChooser

    assert getattr(BaseChooser.render, "gives_csp_nonce", False)


@pytest.mark.django_db
def test_chooser_widgets_script_carries_the_nonce_and_is_otherwise_unchanged(monkeypatch):
    from wagtail.admin.widgets import AdminPageChooser
    from wagtail.admin.widgets.chooser import BaseChooser

    monkeypatch.setattr(BaseChooser, "render", BaseChooser.render)  # put back as it was, after
    give_chooser_scripts_the_nonce()
    give_chooser_scripts_the_nonce()  # a second call must not wrap twice
    unpatched = BaseChooser.render.__wrapped__
    assert not hasattr(unpatched, "__wrapped__")

    widget = AdminPageChooser()
    html, nonce = run_in_request(lambda: widget.render("page", None, {"id": "id_page"}))
    assert InlineScripts(html).nonces == [nonce]
    assert re.search(rf'<script nonce="{re.escape(nonce)}">new PageChooser\("id_page"', html)
    original = unpatched(widget, "page", None, {"id": "id_page"})
    assert html == original.replace("<script>", f'<script nonce="{nonce}">')


def test_wagtail_previews_may_be_framed_by_the_admin_and_nothing_else(superuser_client):
    from tests.factories import directory

    page = directory()
    preview_url = f"/admin/pages/{page.pk}/edit/preview/"
    form = {"title": page.title, "slug": page.slug, "introduction": "Previewed introduction",
            "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0"}
    assert superuser_client.post(preview_url, form).json()["is_valid"]
    preview = superuser_client.get(preview_url)
    assert "Previewed introduction" in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    # Wagtail renders the page through the middleware again with a made-up request for the page's
    # own URL; the header is still the admin request's own, with frame-ancestors to match.
    assert directives(preview)["frame-ancestors"] == ["'self'"]
    assert directives(preview)["style-src-elem"] == ["'self'", "'unsafe-inline'"]
    edit = superuser_client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit["X-Frame-Options"] == "DENY"
    assert directives(edit)["frame-ancestors"] == ["'none'"]
