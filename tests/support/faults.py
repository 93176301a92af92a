"""A faulty HTTP proxy for the push tests: it forwards, refuses, or drops requests on cue.

The proxy listens on 127.0.0.1 and forwards each request to a real store (Oxigraph or
Virtuoso), unless its rule says otherwise for that request:

==================  ============================================================
action              what the client sees
==================  ============================================================
``"forward"``       the store's answer
``503`` (any int)   that HTTP status, the store never sees the request
``"drop"``          the connection closes before an answer; the store never sees it
``"forward-drop"``  the store carries the request out, the answer is lost
``"delay"``         the store's answer, after :attr:`FaultyProxy.delay` seconds
``"truncate"``      the store gets the body without its last line (a lost triple)
==================  ============================================================
"""

from __future__ import annotations

import http.client
import http.server
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Action = str | int
Rule = Callable[["Seen"], Action]

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass(frozen=True)
class Seen:
    """A request the proxy received."""

    method: str
    path: str
    body: bytes
    authorized: bool = False
    """Whether the request carries credentials (an ``Authorization`` header)."""

    @property
    def text(self) -> str:
        """The body, form-decoded when it is a form (``query=`` / ``update=``)."""
        decoded = self.body.decode("utf-8", "replace")
        try:
            form = urllib.parse.parse_qs(decoded, strict_parsing=True)
        except ValueError:
            return decoded
        return " ".join(v for values in form.values() for v in values)


@dataclass
class FaultyProxy:
    """A running proxy; ``rule`` may be changed while it runs."""

    url: str
    rule: Rule
    seen: list[Seen] = field(default_factory=list)
    delay: float = 2.0


def forward_all(_: Seen) -> Action:
    return "forward"


@contextmanager
def faulty_proxy(upstream: str, rule: Rule = forward_all) -> Iterator[FaultyProxy]:
    """Run a proxy to ``upstream`` (``http://HOST:PORT``) on a free port of 127.0.0.1."""
    target = urllib.parse.urlsplit(upstream)
    state = FaultyProxy("", rule)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(self.command, self.path, body, "Authorization" in self.headers)
            state.seen.append(seen)
            action = state.rule(seen)
            if isinstance(action, int):
                payload = b"injected fault\n"
                self.send_response(action)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            if action == "drop":
                self.close_connection = True
                return
            if action == "truncate":
                body = b"".join(body.splitlines(keepends=True)[:-1])
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in _HOP_BY_HOP | {"host", "content-length"}
            }
            headers["Host"] = target.netloc
            headers["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            connection.close()
            if action == "forward-drop":
                self.close_connection = True
                return
            if action == "delay":
                time.sleep(state.delay)
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815 - http.server's names

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up (timeout) before the answer: nothing to report

    server = Server(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
