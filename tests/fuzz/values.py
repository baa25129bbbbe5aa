"""Hostile and plausible values for form fields and query strings, and reading the forms a page renders."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django import forms
from hypothesis import strategies as st

# Values that have broken form handling somewhere: out-of-range and malformed numbers and dates,
# NUL bytes (PostgreSQL refuses them in text), encodings, markup, and the very long.
HOSTILE_EXAMPLES = [
    "", " ", "0", "-1", "-0", "1.5", "1e309", "-1e309", "NaN", "inf", "-inf", "0x10", "١٢٣", "½",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "9" * 40, "-" + "9" * 40,
    "99999999999999999999999999999999999999999999999999999999999999999999999999",
    "0000-00-00", "9999-12-31", "10000-01-01", "2000-02-30", "1900-01-01", "0001-01-01", "-2000-01-01",
    "2024-01-01T25:61", "9999-12-31T23:59", "24:00", "1999-12-31T23:59:59.999999+14:00",
    "\x00", "a\x00b", "%00", "\r\n\r\n", "\ufeff", "\u202e", "\ud7ff", "\U0010ffff", "🙂" * 3, "é",
    "<script>alert(1)</script>", "' OR 1=1 --", "{{ 7*7 }}", "../../etc/passwd", "javascript:alert(1)",
    "//evil.example", "http://evil.example/", "a@b", "@", "x" * 255 + "@example.org",
    "true", "false", "on", "None", "null", "[]", "{}", "a,b,c", "RG12 1AA", "ZZ99 9ZZ", "BT1 1AA",
    "x" * 10_000, "é" * 50_000,
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


def hostile() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_EXAMPLES),
        TEXT,
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


def value_for(name: str, form_field: forms.Field | None, harvested: list[str]) -> st.SearchStrategy:
    """A value for one field: a plausible one (as the page offered it) or a hostile one, sometimes a list."""
    offered = [v for v in harvested if v is not None] or [plausible(name, form_field)]
    single = st.one_of(st.sampled_from(offered), hostile())
    many = isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) or len(harvested) > 1
    if many:
        return st.one_of(single, st.lists(st.one_of(st.sampled_from(offered), hostile()), min_size=0, max_size=6))
    return st.one_of(single, st.lists(single, min_size=2, max_size=3))  # a key sent twice


def plausible(name: str, form_field: forms.Field | None) -> str:
    """A value a person would type into this field, guessed from its name and type."""
    lowered = name.lower()
    if lowered in ("website", "url") or lowered.endswith("_url"):
        return ""  # optional everywhere, and the public forms' honeypot must stay empty
    if "nhs_number" in lowered:
        return "943 476 5919"  # the example NHS number in the forms' own help text (modulus 11 valid)
    if lowered.endswith("_time") or lowered == "time":
        return "10:30"
    if "minutes" in lowered or "duration" in lowered:
        return "30"
    if "charity" in lowered:
        return "1234567"
    if "email" in lowered:
        return "fuzz@example.org"
    if "postcode" in lowered:
        return "RG12 1AA"
    if "phone" in lowered:
        return "07700 900123"
    if lowered.endswith("_day"):
        return "15"
    if lowered.endswith("_month"):
        return "3"
    if lowered.endswith("_year"):
        return "1950"
    if isinstance(form_field, forms.DateTimeField):
        return "2026-01-02T10:30"
    if isinstance(form_field, forms.DateField):
        return "2026-01-02"
    if isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "1"
    if isinstance(form_field, forms.BooleanField):
        return "on"
    if isinstance(form_field, forms.ChoiceField):
        choices = [str(value) for value, _ in getattr(form_field, "choices", []) if value not in ("", None)]
        return choices[0] if choices else "1"
    return "Fuzzing text"


@dataclass
class FormOnPage:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values the page offers

    def add(self, name: str, value: str | None):
        if name:
            self.fields.setdefault(name, [])
            if value is not None and value not in self.fields[name]:
                self.fields[name].append(value)


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[FormOnPage] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append(FormOnPage(method=method, action=attrs.get("action") or ""))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit" and attrs.get("value") is not None:
                    form.add(attrs["name"], attrs.get("value"))
                return
            # A text box's value is what was typed last time; only fixed values (hidden, ticks) are offers.
            form.add(attrs["name"], attrs.get("value", "on") if kind in ("hidden", "checkbox", "radio") else None)
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            form.add(self._select, None)
        elif tag == "option" and self._select:
            form.add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and attrs.get("name"):
            form.add(attrs["name"], None)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_on(html: str, path: str) -> list[FormOnPage]:
    """The forms on a page that submit to `path` itself (or have no action)."""
    reader = _FormReader()
    try:
        reader.feed(html)
    except Exception:  # a page that is not HTML (JSON, PDF) has no forms
        return []
    return [f for f in reader.forms if f.action in ("", path) or f.action.split("?")[0] == path]
