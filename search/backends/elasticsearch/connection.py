"""How the portal connects to a cluster: addresses, credentials and TLS, from settings.

`ELASTICSEARCH_URL` holds one address or several separated by commas; with several, the client
spreads requests over them and retries another node when one is down. Elastic Cloud and
self-managed clusters have TLS and authentication on by default, so a connection takes an API key
(`ELASTICSEARCH_API_KEY`, the encoded form Kibana shows) or a user name and password
(`ELASTICSEARCH_USERNAME`, `ELASTICSEARCH_PASSWORD`), and a CA bundle (`ELASTICSEARCH_CA_CERTS`,
a path) for a certificate authority of the cluster's own.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elasticsearch import Elasticsearch


def hosts(url: str) -> list[str]:
    return [part.strip() for part in url.split(",") if part.strip()]


def client_options() -> dict[str, Any]:
    api_key = getattr(settings, "ELASTICSEARCH_API_KEY", "")
    username = getattr(settings, "ELASTICSEARCH_USERNAME", "")
    password = getattr(settings, "ELASTICSEARCH_PASSWORD", "")
    ca_certs = getattr(settings, "ELASTICSEARCH_CA_CERTS", "")
    if api_key and username:
        raise ImproperlyConfigured("Set ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME, not both.")
    if bool(username) != bool(password):
        raise ImproperlyConfigured("ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD go together.")
    options: dict[str, Any] = {}
    if api_key:
        options["api_key"] = api_key
    if username:
        options["basic_auth"] = (username, password)
    if ca_certs:
        options["ca_certs"] = ca_certs
    return options


def make_client(url: str, **options: Any) -> Elasticsearch:
    # With several nodes, a failed request is retried on another one (the client's default is 3
    # retries on connection errors and timeouts), so losing a node does not fail a search.
    return Elasticsearch(hosts(url), **client_options(), **options)


def index_refusal(client: Elasticsearch, probe_name: str) -> str | None:
    """Why this cluster cannot hold the directory's index, in its own words; None when it can.

    The index needs Elasticsearch's core only (mapping.py), which every distribution has, even the
    cut-down integration-test one on Maven Central; a cluster too old for its field types, or
    refusing to create indices, still says so here. Creating and dropping a probe index asks the
    cluster itself, so the answer holds for whatever version and modules it runs.
    """
    from elasticsearch import ApiError

    from .mapping import index_body

    try:
        client.indices.create(index=probe_name, **index_body())
    except ApiError as exc:
        return f"{exc.meta.status} {exc.message}: {exc.body.get('error', {}).get('reason', exc.body)}"
    client.indices.delete(index=probe_name, ignore_unavailable=True)
    return None
