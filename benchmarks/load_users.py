"""Locust's users for benchmarks/load.py (run it, not this file): residents, link workers, editors.

The plan (what to ask for, and the signed-in staff sessions) comes from the JSON file named by
PORTAL_LOAD_PLAN, written by benchmarks.load after it loaded the demo data and signed staff in.
"""

import json
import os
import random

from locust import HttpUser, between, events, task

from benchmarks.load import PLAN_ENV, form_fields

PLAN = json.loads(open(os.environ[PLAN_ENV]).read())


@events.quitting.add_listener
def _write_results(environment, **_):
    """Every page's figures once the run is over, for benchmarks.load to print."""

    def figures(entry):
        return {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
        }

    pages = {entry.name: figures(entry) for entry in environment.stats.entries.values()}
    with open(PLAN["results"], "w") as out:
        json.dump({"pages": pages, "all": figures(environment.stats.total)}, out)


class Resident(HttpUser):
    weight = 6
    wait_time = between(1, 3)

    @task(3)
    def search_near_a_postcode(self):
        params = {"q": random.choice(PLAN["words"]), "where": random.choice(PLAN["postcodes"])}
        self.client.get("/search/", params=params, name="/search/ words + postcode")

    @task(1)
    def search_by_postcode(self):
        self.client.get("/search/", params={"where": random.choice(PLAN["postcodes"])}, name="/search/ postcode")

    @task(3)
    def open_a_service(self):
        self.client.get(random.choice(PLAN["service_paths"]), name="service page")


class LinkWorker(HttpUser):
    weight = 3
    wait_time = between(2, 5)

    def on_start(self):
        self.client.cookies.set("sessionid", random.choice(PLAN["staff_cookies"]))

    @task(1)
    def caseload(self):
        self._get(PLAN["caseload_path"], "/staff/caseload/")

    @task(2)
    def person(self):
        self._get(random.choice(PLAN["person_paths"]), "/staff/people/<id>/")

    def _get(self, path, name):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:  # a redirect to sign in is a failure here
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")


class Editor(HttpUser):
    weight = 1
    wait_time = between(5, 10)

    def on_start(self):
        self.client.cookies.set("sessionid", PLAN["editor_cookie"])

    @task
    def save_a_draft(self):
        path = f"/admin/pages/{random.choice(PLAN['editable_page_ids'])}/edit/"
        page = self.client.get(path, name="/admin/pages/<id>/edit/ (open)")
        fields = form_fields(page.text, "page-edit-form")
        with self.client.post(path, data=fields, name="/admin/pages/<id>/edit/ (save draft)",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:  # Wagtail redirects after a saved draft
                response.failure(f"draft not saved: {response.status_code}")
