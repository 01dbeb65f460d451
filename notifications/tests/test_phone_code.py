import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Kind, Notification, PhoneVerification
from notifications.selectors import phone_recently_verified
from notifications.services import (
    phone_code_issue,
    phone_code_purge,
    phone_code_verify,
    phone_verification_required,
)

PHONE = "0912345678"


@pytest.fixture
def issue(db, sms_outbox, django_capture_on_commit_callbacks):
    """Issue a code and return it as the citizen reads it in the SMS."""

    def _issue(phone=PHONE):
        with django_capture_on_commit_callbacks(execute=True):
            verification = phone_code_issue(phone=phone)
        text = sms_outbox.read()[-1]["text"]
        return verification, re.search(r"\b(\d{6})\b", text).group(1)

    return _issue


def _age(verification, **delta):
    """Pretend the code was issued earlier than it was."""
    PhoneVerification.objects.filter(pk=verification.pk).update(
        created_at=verification.created_at - timedelta(**delta),
        expires_at=verification.expires_at - timedelta(**delta),
    )


def test_off_by_default(settings):
    assert phone_verification_required() is False
    settings.PHONE_VERIFICATION_REQUIRED = True
    assert phone_verification_required() is True


def test_code_sent_by_sms_is_accepted_once(issue):
    _, code = issue()
    assert phone_code_verify(phone=PHONE, code=code) is True
    assert phone_recently_verified(phone=PHONE)
    assert phone_code_verify(phone=PHONE, code=code) is False


def test_number_written_another_way_is_the_same_phone(issue):
    _, code = issue(phone="+84 912 345 678")
    assert phone_code_verify(phone="0912.345.678", code=code) is True


def test_plain_code_is_never_stored(issue):
    verification, code = issue()
    verification.refresh_from_db()
    assert code not in verification.code_hash
    assert len(verification.code_hash) == 64
    # The outbox row loses the code once the SMS is out.
    sms = Notification.objects.get(kind=Kind.PHONE_CODE)
    assert sms.status == Notification.Status.SENT
    assert code not in sms.body
    assert "******" in sms.body


def test_wrong_code_is_refused_and_counted(issue):
    verification, code = issue()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert phone_code_verify(phone=PHONE, code=wrong) is False
    verification.refresh_from_db()
    assert verification.attempts == 1
    assert verification.verified_at is None
    assert not phone_recently_verified(phone=PHONE)
    assert phone_code_verify(phone=PHONE, code=code) is True


def test_fifth_wrong_try_locks_the_code(issue):
    verification, code = issue()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert phone_code_verify(phone=PHONE, code=wrong) is False
    assert phone_code_verify(phone=PHONE, code=code) is False
    verification.refresh_from_db()
    assert verification.attempts == 5


def test_expired_code_is_refused(issue):
    verification, code = issue()
    assert verification.expires_at - verification.created_at == timedelta(minutes=5)
    _age(verification, minutes=5, seconds=1)
    assert phone_code_verify(phone=PHONE, code=code) is False


def test_only_the_latest_code_counts(issue):
    first, old_code = issue()
    _age(first, seconds=61)
    _, new_code = issue()
    if old_code != new_code:
        assert phone_code_verify(phone=PHONE, code=old_code) is False
    assert phone_code_verify(phone=PHONE, code=new_code) is True


def test_code_for_another_phone_is_refused(issue):
    _, code = issue()
    assert phone_code_verify(phone="0987654321", code=code) is False


def test_second_code_within_a_minute_is_refused(issue):
    issue()
    with pytest.raises(ValidationError) as error:
        issue()
    assert error.value.code == "too_soon"
    assert "Vui lòng đợi" in error.value.messages[0]
    assert PhoneVerification.objects.count() == 1


def test_sixth_code_within_an_hour_is_refused(issue):
    for _ in range(5):
        verification, _code = issue()
        _age(verification, seconds=61)
    with pytest.raises(ValidationError) as error:
        issue()
    assert error.value.code == "too_many"
    assert "5 mã trong một giờ" in error.value.messages[0]
    # An hour after the first ones, the phone may ask again.
    PhoneVerification.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    issue()
    assert PhoneVerification.objects.count() == 6


def test_other_phones_are_not_limited_by_one_phone(issue):
    issue()
    issue(phone="0987654321")
    assert PhoneVerification.objects.count() == 2


@pytest.mark.parametrize("phone", ["", "12345", "0212345678", "09123456789", "abc0912345678"])
def test_code_is_not_sent_to_a_number_that_is_not_a_mobile(db, phone):
    with pytest.raises(ValidationError) as error:
        phone_code_issue(phone=phone)
    assert "Số điện thoại di động không hợp lệ" in error.value.messages[0]
    assert not Notification.objects.exists()


def test_codes_are_six_digits_and_vary(issue):
    codes = set()
    for i in range(5):
        _, code = issue(phone=f"09{i:08d}")
        assert re.fullmatch(r"\d{6}", code)
        codes.add(code)
    assert len(codes) > 1


def test_old_codes_are_purged_after_a_day(issue):
    old, _ = issue()
    _age(old, days=1, seconds=1)
    issue(phone="0987654321")
    assert phone_code_purge() == 1
    assert list(PhoneVerification.objects.values_list("phone", flat=True)) == ["0987654321"]


def test_a_verification_names_its_phone_masked_as_lists_do(issue):
    verification, _code = issue()
    assert str(verification).startswith("091****678 ")
    assert PHONE not in str(verification)
