"""A local fake HTTP API (loopback only) that answers from a handler and injects faults.

A platform's fake is a handler ``Request -> Reply``; the server runs it in a thread per request
and, before it, applies the faults injected by the test: a status with a body and headers, a
delay longer than the client's timeout, a body cut short (with or without a Content-Length that
promises more), a non-JSON body, an HTML error page. Faults match requests by a predicate and
fire a given number of times, so "the first two requests get 429" is one line.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HTML_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]

    def param(self, name: str, default: str | None = None) -> str | None:
        return self.form.get(name, self.query.get(name, default))


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    """bytes, str, or anything JSON-serialisable."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cut: int | None = None
    """Send only this many bytes of the body, then close."""
    cut_length: bool = True
    """With ``cut``: still announce the full Content-Length (else no length, connection closed)."""

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def json_reply(body: Any, status: int = 200, **headers: str) -> Reply:
    return Reply(status, body, {"Content-Type": "application/json; charset=utf-8", **headers})


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client killed or timed out mid-request is what the fault tests do on purpose


@dataclass
class Fault:
    reply: Reply | Callable[[Request], Reply]
    times: int
    when: Callable[[Request], bool]
    fired: int = 0


class FakeServer:
    """``with FakeServer(handler) as server:`` serves on ``server.url`` until the block ends."""

    def __init__(self, handler: Callable[[Request], Reply]) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.delay = 0.0
        """Added before every reply (to make a subprocess's run long enough to be killed)."""
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def inject(
        self,
        reply: Reply | Callable[[Request], Reply],
        *,
        times: int = 1,
        when: Callable[[Request], bool] | None = None,
    ) -> Fault:
        """Answer the next ``times`` matching requests with ``reply`` instead of the handler."""
        fault = Fault(reply, times, when or (lambda _r: True))
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            for fault in self.faults:
                if fault.fired < fault.times and fault.when(request):
                    fault.fired += 1
                    return fault.reply(request) if callable(fault.reply) else fault.reply
        return self.handler(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go as two writes: no 40 ms delayed-ACK stall

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                request = Request(
                    self.command, parts.path, query, form, {k.lower(): v for k, v in self.headers.items()}
                )
                reply = server._answer(request)
                if reply.delay or server.delay:
                    time.sleep(reply.delay + server.delay)
                body = reply.payload()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.cut is not None and not reply.cut_length:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        self.wfile.write(body[: reply.cut])
                        self.close_connection = True
                        return
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if reply.cut is not None:
                        self.wfile.write(body[: reply.cut])
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = _serve
            do_POST = _serve

        return Handler
