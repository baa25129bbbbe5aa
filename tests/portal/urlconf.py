"""The project's whole URLconf walked with Django's resolver: every pattern, included ones too, with
a concrete URL for each and whether its view can sign someone in or reset a password."""

import inspect
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth import login as django_login
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, get_resolver

# Django's own sign-in and reset views, which Wagtail (and any other app) may route to.
DJANGO_AUTH_VIEWS = (auth_views.LoginView, auth_views.PasswordResetView, auth_views.PasswordResetConfirmView)


@dataclass(frozen=True)
class Route:
    """One view in the URLconf, with the chain of patterns that leads to it."""

    chain: tuple

    @property
    def pattern(self) -> URLPattern:
        return self.chain[-1]

    @property
    def view(self) -> Callable:
        return self.pattern.callback

    @property
    def view_class(self) -> type | None:
        return getattr(self.view, "view_class", None)

    @property
    def name(self) -> str:
        return self.pattern.name or ""

    def __str__(self) -> str:
        return "".join(str(p.pattern) for p in self.chain)

    def url(self, fill: Callable[[str | None, str, str], str]) -> str:
        """A URL this pattern matches: `fill(group name, sample value, path so far)` gives each
        parameter's value (a real id where the test has one)."""
        path = "/"
        for part in self.chain:
            path += _sample(part.pattern.regex.pattern, fill, path)
        return path

    def can_sign_in_or_reset_a_password(self) -> bool:
        """Django's sign-in and reset views and their subclasses, anything that calls
        django.contrib.auth.login itself, and every allauth view (sign-in, reset, MFA)."""
        view_class = self.view_class
        if view_class is not None and issubclass(view_class, DJANGO_AUTH_VIEWS):
            return True
        if (view_class or self.view).__module__.startswith("allauth."):
            return True
        return any(_refers_to(function, django_login) for function in _functions(self.view))


def routes() -> Iterator[Route]:
    def walk(patterns, chain):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, (*chain, entry))
            else:
                yield Route((*chain, entry))

    yield from walk(get_resolver().url_patterns, ())


def _functions(view) -> list:
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return [inspect.unwrap(view)]
    return [f for klass in view_class.__mro__ for f in vars(klass).values() if inspect.isfunction(f)]


def _refers_to(function, target) -> bool:
    """Whether the function, or one nested in it, names `target` among its module's globals."""
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        codes.extend(c for c in code.co_consts if inspect.iscode(c))
        if any(function.__globals__.get(name) is target for name in code.co_names):
            return True
    return False


def _sample(regex: str, fill, path_so_far: str) -> str:
    """The shortest string the regex matches, each group's text offered to `fill`."""

    def generate(items) -> str:
        out = ""
        for op, av in items:
            if op is sre.LITERAL:
                out += chr(av)
            elif op is sre.NOT_LITERAL or op is sre.ANY:
                out += "a" if av != ord("a") else "b"
            elif op is sre.IN:
                out += _one_of(av)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                low, high, sub = av
                out += generate(sub) * max(low, 1 if high else 0)
            elif op is sre.SUBPATTERN:
                group, _, _, sub = av
                text = generate(sub)
                out += fill(names.get(group), text, path_so_far + out) if group else text
            elif op is sre.BRANCH:
                out += generate(av[1][0])
        return out

    parsed = sre_parse.parse(regex)
    names = {number: name for name, number in parsed.state.groupdict.items()}
    return generate(parsed)


def _one_of(items) -> str:
    op, av = items[0]
    if op is sre.LITERAL:
        return chr(av)
    if op is sre.RANGE:
        return chr(av[0])
    if op is sre.CATEGORY:
        return "1" if av is sre.CATEGORY_DIGIT else "a"
    return "a"  # a negated set: none of ours excludes "a"
