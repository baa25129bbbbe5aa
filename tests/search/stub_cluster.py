"""Just enough of Elasticsearch's REST API, over real HTTP on a loopback port, for the real client.

Used where no cluster is at hand to drive the Elasticsearch backend into the faults it must
survive: two first writes racing to create the index behind the alias, and a cluster answering
searches with a 5xx. Indices, their aliases and their documents are kept in memory; writes to an
alias over several indices fail as Elasticsearch's do ("no write index is defined").
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class StubCluster:
    def __init__(self):
        self.indices: dict[str, dict] = {}  # name -> {"aliases": set, "docs": dict}
        self.search_status: int | None = None  # answer searches with this error status
        self._lock = threading.Lock()
        self._held_alias_checks = 0
        self._alias_check_barrier: threading.Barrier | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def hold_first_alias_checks(self, parties: int) -> None:
        """The first `parties` "does the alias exist?" requests are answered together, once all have come."""
        self._held_alias_checks = parties
        self._alias_check_barrier = threading.Barrier(parties, timeout=10)

    def behind(self, alias: str) -> list[str]:
        with self._lock:
            return sorted(name for name, index in self.indices.items() if alias in index["aliases"])

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    # What the handler calls --------------------------------------------------------------------

    def alias_exists(self, alias: str) -> bool:
        with self._lock:
            hold = self._held_alias_checks > 0
            self._held_alias_checks -= 1 if hold else 0
        if hold:
            self._alias_check_barrier.wait()
        return bool(self.behind(alias))

    def create(self, name: str, body: dict) -> tuple[int, dict]:
        with self._lock:
            if name in self.indices:
                return 400, _error("resource_already_exists_exception", f"index [{name}] already exists", 400)
            self.indices[name] = {"aliases": set(body.get("aliases", {})), "docs": {}}
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def mget(self, index: str, ids: list[str]) -> tuple[int, dict]:
        targets = [index] if index in self.indices else self.behind(index)
        if len(targets) != 1:
            return 404, _error("index_not_found_exception", "no such index", 404)
        with self._lock:
            docs = self.indices[targets[0]]["docs"]
            found = [{"_index": targets[0], "_id": id_, "found": True, "_source": docs[id_]} if id_ in docs
                     else {"_index": targets[0], "_id": id_, "found": False} for id_ in ids]
        return 200, {"docs": found}

    def bulk(self, lines: list[dict]) -> dict:
        items, errors = [], False
        for action, source in _pairs(lines):
            op, meta = next(iter(action.items()))
            targets = [meta["_index"]] if meta["_index"] in self.indices else self.behind(meta["_index"])
            if len(targets) != 1:
                errors = True
                reason = f"no write index is defined for alias [{meta['_index']}]"
                items.append({op: {"_id": meta["_id"], "status": 400,
                                   "error": {"type": "illegal_argument_exception", "reason": reason}}})
                continue
            with self._lock:
                docs = self.indices[targets[0]]["docs"]
                if op == "delete":
                    docs.pop(meta["_id"], None)
                else:
                    docs[meta["_id"]] = source
            items.append({op: {"_index": targets[0], "_id": meta["_id"], "status": 200}})
        return {"took": 1, "errors": errors, "items": items}


def _pairs(lines: list[dict]):
    lines = iter(lines)
    for action in lines:
        op = next(iter(action))
        yield action, (None if op == "delete" else next(lines))


def _error(kind: str, reason: str, status: int) -> dict:
    return {"error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind, "reason": reason},
            "status": status}


def _handler_for(cluster: StubCluster):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: dict | None = None):
            payload = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_HEAD(self):
            parts = urlsplit(self.path).path.strip("/").split("/")
            if parts[0] == "_alias":
                return self._send(200 if cluster.alias_exists(parts[1]) else 404)
            self._send(200 if parts[0] in cluster.indices else 404)

        def do_PUT(self):
            path = urlsplit(self.path).path.strip("/")
            raw = self._body()
            if path == "_bulk":
                return self._bulk(raw)
            if path.endswith("/_mget"):
                return self._send(*cluster.mget(path.removesuffix("/_mget"), json.loads(raw)["ids"]))
            self._send(*cluster.create(path, json.loads(raw) if raw else {}))

        def _bulk(self, raw: bytes):
            lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
            self._send(200, cluster.bulk(lines))

        def do_POST(self):
            path = urlsplit(self.path).path.strip("/")
            raw = self._body()
            if path == "_bulk":
                return self._bulk(raw)
            if path.endswith("/_mget"):
                return self._send(*cluster.mget(path.removesuffix("/_mget"), json.loads(raw)["ids"]))
            if path.endswith("_search") and cluster.search_status:
                status = cluster.search_status
                return self._send(status, _error("search_phase_execution_exception", "all shards failed", status))
            self._send(404, _error("index_not_found_exception", "no such index", 404))

        do_GET = do_POST

    return Handler
