"""How the client is configured from settings: several nodes, an API key or a password, a CA bundle."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from search.backends.elasticsearch.connection import client_options, hosts, make_client


def _nodes(client) -> list[str]:
    return sorted(f"{node.config.scheme}://{node.config.host}:{node.config.port}" for node in client.transport.node_pool.all())


def test_several_addresses_become_several_nodes():
    assert hosts(" http://a:9200, https://b:9243 ,") == ["http://a:9200", "https://b:9243"]
    client = make_client("http://127.0.0.1:9201,http://127.0.0.1:9202")
    assert _nodes(client) == ["http://127.0.0.1:9201", "http://127.0.0.1:9202"]


def test_an_api_key_is_sent_on_every_request(settings):
    settings.ELASTICSEARCH_API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
    client = make_client("https://cluster.example:9243")
    assert client._headers["authorization"] == f"ApiKey {settings.ELASTICSEARCH_API_KEY}"


def test_a_user_and_password_are_sent_as_basic_auth(settings):
    settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD = "portal", "s3cret"
    client = make_client("https://cluster.example:9243")
    assert client._headers["authorization"] == "Basic cG9ydGFsOnMzY3JldA=="  # base64("portal:s3cret")


def test_a_ca_bundle_verifies_the_cluster(settings, tmp_path):
    import certifi

    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(open(certifi.where(), "rb").read())
    settings.ELASTICSEARCH_CA_CERTS = str(bundle)
    client = make_client("https://cluster.example:9243")
    node = client.transport.node_pool.all()[0]
    assert node.config.ca_certs == str(bundle) and node.config.verify_certs


@pytest.mark.parametrize(
    "api_key, username, password",
    [("key", "portal", "s3cret"), ("", "portal", ""), ("", "", "s3cret")],
)
def test_contradictory_credentials_are_refused_with_a_clear_message(settings, api_key, username, password):
    settings.ELASTICSEARCH_API_KEY, settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD = api_key, username, password
    with pytest.raises(ImproperlyConfigured):
        client_options()


def test_the_installed_client_is_the_8x_line():
    import elasticsearch

    # The 8.x client asks for `compatible-with=8`, which 8.x and 9.x servers both accept; the 9.x
    # client asks for `compatible-with=9`, which 8.x servers refuse (pyproject.toml pins <9).
    assert elasticsearch.__versionstr__.startswith("8.")
