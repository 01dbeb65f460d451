"""Wording and officers' names typed decomposed (NFD) are composed by the data migrations."""

import importlib
import unicodedata

import pytest
from django.apps import apps

from accounts.models import User
from documents.models import DocumentTemplateSettings


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def migrate(module: str) -> None:
    importlib.import_module(module).forwards(apps, None)


@pytest.mark.django_db
def test_wording_and_officers_names_are_composed(commune_a, officer_a):
    DocumentTemplateSettings.objects.create(
        unit=commune_a,
        legal_bases=[nfd("Căn cứ Luật Phòng, chống bệnh truyền nhiễm")],
        decision_recipients=[nfd("Như Điều 3")],
        signer_name=nfd("Đỗ Văn Tiến"),
    )
    User.objects.filter(pk=officer_a.pk).update(full_name=nfd("Lê Thị Thuỷ"))
    migrate("documents.migrations.0002_wording_nfc")
    migrate("accounts.migrations.0002_names_nfc")
    wording = DocumentTemplateSettings.objects.get(unit=commune_a)
    assert wording.legal_bases == ["Căn cứ Luật Phòng, chống bệnh truyền nhiễm"]
    assert (wording.decision_recipients, wording.signer_name) == (["Như Điều 3"], "Đỗ Văn Tiến")
    assert User.objects.get(pk=officer_a.pk).full_name == "Lê Thị Thuỷ"
