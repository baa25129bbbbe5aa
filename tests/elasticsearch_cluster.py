"""The live cluster of the test command's Elasticsearch phase, shared by the tests that need it.

`scripts/test` starts three nodes with `scripts/elasticsearch/cluster` and exports
ELASTICSEARCH_URL (every node, comma-separated) and ELASTICSEARCH_TEST_CLUSTER (the folder the
control script manages, so fault tests can stop and start nodes).
"""

import functools
import os
import subprocess
import uuid
from pathlib import Path

import pytest

URL = os.environ.get("ELASTICSEARCH_URL", "")
CLUSTER = os.environ.get("ELASTICSEARCH_TEST_CLUSTER", "")
CONTROL = Path(__file__).resolve().parents[1] / "scripts" / "elasticsearch" / "cluster"


@functools.cache
def _refusal(url: str) -> str | None:
    from search.backends.elasticsearch.connection import index_refusal, make_client

    client = make_client(url)
    try:
        return index_refusal(client, f"probe-{uuid.uuid4().hex[:12]}")
    finally:
        client.close()


def require_directory_index(url: str = URL) -> None:
    """Skip, quoting the cluster, when it cannot create the directory's index."""
    refusal = _refusal(url)
    if refusal:
        pytest.skip(f"the cluster at {url} cannot create the directory's index: {refusal}")


def control(*args: str) -> None:
    if not CLUSTER:
        pytest.skip("ELASTICSEARCH_TEST_CLUSTER is not set: stopping nodes needs the test command's cluster")
    subprocess.run([str(CONTROL), args[0], CLUSTER, *args[1:]], check=True, capture_output=True, timeout=300)


def node_urls() -> list[str]:
    return [part.strip() for part in URL.split(",") if part.strip()]
