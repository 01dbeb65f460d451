import pytest

from audit.models import AuditEntry
from documents.models import DocumentTemplateSettings
from documents.selectors import wording_for
from documents.services import document_issue
from documents.tests.conftest import decision_of
from documents.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

URL = "/documents/settings/"


def form_data(**overrides) -> dict:
    data = {
        "signer_title": "vice_chairman",
        "signer_name": "Nguyễn Văn Thành",
        "leader_must_issue": "on",
        "legal_bases": "Căn cứ Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007\n"
        "Căn cứ Văn bản số 99/UBND-VX ngày 01 tháng 4 năm 2022 của UBND {huyen}",
        "decision_recipients": "Như Điều 3\nUBND {huyen} (b/c)",
        "confirmation_recipients": "",
        "decision_symbol": "QĐ-UBND",
        "confirmation_symbol": "XN-UBND",
        "health_station": "",
        "social_insurance_note": "on",
        "signer_kind": "pkcs12",
    }
    data.update(overrides)
    return data


def test_defaults_are_the_tuyen_quang_wording_of_2022(commune_a, monkeypatch):
    from core.tests.clock import set_local_clock

    set_local_clock(monkeypatch, "2022-04-02 09:00")
    wording = wording_for(commune_a)
    assert wording.pk is None and wording.leader_must_issue
    assert any("1020/UBND-THCBKS" in basis for basis in wording.legal_bases)
    assert (wording.decision_symbol, wording.confirmation_symbol) == ("QĐ-UBND", "GXN-UBND")


def test_the_leader_sets_his_commune_wording_and_the_next_document_prints_it(
    accepted_case, login, leader_a, client, commune_a
):
    login(leader_a)
    assert "Đang dùng mẫu mặc định" in client.get(URL).content.decode()
    response = client.post(URL, form_data())
    assert response.status_code == 302
    row = DocumentTemplateSettings.objects.get(unit=commune_a)
    assert row.confirmation_symbol == "XN-UBND" and row.updated_by == leader_a
    assert AuditEntry.objects.filter(action="document.settings_change", actor=leader_a).exists()

    document = document_issue(document=decision_of(accepted_case), by=leader_a)
    text = pdf_text(document.file.open("rb").read())
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text and "Nguyễn Văn Thành" in text
    assert "ngày 01 tháng 4 năm 2022 của UBND thành phố Tuyên Quang" in text
    assert document.signer_title == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"


def test_the_province_default_applies_until_a_commune_has_its_own(
    login, sysadmin, client, units, commune_a
):
    from units.testing import unit

    province = unit("08")
    login(sysadmin)
    client.post(f"{URL}?unit={province.pk}", form_data(signer_name="", leader_must_issue=""))
    assert wording_for(commune_a).unit == province
    assert not wording_for(commune_a).leader_must_issue
    page = client.get(f"{URL}?unit={commune_a.pk}").content.decode()
    assert "Đơn vị này đang dùng mẫu của Tỉnh Tuyên Quang" in page
    client.post(f"{URL}?unit={commune_a.pk}", form_data())
    assert wording_for(commune_a).unit == commune_a


def test_a_leader_edits_only_his_own_commune(login, leader_a, client, commune_b):
    login(leader_a)
    response = client.post(f"{URL}?unit={commune_b.pk}", form_data(signer_name="Kẻ Khác"))
    assert response.status_code == 404
    assert not DocumentTemplateSettings.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a", "district_staff", "province_health"])
def test_others_may_not_edit_the_wording(persona, login, request, client):
    login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_legal_bases_are_required(login, leader_a, client):
    login(leader_a)
    response = client.post(URL, form_data(legal_bases="  \n "))
    assert "Vui lòng ghi ít nhất một căn cứ ban hành." in response.content.decode()
    assert not DocumentTemplateSettings.objects.exists()
