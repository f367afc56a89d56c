"""A local HTTP server on 127.0.0.1 that answers with recorded responses, for the fetch tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (longer than the client's timeout = a timeout)."""
    stream: Callable[[], Iterable[bytes]] | None = None
    """Parts sent one by one after the headers instead of ``body``, then the connection is closed:
    a flood, a drip, a bomb, a cut. Content-Length only if ``headers`` gives one."""


@dataclass
class Request:
    path: str
    params: dict[str, str]
    user_agent: str
    client_port: int


Responder = Callable[[Request], Reply]


@contextmanager
def recorded_server(respond: Responder) -> Iterator[tuple[str, list[Request]]]:
    """Serve ``respond`` on a free port; yields the base URL and the list of requests received."""
    received: list[Request] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so tests can see that one connection is reused

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            request = Request(parts.path, dict(parse_qsl(parts.query)), self.headers.get("User-Agent", ""),
                              self.client_address[1])
            received.append(request)
            reply = respond(request)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                if reply.stream is None:
                    self.send_header("Content-Length", str(len(reply.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                for part in [reply.body] if reply.stream is None else reply.stream():
                    self.wfile.write(part)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test, a capped or stopped fetch)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
