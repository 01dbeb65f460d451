"""Existing rows typed decomposed (NFD) are brought to NFC by the data migrations."""

import importlib
import unicodedata

import pytest
from django.apps import apps

from cases.models import Case, CaseEvent
from cases.testing import make_case


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def migrate(module: str) -> None:
    importlib.import_module(module).forwards(apps, None)


@pytest.mark.django_db
def test_cases_and_their_events_are_composed(commune_a):
    case = make_case(commune_a)
    Case.objects.filter(pk=case.pk).update(village=nfd("Thôn Đồng Quỹ"), house_number="Số 5")
    case.events.update(reason=nfd("Gọi điện xác nhận"), data={"declared": {"x": nfd("Hồng")}})
    migrate("cases.migrations.0006_free_text_nfc")
    assert Case.objects.filter(village="Thôn Đồng Quỹ").count() == 1
    event = CaseEvent.objects.get(case=case)
    assert event.reason == "Gọi điện xác nhận" and event.data == {"declared": {"x": "Hồng"}}
