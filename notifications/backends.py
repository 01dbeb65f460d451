"""SMS senders, chosen by the SMS_BACKEND setting (a dotted path), the Zalo ZNS sender
(ZALO_ZNS_BACKEND) and the email sender.

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


class DeliveryError(SMSDeliveryError):
    """A channel's service refused the message or could not be reached: try again later."""


class PermanentDeliveryError(DeliveryError):
    """The service says this message can never reach this recipient (no such account, an
    invalid number or template): trying again is pointless."""


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


ZALO_ZNS_URL = "https://business.openapi.zalo.me/message/template"

# ZNS answers HTTP 200 with {"error": <code>, "message": ..., "data": {...}}; 0 is success.
# Codes after which no retry can succeed (zalo.cloud/zns/guidelines/handle-error-code):
# -108 phone number invalid, -109 template ID invalid, -111 template data empty,
# -112 template data invalid. Every other code (-100 unknown error, quota, token...) is
# retried; an access token that expired is fixed by configuration, not by the message.
ZNS_PERMANENT_ERRORS = frozenset({-108, -109, -111, -112})


class ZaloZNSBackend:
    """Sends template messages through Zalo's Official Account notification service (ZNS).

    Documented request (developers.zalo.me/docs/zalo-notification-service, "Gửi ZNS"):
    `POST https://business.openapi.zalo.me/message/template`, header `access_token: <OA
    access token>`, JSON body {"phone": "84912345678", "template_id": "<approved template>",
    "template_data": {<the template's parameters>}, "tracking_id": "<our id>"}. Answer: HTTP
    200 with {"error": 0, "message": "Success", "data": {"msg_id": ..., "sent_time": ...}},
    or a negative `error` (table at zalo.cloud/zns/guidelines/handle-error-code).

    Each kind of message needs a template approved by Zalo for the province's Official
    Account, whose parameters are the kind's named values (tracking_code, status_url...).
    Settings: ZALO_ZNS_URL, ZALO_ZNS_ACCESS_TOKEN, ZALO_ZNS_TEMPLATES ({kind: template id},
    from "kind=id,kind=id"), ZALO_ZNS_TIMEOUT. A kind without a template cannot go by Zalo
    (PermanentDeliveryError: the channel's fallback, SMS, takes it).

    Tested only against a local fake of the documented API (notifications/tests), never
    against the real service.
    """

    def __init__(
        self,
        *,
        url: str | None = None,
        access_token: str | None = None,
        templates: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = url or getattr(settings, "ZALO_ZNS_URL", "") or ZALO_ZNS_URL
        self.access_token = access_token or getattr(settings, "ZALO_ZNS_ACCESS_TOKEN", "")
        self.templates = (
            templates if templates is not None else getattr(settings, "ZALO_ZNS_TEMPLATES", {})
        )
        self.timeout = timeout or getattr(settings, "ZALO_ZNS_TIMEOUT", 10)
        if urllib.parse.urlsplit(self.url).scheme not in {"http", "https"}:
            raise ImproperlyConfigured("ZALO_ZNS_URL must be an http:// or https:// address.")

    @staticmethod
    def international(phone: str) -> str:
        """ "0912345678" -> "84912345678", the form of the API's examples."""
        return "84" + phone[1:] if phone.startswith("0") else phone

    def send(self, *, phone: str, kind: str, params: dict, tracking_id: str) -> str:
        """Send one template message; return Zalo's msg_id. Raises PermanentDeliveryError
        for a kind without a template or a refusal in ZNS_PERMANENT_ERRORS, DeliveryError
        for anything else that went wrong."""
        template_id = self.templates.get(kind)
        if not template_id:
            raise PermanentDeliveryError(f"no Zalo ZNS template for {kind!r}")
        if not self.access_token:
            raise DeliveryError("ZALO_ZNS_ACCESS_TOKEN is not set")
        body = {
            "phone": self.international(phone),
            "template_id": str(template_id),
            "template_data": {key: str(value) for key, value in params.items()},
            "tracking_id": tracking_id,
        }
        request = urllib.request.Request(  # noqa: S310 - the scheme was checked in __init__
            self.url,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "access_token": self.access_token,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read(5000).decode("utf-8") or "{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace")
            raise DeliveryError(f"Zalo answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"Zalo unreachable: {exc}") from exc
        except ValueError as exc:
            raise DeliveryError(f"Zalo answered something that is not JSON: {exc}") from exc
        code = answer.get("error") if isinstance(answer, dict) else None
        if code == 0:
            return str((answer.get("data") or {}).get("msg_id", ""))
        error = PermanentDeliveryError if code in ZNS_PERMANENT_ERRORS else DeliveryError
        raise error(f"Zalo refused the message: error {code}: {answer.get('message', '')}")


def get_zalo_backend() -> ZaloZNSBackend:
    """The configured Zalo sender (ZALO_ZNS_BACKEND, a dotted path), built fresh."""
    path = getattr(settings, "ZALO_ZNS_BACKEND", "") or "notifications.backends.ZaloZNSBackend"
    return import_string(path)()


def email_send(*, recipient: str, subject: str, body: str) -> None:
    """Send one plain-text email through Django's EMAIL_BACKEND; raise on failure."""
    send_mail(subject, body, None, [recipient], fail_silently=False)
