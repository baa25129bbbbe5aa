"""No template of ours carries an inline style attribute: the site's Content-Security-Policy (style-src 'self')
refuses them, so a page would silently lose its layout. Found once in the SWEMWBS chart; every template is read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("portal", "directory", "search", "linkworkers", "openreferral", "themes")
COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}|<!--.*?-->", re.S)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.S)


def templates():
    for part in PARTS:
        yield from sorted((ROOT / part).glob("**/templates/**/*.html"))


def test_the_templates_are_found():
    assert len(list(templates())) > 100


def test_no_template_has_an_inline_style_attribute():
    offending = [str(path.relative_to(ROOT)) for path in templates()
                 if STYLE_ATTRIBUTE.search(COMMENT.sub("", path.read_text(encoding="utf-8")))]
    assert offending == []
