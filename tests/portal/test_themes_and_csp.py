"""Each Wagtail Site wears its own theme; every page is served with a strict Content-Security-Policy."""

from html.parser import HTMLParser

import pytest

from portal.demo import load_demo
from portal.roles import Role


class ScriptCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts = []
        self.style_attributes = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") not in ("application/json", "application/ld+json"):
            self._in_inline_script = True
        if "style" in attrs:
            self.style_attributes.append(tag)
        if any(name.startswith("on") for name in attrs):
            self.inline_scripts.append(f"<{tag}> event handler")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.inline_scripts.append(data.strip()[:80])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


@pytest.fixture
def demo_sites(db):
    load_demo(host="testserver", council_host="council.testserver", port=80)


def test_default_site_wears_the_nhsuk_theme(client, demo_sites):
    page = client.get("/").content.decode()
    assert "Find support near you" in page
    assert "nhsuk/css/portal.css" in page
    assert "council/css/council.css" not in page


def test_second_site_wears_the_council_theme(client, demo_sites):
    page = client.get("/", HTTP_HOST="council.testserver").content.decode()
    assert "Bracknell Forest Help Yourself" in page
    assert "council/css/council.css" in page
    assert "council/img/logo.svg" in page


def test_theme_applies_to_sign_in_pages_too(client, demo_sites):
    page = client.get("/accounts/login/", HTTP_HOST="council.testserver").content.decode()
    assert "council/css/council.css" in page


def test_base_template_has_skip_link_header_footer_and_phase_banner(client, demo_sites):
    page = client.get("/").content.decode()
    assert 'href="#maincontent"' in page and 'id="maincontent"' in page
    assert "<header" in page and "<footer" in page
    assert "Beta" in page


def test_csp_forbids_inline_scripts(client, demo_sites):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/staff/"]
)
def test_pages_carry_no_inline_script_or_style(client, demo_sites, make_user, url):
    if url == "/staff/":
        from tests.mfa import sign_in_with_mfa

        sign_in_with_mfa(client, make_user(Role.LINK_WORKER))
    response = client.get(url)
    assert response.status_code == 200
    collector = ScriptCollector()
    collector.feed(response.content.decode())
    assert collector.inline_scripts == []
    assert collector.style_attributes == []


def test_static_assets_are_served_locally(client, demo_sites):
    page = client.get("/").content.decode()
    assert "https://" not in "".join(line for line in page.splitlines() if "<link" in line or "<script" in line)
