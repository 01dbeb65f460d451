"""Test helpers: valid declaration values and a `make_case` shortcut over the real service."""

import importlib
import io
import itertools
import threading
import uuid
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases.choices import Status
from cases.models import Case
from cases.rules import rule_sets_forget
from cases.services import case_accept, case_declare

_serial = itertools.count(1)


def ensure_rules() -> None:
    """The seeded 2022 isolation rules, which a transactional test's flush removes."""
    importlib.import_module("cases.migrations.0002_seed_rules_2022").seed(apps, None)
    rule_sets_forget()


def jpeg_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def photo_file(name="test.jpg", color=(200, 30, 30)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(color), content_type="image/jpeg")


def cccd_for(date_of_birth: date, sex: str, serial: int) -> str:
    digit = (date_of_birth.year - 1900) // 100 * 2 + (1 if sex == "female" else 0)
    return f"008{digit}{date_of_birth.year % 100:02d}{serial:06d}"


def declaration_values(**overrides: Any) -> dict[str, Any]:
    """Valid values for a healthy, vaccinated adult who tested positive two days ago."""
    serial = next(_serial)
    dob = overrides.get("date_of_birth", date(1990, 5, 5))
    sex = overrides.get("sex", "female")
    values = {
        "full_name": "Nguyễn Thị Hoa",
        "date_of_birth": dob,
        "sex": sex,
        "id_type": "cccd",
        "id_number": cccd_for(dob, sex, serial),
        "guardian_name": "",
        "guardian_id_number": "",
        "guardian_phone": "",
        "phone": f"09{serial:08d}"[:10],
        "email": "",
        "village": "Thôn Cầu Bâm",
        "house_number": "",
        "workplace": "",
        "social_insurance_number": "",
        "test_type": "rapid_self",
        "test_place": "",
        "positive_test_date": timezone.localdate() - timedelta(days=2),
        "vaccine_doses": 2,
        "last_dose_date": None,
        "symptoms": ["cough"],
        "symptom_onset_date": None,
        "spo2": None,
        "breathing_rate": None,
        "temperature": None,
        "comorbidities": [],
        "pregnant": False,
        "household_size": 4,
    }
    values.update(overrides)
    return values


def make_case(commune, *, status: str = Status.SUBMITTED, by=None, **overrides) -> Case:
    """A case declared through the real service, optionally accepted by `by`."""
    result = case_declare(
        commune=commune, values=declaration_values(**overrides), submission_key=uuid.uuid4()
    )
    case = result.case
    if status == Status.ACCEPTED:
        case = case_accept(case=case, by=by)
    return case


def at_once(*calls) -> list:
    """Run `calls` (each a function of no argument) in threads released together, as two
    officials clicking at the same moment; their results (or exceptions) in order. Each
    thread closes its database connection."""
    from django.db import connection

    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            start.wait()
            results[i] = call()
        except BaseException as exc:  # noqa: BLE001 - returned to the caller's assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
