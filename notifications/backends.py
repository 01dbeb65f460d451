"""SMS senders, chosen by the SMS_BACKEND setting (a dotted path), and the email sender.

A province whose gateway wants another request shape subclasses `HTTPSMSBackend` and
overrides `payload()`; nothing else in the app needs to change.
"""

import json
import logging
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "notifications.backends.ConsoleSMSBackend"


class SMSDeliveryError(Exception):
    """The gateway refused the message or could not be reached."""


class BaseSMSBackend:
    def send(self, *, phone: str, text: str) -> None:
        """Send one text message; raise on any failure so that it is retried."""
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """Writes each message to standard output: for development, never for production."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream

    def send(self, *, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {phone}: {text}\n")
        stream.flush()


class FileSMSBackend(BaseSMSBackend):
    """Appends each message as one JSON line to SMS_FILE_PATH (default VAR_DIR/sms.log)."""

    _lock = threading.Lock()

    def __init__(self, path: str | Path | None = None) -> None:
        configured = path or getattr(settings, "SMS_FILE_PATH", "")
        self.path = Path(configured) if configured else Path(settings.VAR_DIR) / "sms.log"

    def send(self, *, phone: str, text: str) -> None:
        line = json.dumps(
            {"at": timezone.now().isoformat(), "to": phone, "text": text}, ensure_ascii=False
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The log holds phone numbers: readable by the service account only. O_APPEND keeps
        # lines whole when several worker processes write at once.
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    def read(self) -> list[dict]:
        """The messages written so far, oldest first (for development pages and tests)."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]


class HTTPSMSBackend(BaseSMSBackend):
    """Posts each message to an SMS brandname gateway over HTTPS, as JSON or as a form.

    Settings: SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN (sent as a bearer token), SMS_SENDER (the
    registered brandname), SMS_GATEWAY_FORMAT ("json" or "form"), SMS_GATEWAY_TIMEOUT.
    """

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        sender: str | None = None,
        body_format: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = url if url is not None else getattr(settings, "SMS_GATEWAY_URL", "")
        self.token = token if token is not None else getattr(settings, "SMS_GATEWAY_TOKEN", "")
        self.sender = sender if sender is not None else getattr(settings, "SMS_SENDER", "")
        self.body_format = body_format or getattr(settings, "SMS_GATEWAY_FORMAT", "json")
        self.timeout = timeout or getattr(settings, "SMS_GATEWAY_TIMEOUT", 10)
        if urllib.parse.urlsplit(self.url).scheme not in {"http", "https"}:
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http:// or https:// address.")
        if self.body_format not in {"json", "form"}:
            raise ImproperlyConfigured("SMS_GATEWAY_FORMAT must be json or form.")

    def payload(self, *, phone: str, text: str) -> dict[str, str]:
        return {"to": phone, "sender": self.sender, "message": text}

    def send(self, *, phone: str, text: str) -> None:
        fields = self.payload(phone=phone, text=text)
        if self.body_format == "json":
            data = json.dumps(fields, ensure_ascii=False).encode("utf-8")
            content_type = "application/json; charset=utf-8"
        else:
            data = urllib.parse.urlencode(fields).encode("ascii")
            content_type = "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        # The scheme was checked in __init__: only http(s) reaches urlopen.
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
                answer = response.read(500)
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace")
            raise SMSDeliveryError(f"gateway answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SMSDeliveryError(f"gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            detail = answer.decode("utf-8", "replace")
            raise SMSDeliveryError(f"gateway answered HTTP {status}: {detail}")


def get_sms_backend() -> BaseSMSBackend:
    """The configured SMS backend, built fresh so that changed settings apply."""
    backend_class = import_string(getattr(settings, "SMS_BACKEND", "") or DEFAULT_SMS_BACKEND)
    return backend_class()


def email_send(*, recipient: str, subject: str, body: str) -> None:
    """Send one plain-text email through Django's EMAIL_BACKEND; raise on failure."""
    send_mail(subject, body, None, [recipient], fail_silently=False)
