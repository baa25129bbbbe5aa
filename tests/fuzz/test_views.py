"""Every view in the URLconf answers fuzzed query strings and form posts without a server error.

For each view: its page is fetched as the role that uses it, and the forms it renders are read
(a form whose POST leads to a second form, as the referral forms' screening step does, is followed
once); the keys are those forms' fields, the fields of the form classes the view's code names, and
the keys its module reads from request.GET / request.POST. Hypothesis then sends each key a
plausible value, a hostile one (huge and negative numbers, impossible dates, NUL bytes, unicode,
very long strings, lists for multi-value fields) or none, plus random keys and raw query strings.
Every request runs in a savepoint that is rolled back, so one example cannot spoil the next.

Examples are derandomised, so a run is repeatable; FUZZ_RANDOM=1 explores new ones, FUZZ_SCALE=10
runs ten times as many, FUZZ_SHRINK=1 shrinks a failure to its smallest input.
"""

import copy
import os
import time
import traceback
from collections import Counter
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .endpoints import surface
from .plan import build_path, path_kwargs, plans
from .values import TEXT, forms_on, hostile, plausible, value_for

pytestmark = pytest.mark.django_db

_PHASES = [Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("FUZZ_SHRINK") else [])
_SETTINGS = dict(deadline=None, database=None, derandomize=not os.environ.get("FUZZ_RANDOM"), phases=_PHASES,
                 suppress_health_check=list(HealthCheck), print_blob=True)

# The tier's time budget: once it is spent, each remaining view still gets one example of each kind
# (never none), so a slow machine shortens the run rather than dropping views. Our own views run first.
# The clock starts with the first view, after the test database and the world are built.
_BUDGET_SECONDS = float(os.environ.get("FUZZ_BUDGET_SECONDS", "150"))
_started: list[float] = []


def _examples(wanted: int) -> int:
    if not _started:
        _started.append(time.monotonic())
    return wanted if time.monotonic() - _started[0] < _BUDGET_SECONDS else 1


# A 5xx that is the designed answer, not a failure: the health check says 503 when something is down.
_DESIGNED_5XX = {"healthz": {503}, "wagtailadmin_error_test": {500}}  # Wagtail's /admin/failwhale/ raises on purpose

# 5xx found by this tier in other people's areas, each marked so the tier stays green until it is
# fixed, and fails (strict) once it is, so the mark is removed. See the fuzz report for the inputs.
# Each is sent as written before the fuzzing, so the mark does not depend on what Hypothesis draws.
# Wagtail's own admin choosers (staff only) are in no one's area here: they are upstream's to fix.
KNOWN_5XX: dict[str, tuple[str, str]] = {}  # view -> (reason, the request that fails); none known

_OMIT = object()


@contextmanager
def rolled_back():
    point = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(point)
        transaction.set_rollback(False)
        cache.clear()  # rate-limit counters, cached counts


STATUSES: dict[str, Counter] = {}  # per view and method: the statuses seen, printed after each test


def send(client, method: str, path: str, **kwargs) -> tuple[int, str, object]:
    """(status, error, response); an exception the view raised counts as the 500 it would be."""
    status, error, response = _send(client, method, path, **kwargs)
    STATUSES.setdefault(method, Counter())[status] += 1
    return status, error, response


def _send(client, method: str, path: str, **kwargs) -> tuple[int, str, object]:
    if "QUERY_STRING" in kwargs:  # as a WSGI server hands it over: the bytes sent, read as latin-1
        kwargs["QUERY_STRING"] = kwargs["QUERY_STRING"].encode("utf-8", "surrogatepass").decode("latin-1")
    cookies = copy.deepcopy(client.cookies)  # signing out changes the cookie; the session row is rolled back
    with rolled_back():
        try:
            response = getattr(client, method)(path, **kwargs)
        except Exception as error:  # the test client re-raises what the view raised
            frames = traceback.extract_tb(error.__traceback__)[-4:]
            where = " <- ".join(f"{f.filename.rsplit('/', 2)[-2:]}:{f.lineno}" for f in reversed(frames))
            return 500, f"{type(error).__name__}: {str(error)[:300]} at {where}", None
        finally:
            client.cookies = cookies
    return response.status_code, "", response


def _short(value, limit: int = 80):
    if isinstance(value, list):
        return [_short(v, limit) for v in value]
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} chars)"


def _verdict(plan, method: str, path: str, status: int, error: str, sent) -> None:
    allowed = _DESIGNED_5XX.get(plan.endpoint.name, set())
    shown = {k: _short(v) for k, v in sent.items()} if isinstance(sent, dict) else _short(sent, 300)
    assert status < 500 or status in allowed, (
        f"{status} from {method.upper()} {_short(path, 200)} as {plan.role}\n  sent: {shown}\n  {error}"
    )


def _harvest(client, plan, path: str, method: str, form_fields: dict) -> tuple[dict, int]:
    """The fields (name -> values offered) of the forms the page renders for `method`, with a plausible
    value first; for POST, the form the first plausible post leads to comes first (a second step)."""
    status, _, response = send(client, "get", path)
    first_page = _fields_on(response, path, method)
    if method == "get" or response is None:
        return _offers(first_page), status
    first = {name: (_offers({name: values})[name] or [plausible(name, form_fields.get(name))])[0]
             for name, values in first_page.items()}
    status, _, response = send(client, "post", path, data=first)
    second_page = _fields_on(response, path, method)
    if status == 405:
        return {}, status
    merged = {name: values + [v for v in first_page.get(name, []) if v not in values]
              for name, values in second_page.items()}
    merged.update({name: values for name, values in first_page.items() if name not in merged})
    return _offers(merged), status


def _fields_on(response, path: str, method: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if response is None or not response.get("Content-Type", "").startswith("text/html"):
        return fields
    for form in forms_on(response.content.decode(errors="replace"), path):
        if form.method == method:
            for name, values in form.fields.items():
                fields.setdefault(name, [])
                fields[name] += [v for v in values if v not in fields[name]]
    return fields


def _offers(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """Offered values with the empty choice ("Select...") last, so the first is a real one."""
    return {name: [v for v in values if v not in ("", None)] + [v for v in values if v in ("", None)]
            for name, values in fields.items()}


def _draw_fields(data, keys: dict, form_fields: dict, known: dict) -> dict:
    """Plausible values for every key but a few hostile (or missing) ones, and sometimes random extra keys."""
    names = sorted(keys)
    some = st.lists(st.sampled_from(names), max_size=3, unique=True) if names else st.just([])
    hostile_names = set(data.draw(st.one_of(some, st.just(names)), label="hostile"))
    sent = {}
    for name in names:
        harvested = keys[name]
        if name in hostile_names:
            value = data.draw(st.one_of(value_for(name, form_fields.get(name), harvested), st.just(_OMIT)), label=name)
        else:
            value = harvested[0] if harvested else known.get(name) or plausible(name, form_fields.get(name))
        if value is not _OMIT:
            sent[name] = value
    sent.update(data.draw(st.dictionaries(TEXT.filter(bool), hostile(), max_size=2), label="extra keys"))
    return sent


_RAW_QUERIES = st.one_of(
    st.sampled_from(["%", "%%", "%ZZ", "%FF%FE", "%00", "a=%00", "=", "&&&", "a[]=1&a[]=2", "q=" + "x" * 20_000,
                     "page=-1", "page=99999999999999999999", "p=0", "ordering=-", "sort=../", "radius=1e309"]),
    TEXT,
)


@pytest.mark.parametrize("plan", [
    pytest.param(p, id=p.id,
                 marks=[pytest.mark.xfail(strict=True, reason=KNOWN_5XX[p.id][0])] if p.id in KNOWN_5XX else [])
    for p in sorted(plans(), key=lambda p: (not p.endpoint.is_project, p.endpoint.owner != "allauth"))
])
def test_no_server_error(plan, world):
    STATUSES.clear()
    endpoint = plan.endpoint
    client = world["clients"][plan.role]
    real, path_strategies = path_kwargs(endpoint, world)
    keys = surface(endpoint)
    real_path = build_path(endpoint, real)
    if plan.id in KNOWN_5XX:
        known = KNOWN_5XX[plan.id][1]
        path, _, query = known.partition("?")
        status, error, _ = send(client, "get", path, QUERY_STRING=query)
        _verdict(plan, "get", known, status, error, query)

    query_fields, _ = _harvest(client, plan, real_path, "get", keys.fields)
    for key in keys.query_keys:
        query_fields.setdefault(key, [])

    @settings(max_examples=_examples(plan.get_examples), **_SETTINGS)
    @given(data=st.data())
    def fuzz_query_string(data):
        path = build_path(endpoint, {n: data.draw(s, label=n) for n, s in path_strategies.items()})
        if data.draw(st.booleans(), label="raw query string"):
            raw = data.draw(_RAW_QUERIES, label="query string")
            status, error, _ = send(client, "get", path, QUERY_STRING=raw)
            _verdict(plan, "get", f"{path}?{raw}", status, error, raw)
        else:
            query = _draw_fields(data, query_fields, keys.fields, world["known_values"])
            status, error, _ = send(client, "get", path, data=query)
            _verdict(plan, "get", path, status, error, query)

    fuzz_query_string()

    if not plan.post_examples:
        return
    body_fields, status = _harvest(client, plan, real_path, "post", keys.fields)
    if status == 405:  # the view takes no posts
        return
    for key in keys.body_keys:
        body_fields.setdefault(key, [])

    @settings(max_examples=_examples(plan.post_examples), **_SETTINGS)
    @given(data=st.data())
    def fuzz_form(data):
        path = build_path(endpoint, {n: data.draw(s, label=n) for n, s in path_strategies.items()})
        body = _draw_fields(data, body_fields, keys.fields, world["known_values"])
        status, error, _ = send(client, "post", path, data=body)
        _verdict(plan, "post", path, status, error, body)

    fuzz_form()


@pytest.fixture(autouse=True)
def _report_statuses(request):
    yield
    seen = {method: dict(sorted(counts.items())) for method, counts in STATUSES.items()}
    print(f"{request.node.callspec.id}: statuses {seen}")
