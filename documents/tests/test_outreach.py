"""The outreach kit: posters and loudspeaker announcements for every commune at once."""

import io
import os
import zipfile
from pathlib import Path

import pytest

from audit.models import AuditEntry
from documents.models import DocumentTemplateSettings
from documents.tests.pdf import page_count, pdf_text, qr_payloads
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_an_administrator_makes_the_kits_of_all_138_communes_in_one_action(
    client, sysadmin, commune_a, tmp_path, settings
):
    settings.SITE_URL = "https://khaibaof0.tuyenquang.gov.vn"
    DocumentTemplateSettings.objects.create(
        unit=commune_a,
        legal_bases=["x"],
        decision_recipients=["y"],
        health_station_phone="0207 3822 115",
    )
    client.force_login(sysadmin)
    assert "138 xã" in client.get("/documents/outreach/").content.decode()
    response = client.post("/documents/outreach/", {"district": ""})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 138 + 1 and "tat-ca-cac-xa.pdf" in names
    assert page_count(archive.read("tat-ca-cac-xa.pdf")) == 2 * 138

    kit = archive.read(f"{commune_a.code}-ap-phich-khai-bao-F0.pdf")
    if shots := os.environ.get("SCREENSHOTS_DIR"):
        (Path(shots) / "poster.pdf").write_bytes(kit)
    assert page_count(kit) == 2
    text = pdf_text(kit)
    assert "ỦY BAN NHÂN DÂN XÃ TRÀNG ĐÀ" in text
    assert "KHAI BÁO F0 TRỰC TUYẾN" in text
    assert "Quét mã QR" in text and "bấm «Gửi»" in text
    assert "https://khaibaof0.tuyenquang.gov.vn/khai-bao/" in text
    assert "0207 3822 115" in text and "115" in text
    assert "THÔNG BÁO TRÊN LOA TRUYỀN THANH" in text
    assert "Ủy ban nhân dân xã Tràng Đà thông báo" in text
    assert qr_payloads(kit, tmp_path, page_number=1) == [
        "https://khaibaof0.tuyenquang.gov.vn/khai-bao/"
    ]

    entry = AuditEntry.objects.get(action="outreach.kit")
    assert entry.actor == sysadmin and entry.detail == {"communes": 138}


def test_one_districts_kits_and_a_leaders_own(client, sysadmin, leader_a, commune_a):
    district = Unit.objects.get(unit_set__code="gso-2021", code="070")
    client.force_login(sysadmin)
    response = client.post("/documents/outreach/", {"district": district.pk})
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 15 + 1  # Thành phố Tuyên Quang: 15 communes and wards

    client.force_login(leader_a)
    page = client.get("/documents/outreach/").content.decode()
    assert "1 xã" in page and 'name="district"' not in page
    response = client.post("/documents/outreach/", {"district": district.pk})
    # A leader's choice of district is not even a field: his commune only.
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == [f"{commune_a.code}-ap-phich-khai-bao-F0.pdf", "tat-ca-cac-xa.pdf"]


def test_others_may_not_make_kits(client, officer_a, district_staff, province_health):
    for user in (officer_a, district_staff, province_health):
        client.force_login(user)
        assert client.get("/documents/outreach/").status_code == 403
        assert client.post("/documents/outreach/", {}).status_code == 403
    assert not AuditEntry.objects.filter(action="outreach.kit").exists()
