"""The portal under load: 50 people at once for 60 s against gunicorn on PostgreSQL.

    .venv/bin/pip install -e ".[bench]"     # locust, once
    .venv/bin/python -m benchmarks.load [--users 50] [--seconds 60] [--workers 3] [--postgres [URL]]

A throwaway PostgreSQL database (created on the server, dropped afterwards) gets the demo data
(`load_demo`: about 400 services, the demo team's caseload). gunicorn serves it on a free loopback
port with DEBUG off. Locust (headless, in its own process) then runs the users, weighted:

- residents (6 in 10): search by words and a Bracknell postcode, by postcode only, open a
  service's page;
- link workers (3 in 10): open the caseload and the person pages of the demo team;
- group editors (1 in 10): open a listing in the Wagtail admin and save it as a draft.

Staff sessions are signed in through the real forms (allauth's password step, then an
authenticator code from a TOTP set up for the demo accounts in the throwaway database), once per
account before the run. The table gives, per page, requests, errors, p50 and p95; the aims
(issue 10) are no errors and p95 under 300 ms on this machine.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.search import _database, _machine, _say

P95_AIM_MS = 300
ROOT = Path(__file__).resolve().parents[1]
PLAN_ENV = "PORTAL_LOAD_PLAN"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50, help="people at once (default: %(default)s)")
    parser.add_argument("--seconds", type=int, default=60, help="length of the run (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                        help="gunicorn worker processes (default: CPUs + 1, %(default)s)")
    parser.add_argument("--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432",
                        default="postgres://postgres@127.0.0.1:5432", metavar="SERVER_URL",
                        help="the PostgreSQL server for the throwaway database (default %(default)s)")
    args = parser.parse_args(argv)
    try:
        import locust  # noqa: F401  (imported only to say how to install it)
    except ImportError:
        _say('Locust is not installed: .venv/bin/pip install -e ".[bench]"')
        return 2

    with _database(args.postgres) as url, tempfile.TemporaryDirectory(prefix="portal-load-") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "portal.settings.base",  # DEBUG off, as in production
            "ALLOWED_HOSTS": "127.0.0.1",
            # WhiteNoise warns that collectstatic has not run; pages are measured, not their assets.
            "PYTHONWARNINGS": "ignore:No directory at",
        }
        env.pop("ELASTICSEARCH_URL", None)
        env.pop("CELERY_BROKER_URL", None)
        os.environ.update(env)
        import django

        django.setup()
        _say(f"Load benchmark: {args.users} users for {args.seconds} s, gunicorn with {args.workers} workers, "
             f"PostgreSQL; {_machine()}")
        _say("Migrating and loading the demo data...")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=io.StringIO())  # its list of demo accounts is not wanted here
        secrets = _set_up_totp(["linkworker@example.org", "supervisor@example.org"])
        plan = _plan()
        from django.db import connections

        connections.close_all()

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", str(args.workers),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        try:
            _wait_for(f"{base}/healthz")
            plan["base"] = base
            plan["staff_cookies"] = [_sign_in(base, email, secret) for email, secret in secrets.items()]
            plan["editor_cookie"] = _sign_in(base, "editor@example.org", None)
            plan["results"] = str(Path(folder) / "results.json")
            plan_file = Path(folder) / "plan.json"
            plan_file.write_text(json.dumps(plan))
            _say(f"Running {args.users} users for {args.seconds} s...")
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("load_users.py")),
                 "--headless", "--users", str(args.users), "--spawn-rate", str(max(1, args.users // 5)),
                 "--run-time", f"{args.seconds}s", "--host", base, "--only-summary", "--loglevel", "WARNING"],
                cwd=ROOT, env={**env, PLAN_ENV: str(plan_file)}, check=False,
                stdout=subprocess.DEVNULL, stderr=(Path(folder) / "locust.log").open("w"),
            )
            return _print_table(Path(plan["results"]), Path(folder) / "locust.log")
        finally:
            server.terminate()
            server.wait(timeout=30)


def _set_up_totp(emails: list[str]) -> dict[str, str]:
    """An authenticator for each staff account, as if they had set it up; returns the secrets."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    secrets = {}
    for user in get_user_model().objects.filter(email__in=emails):
        secrets[user.email] = generate_totp_secret()
        TOTP.activate(user, secrets[user.email])
    return secrets


def _plan() -> dict:
    """What the users will ask for: searches, service pages, the demo team's people, editable listings."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from wagtail.models import Site

    from directory.models import Service
    from linkworkers.models import Person

    site = Site.objects.get(is_default_site=True)
    services = list(Service.objects.live().specific())
    postcodes = sorted({venue.postcode for service in services for venue in service.locations.all() if venue.postcode})
    editor = get_user_model().objects.get(email="editor@example.org")
    editable = [
        service.pk for service in services
        if service.permissions_for_user(editor).can_edit()
    ]
    return {
        "service_paths": [service.relative_url(site) for service in services],
        "postcodes": postcodes[:50],
        "words": ["walking", "coffee morning", "singing", "gardening", "carers", "lunch club", "dementia",
                  "befriending", "art", "yoga"],
        "caseload_path": reverse("linkworkers:caseload"),
        # The people of the signed-in link worker's team (load_demo's caseload).
        "person_paths": [reverse("linkworkers:person", args=[person.public_id])
                         for person in Person.objects.filter(team__memberships__user__email="linkworker@example.org")[:20]],
        "editable_page_ids": editable[:10],
    }


class _Form(HTMLParser):
    """The fields of the first form with a given id, as a browser would submit them unchanged."""

    def __init__(self, form_id: str | None = None):
        super().__init__()
        self.form_id, self.inside, self.fields, self._textarea, self._select = form_id, form_id is None, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file", "image"}:
                self.fields.append((name, attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = [name, None]
        elif tag == "option" and self._select is not None and ("selected" in attrs or self._select[1] is None):
            if "selected" in attrs or self._select[1] is None:
                self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._select[1] is not None:
                self.fields.append(tuple(self._select))
            self._select = None
        elif tag == "form" and self.inside and self.form_id is not None:
            self.inside = False


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.fields


def _sign_in(base: str, email: str, totp_secret: str | None) -> str:
    """Sign in through allauth's forms (and its authenticator step) and return the session cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    fields = dict(form_fields(page))
    fields.update({"login": email, "password": "Demo-portal-2026"})
    response = opener.open(f"{base}/accounts/login/", urlencode(fields).encode())
    if totp_secret:
        from tests.mfa import totp_code

        page = response.read().decode()
        fields = dict(form_fields(page))
        fields["code"] = totp_code(totp_secret)
        response = opener.open(response.geturl(), urlencode(fields).encode())
    cookie = next((c.value for c in jar if c.name == "sessionid"), None)
    if cookie is None or "/accounts/" in response.geturl():
        raise SystemExit(f"Signing in as {email} did not finish (ended at {response.geturl()})")
    return cookie


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def _print_table(results_file: Path, log: Path) -> int:
    if not results_file.exists():
        _say(f"Locust wrote no results; its log:\n{log.read_text()}")
        return 1
    results = json.loads(results_file.read_text())

    def line(name, row):
        return f"| {name} | {row['requests']:,} | {row['errors']:,} | {row['p50']:.0f} ms | {row['p95']:.0f} ms |"

    print("| page | requests | errors | p50 | p95 |\n| --- | ---: | ---: | ---: | ---: |")
    for name, row in sorted(results["pages"].items()):
        print(line(name, row))
    total = results["all"]
    print(line("**all pages**", total))
    print(f"\nErrors: {total['errors']} (aim: 0): {'met' if total['errors'] == 0 else 'NOT met'}. "
          f"p95 over all pages: {total['p95']:.0f} ms (aim: under {P95_AIM_MS} ms): "
          f"{'met' if total['p95'] < P95_AIM_MS else 'NOT met'}.")
    slow = [name for name, row in sorted(results["pages"].items()) if row["p95"] >= P95_AIM_MS]
    if slow:
        print(f"Pages with p95 at or over {P95_AIM_MS} ms: {', '.join(slow)}.")
    if total["errors"]:
        print(f"\nLocust's log of the failures:\n{log.read_text()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
