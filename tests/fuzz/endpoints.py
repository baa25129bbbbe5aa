"""Every view in the URLconf, found by walking the resolver, with who may use it and the keys it reads.

Nothing here is a hand-kept list of pages: a new view appears in the fuzz tier the day it is added
to a urls.py. What a view reads comes from its code: the form classes its function (and the
module-level helpers it calls) names, and the `request.GET`/`request.POST` keys its module reads.
"""

import inspect
import re
import sys
import types
from dataclasses import dataclass, field
from functools import cache

from django import forms
from django.urls.resolvers import RegexPattern

from tests.portal.urlconf import routes

# Parts of this project; every other view belongs to Wagtail, allauth or Django.
PROJECT_PACKAGES = ("portal", "directory", "search", "linkworkers", "themes", "openreferral")
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Endpoint:
    route: str  # the pattern as written, includes joined: "staff/people/<uuid:public_id>/"
    name: str  # "namespace:name", or "" for an unnamed pattern
    view: object  # the callback as resolved
    module: str
    converters: tuple[tuple[str, str], ...]  # (kwarg, converter) in order: ("public_id", "uuid")
    is_regex: bool

    @property
    def id(self) -> str:
        return self.name or self.route

    @property
    def owner(self) -> str:
        return self.module.split(".")[0]

    @property
    def is_project(self) -> bool:
        return self.owner in PROJECT_PACKAGES

    @property
    def function(self):
        view = getattr(self.view, "view_class", None) or self.view
        return inspect.unwrap(view)

    @property
    def is_page_tree(self) -> bool:
        """Wagtail's catch-all that serves the page tree (directory, organisation and service pages)."""
        return self.module == "wagtail.views" and getattr(self.function, "__name__", "") == "serve"


def walk():
    """Every URLPattern in the URLconf, recursively through include(), as the resolver sees it
    (tests.portal.urlconf.routes, the one walk the tests share)."""
    for found in routes():
        resolvers, entry = found.chain[:-1], found.pattern
        namespace = ":".join(filter(None, (resolver.namespace for resolver in resolvers)))
        view = entry.callback
        module = getattr(view, "__module__", "") or ""
        if hasattr(view, "view_class"):
            module = view.view_class.__module__
        name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
        full = str(found)
        yield Endpoint(route=full, name=name, view=view, module=module, converters=tuple(_converters(full)),
                       is_regex=any(isinstance(part.pattern, RegexPattern) for part in found.chain))


def _converters(route: str):
    if "(?P<" in route:
        for match in _REGEX_GROUP.finditer(route):
            yield match["name"], "regex"
        return
    for match in _CONVERTER.finditer(route):
        yield match["name"], match["converter"] or "str"


@cache
def endpoints() -> list[Endpoint]:
    seen, found = set(), []
    for endpoint in walk():
        key = (endpoint.route, endpoint.name)
        if key not in seen:
            seen.add(key)
            found.append(endpoint)
    return found


# --- What a view reads ---------------------------------------------------------------------------

def _codes(function, depth: int = 2):
    """The code objects of `function`, the functions nested in it, and the module-level helpers it calls."""
    code = getattr(function, "__code__", None)
    if code is None:
        return
    stack, seen = [code], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        yield current
        stack.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    if depth:
        module_globals = getattr(function, "__globals__", {})
        for name in code.co_names:
            helper = module_globals.get(name)
            if isinstance(helper, types.FunctionType) and helper.__module__ == function.__module__:
                yield from _codes(helper, depth - 1)


def form_classes(endpoint: Endpoint) -> list[type[forms.BaseForm]]:
    """The Django form classes a view uses: `form_class` on a class-based view, or the ones its code names."""
    found = []
    view_class = getattr(endpoint.view, "view_class", None)
    if view_class is not None:
        for attribute in ("form_class", "filterset_class"):
            candidate = getattr(view_class, attribute, None)
            if isinstance(candidate, type) and issubclass(candidate, forms.BaseForm):
                found.append(candidate)
        return found
    function = endpoint.function
    module_globals = getattr(function, "__globals__", {})
    for code in _codes(function):
        for name in code.co_names:
            candidate = module_globals.get(name)
            if isinstance(candidate, type) and issubclass(candidate, forms.BaseForm) and candidate not in found:
                found.append(candidate)
    return found


_READS = re.compile(
    r"""(?:request\.(?P<where>GET|POST)|params)(?:\.get|\.getlist|\.pop)?\s*[\[(]\s*["'](?P<key>[\w-]+)["']"""
)


def keys_read(endpoint: Endpoint, method: str) -> set[str]:
    """Keys the view's module reads from the query string (GET) or the body (POST), by name."""
    module = sys.modules.get(endpoint.module)
    try:
        source = inspect.getsource(module) if module else ""
    except (OSError, TypeError):
        source = ""
    keys = set()
    for match in _READS.finditer(source):
        where = match["where"] or "GET"  # `params` is request.GET in search.views
        if where == method:
            keys.add(match["key"])
    return keys


def form_fields(endpoint: Endpoint) -> dict[str, forms.Field]:
    """Every field of the view's form classes, by the name it is posted under (date parts included)."""
    fields = {}
    for form_class in form_classes(endpoint):
        for name, form_field in getattr(form_class, "base_fields", {}).items():
            widget = form_field.widget
            if isinstance(widget, forms.MultiWidget):
                for suffix in getattr(widget, "widgets_names", []) or [f"_{i}" for i in range(len(widget.widgets))]:
                    fields[name + suffix] = form_field
            fields[name] = form_field
    return fields


@dataclass
class Surface:
    """What one view is fuzzed with: the keys for its query string and its form."""

    endpoint: Endpoint
    query_keys: set[str] = field(default_factory=set)
    body_keys: set[str] = field(default_factory=set)
    fields: dict[str, forms.Field] = field(default_factory=dict)


def surface(endpoint: Endpoint) -> Surface:
    fields = form_fields(endpoint)
    return Surface(endpoint=endpoint, query_keys=keys_read(endpoint, "GET") | set(fields),
                   body_keys=keys_read(endpoint, "POST") | set(fields), fields=fields)
