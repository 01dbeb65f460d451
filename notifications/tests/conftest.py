import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications.backends import FileSMSBackend
from notifications.testing import fake_zns


class FakeGateway:
    """A real HTTP server on 127.0.0.1 that records requests and answers queued statuses."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                content_type = self.headers.get("Content-Type", "")
                if content_type.startswith("application/json"):
                    fields = json.loads(raw.decode("utf-8"))
                else:
                    fields = dict(urllib.parse.parse_qsl(raw.decode("ascii")))
                gateway.requests.append(
                    {
                        "path": self.path,
                        "content_type": content_type,
                        "authorization": self.headers.get("Authorization"),
                        "fields": fields,
                    }
                )
                if gateway.delay:
                    time.sleep(gateway.delay)
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                answer = b'{"ok": true}' if status < 300 else b'{"error": "quota exceeded"}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def messages(self) -> list[dict]:
        return [r["fields"] for r in self.requests]


@pytest.fixture
def gateway():
    fake = FakeGateway()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def http_sms(settings, gateway):
    """SMS go to the local fake gateway through HTTPSMSBackend."""
    settings.SMS_BACKEND = "notifications.backends.HTTPSMSBackend"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TOKEN = "gateway-token-123"
    settings.SMS_SENDER = "SYT-TQ"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    return gateway


@pytest.fixture
def sms_outbox(settings, tmp_path):
    """SMS are appended to a file; the fixture reads back what was sent."""
    settings.SMS_BACKEND = "notifications.backends.FileSMSBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    return FileSMSBackend()


@pytest.fixture
def zalo(settings):
    """Zalo turned on, sending to the local fake; a template for the receipt only."""
    with fake_zns(settings) as fake:
        yield fake
