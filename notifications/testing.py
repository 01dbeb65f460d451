"""Test helpers: a local fake of Zalo's ZNS API, for this app's tests and those above it."""

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeZNS:
    """A local stand-in for Zalo's ZNS send API (POST /message/template), answering as its
    documentation says: HTTP 200 and {"error": 0, "message": "Success", "data": {...}}, or
    a negative error code queued in `errors`. Records each request's headers and JSON."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.errors: list[int] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.requests.append(
                    {
                        "path": self.path,
                        "access_token": self.headers.get("access_token"),
                        "content_type": self.headers.get("Content-Type", ""),
                        "json": json.loads(raw.decode("utf-8")),
                    }
                )
                code = fake.errors.pop(0) if fake.errors else 0
                if code:
                    answer = {"error": code, "message": "refused by the fake"}
                else:
                    answer = {
                        "error": 0,
                        "message": "Success",
                        "data": {"msg_id": f"msg{len(fake.requests)}", "sent_time": "0"},
                    }
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/message/template"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@contextmanager
def fake_zns(settings, templates: dict[str, str] | None = None):
    """Zalo turned on (pytest-django's `settings`) and sending to a FakeZNS, yielded; a
    template for the receipt only unless `templates` are given."""
    fake = FakeZNS()
    fake.thread.start()
    settings.ZALO_ZNS_ENABLED = True
    settings.ZALO_ZNS_URL = fake.url
    settings.ZALO_ZNS_ACCESS_TOKEN = "oa-access-token-xyz"  # noqa: S105 - the fake's
    settings.ZALO_ZNS_TEMPLATES = templates or {"declaration_received": "231245"}
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
