"""Reading a feed: a URL or a file holding a list of service records, a `/services` page (followed page
by page), NDJSON, or a single record, in the 3.0 or the older 1.0 shape.

An API's base URL (its `GET /` answers version and openapi_url) is read from its `/services`.
Yields each record as the feed gave it, with the problem when a record could not be read at all;
never reads the network except the feed's own address (and, for list pages that carry only a
service's own fields, its `/services/{id}` records, as the official validator does).
"""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import v1

TIMEOUT_SECONDS = 60
MAX_PAGES = 100_000
_DETAIL_KEYS = ("service_at_locations", "schedules", "contacts", "cost_options", "attributes", "regular_schedules",
                "eligibilitys", "service_taxonomys")


class FeedError(Exception):
    """The feed cannot be read at all; the message says why, for the moderator who started the import."""


@dataclass
class Item:
    """One record of the feed, or (when `record` is None) why one could not be read."""

    record: dict | None
    problem: str = ""
    record_id: str = ""


@dataclass
class Feed:
    version: str  # "3.0" or "1.0", the shape the feed was read as
    total: int | None  # how many records it says it has, when it says
    items: Iterator[Item]


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json, application/x-ndjson",
                                                   "User-Agent": "social-prescribing-portal Open Referral import"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only)
            return response.read()
    except urllib.error.HTTPError as error:
        raise FeedError(f"{url} answered {error.code} {error.reason}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FeedError(f"Could not read {url}: {getattr(error, 'reason', error)}.") from None


def read_location(location: str) -> bytes:
    if is_url(location):
        return fetch(location)
    try:
        return Path(location).read_bytes()
    except OSError as error:
        raise FeedError(f"Could not read the file {location}: {error.strerror or error}.") from None


def parse(content: bytes):
    """The feed's JSON, or its NDJSON lines as a list; FeedError when it is neither."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FeedError("The feed is not text in UTF-8: is it a JSON file?") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as whole:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2:
            raise FeedError(f"The feed is not JSON: {whole.msg} at line {whole.lineno}.") from None
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise FeedError(f"The feed is neither JSON nor NDJSON: line {number} is not JSON "
                                f"({error.msg}).") from None
        return records


def open_feed(location: str = "", *, content: bytes | None = None) -> Feed:
    """The feed at `location` (a URL or a path), or in `content` (an uploaded file; pages are not followed)."""
    data = parse(content if content is not None else read_location(location))
    url = location if content is None and is_url(location) else ""
    if isinstance(data, list):
        return Feed(_version(data), len(data), _records(data, url=""))
    if not isinstance(data, dict):
        raise FeedError("The feed is not a list of services, a page of services or a service.")
    if isinstance(data.get("contents"), list):  # a 3.0 page
        total = data.get("total_items") if isinstance(data.get("total_items"), int) else None
        return Feed(_version(data["contents"]), total, _pages(data, url, v1_shape=False))
    if url and "openapi_url" in data and "version" in data:  # an API's base URL: its services are under it
        return open_feed(url.split("?")[0].rstrip("/") + "/services")
    if v1.is_v1_page(data):
        total = data.get("totalElements") if isinstance(data.get("totalElements"), int) else None
        return Feed("1.0", total, _pages(data, url, v1_shape=True))
    if "id" in data and "name" in data:
        return Feed(_version([data]), 1, _records([data], url=""))
    raise FeedError("The feed is not an Open Referral UK feed: expected a list of services, a /services page "
                    "(with `contents`, or `content` in the 1.0 shape), NDJSON or one service.")


def _version(records: list) -> str:
    return "1.0" if any(v1.is_v1_record(record) for record in records[:20]) else "3.0"


def _records(records: list, *, url: str) -> Iterator[Item]:
    for record in records:
        if not isinstance(record, dict):
            yield Item(None, "The record is not a JSON object.")
        elif url and not any(key in record for key in _DETAIL_KEYS) and record.get("id"):
            yield _detail(url, record)
        else:
            yield Item(record)


def _detail(list_url: str, summary: dict) -> Item:
    """The full record behind a list entry that carries only the service's own fields."""
    parts = urlsplit(list_url)
    url = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + f"/{summary['id']}", "", ""))
    try:
        record = parse(fetch(url))
    except FeedError as error:
        return Item(None, f"Its full record could not be read: {error}", record_id=str(summary["id"]))
    if not isinstance(record, dict):
        return Item(None, f"{url} did not answer a service.", record_id=str(summary["id"]))
    return Item(record)


def _pages(first: dict, url: str, *, v1_shape: bool) -> Iterator[Item]:
    """Every record of every page, following the page numbers when the feed came from a URL."""
    page, data = _page_number(first, v1_shape), first
    for _ in range(MAX_PAGES):
        yield from _records(data.get("content" if v1_shape else "contents") or [], url=url)
        if not url or _is_last(data, v1_shape) or not (data.get("content" if v1_shape else "contents")):
            return
        page += 1
        data = parse(fetch(_with_page(url, page, v1_shape)))
        if not isinstance(data, dict):
            raise FeedError(f"Page {page} of the feed is not a page of services.")


def _page_number(data: dict, v1_shape: bool) -> int:
    # 1.0 (Spring) numbers pages from 0; 3.0 from 1.
    number = data.get("number" if v1_shape else "page_number")
    return number if isinstance(number, int) else (0 if v1_shape else 1)


def _is_last(data: dict, v1_shape: bool) -> bool:
    if v1_shape:
        last, number, pages = data.get("last"), data.get("number"), data.get("totalPages")
        if isinstance(last, bool):
            return last
        return not (isinstance(number, int) and isinstance(pages, int) and number + 1 < pages)
    last, number, pages = data.get("last_page"), data.get("page_number"), data.get("total_pages")
    if isinstance(last, bool):
        return last
    return not (isinstance(number, int) and isinstance(pages, int) and number < pages)


def _with_page(url: str, page: int, v1_shape: bool) -> str:
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "page"]
    query.append(("page", str(page)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
