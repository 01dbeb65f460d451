import io
import os
import stat
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.backends import (
    ConsoleSMSBackend,
    FileSMSBackend,
    HTTPSMSBackend,
    SMSDeliveryError,
    get_sms_backend,
)


def test_default_backend_is_console(settings):
    del settings.SMS_BACKEND
    assert isinstance(get_sms_backend(), ConsoleSMSBackend)


def test_console_backend_prints_recipient_and_text():
    stream = io.StringIO()
    ConsoleSMSBackend(stream=stream).send(phone="0912345678", text="Ma ho so: TQ-7K3M-9QXH")
    assert stream.getvalue() == "SMS to 0912345678: Ma ho so: TQ-7K3M-9QXH\n"


def test_file_backend_appends_one_json_line_per_message(sms_outbox):
    sms_outbox.send(phone="0912345678", text="Tin thu nhat")
    get_sms_backend().send(phone="0987654321", text="Tin thu hai, co dau phay\nva xuong dong")
    sent = sms_outbox.read()
    assert [(m["to"], m["text"]) for m in sent] == [
        ("0912345678", "Tin thu nhat"),
        ("0987654321", "Tin thu hai, co dau phay\nva xuong dong"),
    ]
    assert len(sms_outbox.path.read_text(encoding="utf-8").splitlines()) == 2


def test_file_backend_log_is_private_to_the_service_account(sms_outbox):
    sms_outbox.send(phone="0912345678", text="x")
    assert stat.S_IMODE(os.stat(sms_outbox.path).st_mode) == 0o600


def test_file_backend_defaults_to_var_dir(settings, tmp_path):
    settings.SMS_FILE_PATH = ""
    settings.VAR_DIR = tmp_path
    FileSMSBackend().send(phone="0912345678", text="x")
    assert (tmp_path / "sms.log").exists()


def test_file_backend_keeps_lines_whole_under_concurrent_writers(sms_outbox):
    def write(n):
        for i in range(50):
            FileSMSBackend().send(phone="0912345678", text=f"writer {n} message {i} " + "x" * 100)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(sms_outbox.read()) == 200


def test_http_backend_posts_json_with_bearer_token_and_brandname(http_sms):
    get_sms_backend().send(phone="0912345678", text="Ma ho so: TQ-7K3M-9QXH")
    [request] = http_sms.requests
    assert request["path"] == "/sms/send"
    assert request["content_type"].startswith("application/json")
    assert request["authorization"] == "Bearer gateway-token-123"
    assert request["fields"] == {
        "to": "0912345678",
        "sender": "SYT-TQ",
        "message": "Ma ho so: TQ-7K3M-9QXH",
    }


def test_http_backend_can_post_a_form(http_sms, settings):
    settings.SMS_GATEWAY_FORMAT = "form"
    get_sms_backend().send(phone="0912345678", text="Xin chao & hen gap lai")
    [request] = http_sms.requests
    assert request["content_type"] == "application/x-www-form-urlencoded"
    assert request["fields"]["message"] == "Xin chao & hen gap lai"


def test_http_backend_raises_on_error_status(http_sms):
    http_sms.statuses = [503]
    with pytest.raises(SMSDeliveryError, match="HTTP 503.*quota exceeded"):
        get_sms_backend().send(phone="0912345678", text="x")


def test_http_backend_raises_when_gateway_is_unreachable(gateway):
    url = gateway.url
    gateway.server.shutdown()
    gateway.server.server_close()
    with pytest.raises(SMSDeliveryError, match="unreachable"):
        HTTPSMSBackend(url=url, timeout=2).send(phone="0912345678", text="x")


def test_http_backend_gives_up_after_its_timeout(gateway):
    gateway.delay = 1.0
    with pytest.raises(SMSDeliveryError, match="unreachable"):
        HTTPSMSBackend(url=gateway.url, timeout=0.2).send(phone="0912345678", text="x")


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "ftp://gateway.example/sms"])
def test_http_backend_refuses_addresses_that_are_not_http(url):
    with pytest.raises(ImproperlyConfigured):
        HTTPSMSBackend(url=url)
