"""A household declared together (issue 13 part 3) and the form's completeness (issue 14
item 21): names without diacritics, the vaccine answer, the check page, required marks."""

import re
import uuid

import pytest
from django.urls import reverse

from cases.models import Case
from cases.services import MemberDeclaration, household_declare
from cases.testing import declaration_values
from notifications.backends import FileSMSBackend
from public.tests.flow import consent, fill, form_data
from units.testing import unit


def status_token(case):
    from cases.monitoring import STATUS, link_for, token_for

    return token_for(link_for(case), STATUS)


# The mother declares herself, her son (a child: her details as guardian) and her father
# (over 80, no papers: declared by her as a relative).
SON = {
    "full_name": "Trần Minh Khang",
    "date_of_birth": "2016-02-10",
    "sex": "male",
    "id_type": "none",
    "id_number": "",
    "guardian_name": "Nguyễn Thị Hoa",
    "guardian_id_number": "008190123456",
    "guardian_phone": "0912345678",
}
GRANDFATHER = {**SON, "full_name": "Nguyễn Văn Tư", "date_of_birth": "1940-07-01"}


def add_member(client, **overrides):
    client.post(reverse("public:declare_check"), {"action": "add"})
    return fill(client, **overrides)


def send(client):
    key = client.session["declaration"]["key"]
    return client.post(reverse("public:declare_check"), {"key": key, "action": "send"})


@pytest.mark.django_db
def test_a_household_of_three_is_one_submission_with_three_codes_and_one_phone_code(
    client, units, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PHONE_VERIFICATION_REQUIRED = True
    settings.SMS_BACKEND = "notifications.backends.FileSMSBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    consent(client)
    assert fill(client).status_code == 302
    # The next member's form keeps the address and phone, not the person.
    client.post(reverse("public:declare_check"), {"action": "add"})
    page = client.get(reverse("public:declare_form")).content.decode()
    assert "người thứ 2 trong hộ" in page
    assert 'value="Thôn Cầu Bâm"' in page and 'value="0912345678"' in page
    assert 'value="Nguyễn Thị Hoa"' not in page
    assert fill(client, **SON).status_code == 302
    grandfather = add_member(client, **GRANDFATHER)
    assert grandfather.status_code == 302, grandfather.context["form"].errors

    check = client.get(reverse("public:declare_check")).content.decode()
    for name in ("Nguyễn Thị Hoa", "Trần Minh Khang", "Nguyễn Văn Tư"):
        assert name in check
    assert "Gửi khai báo cho 3 người" in check
    assert not Case.objects.exists()

    # One code proves the shared phone for the whole household.
    assert send(client)["Location"] == reverse("public:declare_phone")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("public:declare_phone"), {"action": "send"})
    (sms,) = FileSMSBackend().read()
    code = re.search(r"\b(\d{6})\b", sms["text"]).group(1)
    verified = client.post(reverse("public:declare_phone"), {"action": "verify", "code": code})
    assert verified["Location"] == reverse("public:declare_check")
    assert send(client)["Location"] == reverse("public:declare_done")

    cases = list(Case.objects.order_by("pk"))
    assert [c.full_name for c in cases] == ["Nguyễn Thị Hoa", "Trần Minh Khang", "Nguyễn Văn Tư"]
    assert len({c.tracking_code for c in cases}) == 3
    assert len({c.household_key for c in cases}) == 1 and cases[0].household_key is not None
    assert cases[2].guardian_name == "Nguyễn Thị Hoa" and cases[2].id_number == ""
    done = client.get(reverse("public:declare_done")).content.decode()
    assert "Đã gửi khai báo cho 3 người" in done
    assert "là địa chỉ riêng của người đó" in done
    for case in cases:
        assert case.tracking_code in done
        # Each member's lasting link and earliest recovery date, as a single declarant's.
        assert f"Khai báo khỏi bệnh từ ngày {case.isolation_end:%d/%m/%Y}" in done
        assert reverse("public:status_link", args=[status_token(case)]) in done
        # Each member's status page is open to this browser.
        assert (
            client.get(reverse("public:status_case", args=[case.tracking_code])).status_code == 200
        )
    assert [s for s in FileSMSBackend().read() if code in s["text"]] == [sms]


@pytest.mark.django_db
def test_a_household_sent_twice_is_written_once(client, units):
    consent(client)
    fill(client)
    add_member(client, **SON)
    key = client.session["declaration"]["key"]
    first = client.post(reverse("public:declare_check"), {"key": key, "action": "send"})
    again = client.post(reverse("public:declare_check"), {"key": key, "action": "send"})
    assert first["Location"] == again["Location"] == reverse("public:declare_done")
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_the_service_answers_a_retried_household_from_its_receipts(units):
    commune = unit("02209")
    members = [
        MemberDeclaration(commune=commune, values=declaration_values()),
        MemberDeclaration(
            commune=commune,
            values=declaration_values(full_name="Trần Văn Bình", id_number="008090123457"),
        ),
    ]
    key = uuid.uuid4()
    first = household_declare(members=members, submission_key=key)
    again = household_declare(members=members, submission_key=key)
    assert [r.case.pk for r in first] == [r.case.pk for r in again]
    assert all(r.replayed for r in again) and Case.objects.count() == 2
    # Alone, a person is declared as before: no household.
    (alone,) = household_declare(
        members=[
            MemberDeclaration(
                commune=commune,
                values=declaration_values(full_name="Lê Thị Cúc", id_number="008190123458"),
            )
        ],
        submission_key=uuid.uuid4(),
    )
    assert alone.case.household_key is None


@pytest.mark.django_db
def test_a_person_is_declared_once_per_household_and_nothing_typed_is_lost(client, units):
    consent(client)
    fill(client)
    twice = add_member(client, full_name="Nguyễn Thị Hằng")
    assert twice.status_code == 200
    assert "đã khai cho Nguyễn Thị Hoa" in twice.context["form"].errors["id_number"][0]
    assert 'value="Nguyễn Thị Hằng"' in twice.content.decode()


@pytest.mark.django_db
def test_a_member_is_edited_or_removed_from_the_check_page(client, units):
    consent(client)
    fill(client)
    add_member(client, **SON)
    client.post(reverse("public:declare_check"), {"action": "edit", "member": "1"})
    page = client.get(reverse("public:declare_form")).content.decode()
    assert 'value="Trần Minh Khang"' in page
    fill(client, **{**SON, "full_name": "Trần Minh Khoa"})
    client.post(reverse("public:declare_check"), {"action": "remove", "member": "0"})
    check = client.get(reverse("public:declare_check")).content.decode()
    assert "Trần Minh Khoa" in check and "Nguyễn Thị Hoa</h2>" not in check
    send(client)
    assert list(Case.objects.values_list("full_name", flat=True)) == ["Trần Minh Khoa"]


@pytest.mark.django_db
def test_an_elderly_parent_without_papers_is_declared_by_a_relative(client, units):
    consent(client)
    no_relative = fill(client, **{**GRANDFATHER, "guardian_name": "", "guardian_phone": ""})
    errors = no_relative.context["form"].errors
    assert (
        "Người chưa có giấy tờ: cần họ tên người giám hộ hoặc người thân"
        in errors["guardian_name"][0]
    )
    assert "guardian_phone" in errors and "id_type" not in errors
    assert fill(client, **GRANDFATHER).status_code == 302
    send(client)
    case = Case.objects.get()
    assert (case.full_name, case.guardian_id_number, case.guardian_phone) == (
        "Nguyễn Văn Tư",
        "008190123456",
        "0912345678",
    )


# Issue 14 item 21 ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_name_without_diacritics_is_confirmed_or_fixed_before_it_is_printed(client, units):
    consent(client)
    asked = fill(client, full_name="nguyen van an")
    assert asked.status_code == 200
    assert "«nguyen van an» chưa có dấu" in asked.context["form"].errors["full_name"][0]
    html = asked.content.decode()
    assert 'name="full_name_confirmed"' in html and 'value="nguyen van an"' in html
    # Fixed: passes. Or kept and confirmed: passes as typed.
    assert fill(client, full_name="Nguyễn Văn An").status_code == 302
    assert fill(client, full_name="nguyen van an", full_name_confirmed="on").status_code == 302
    send(client)
    assert Case.objects.get().full_name == "nguyen van an"


@pytest.mark.django_db
def test_a_guardian_name_without_diacritics_is_asked_about_too(client, units):
    consent(client)
    asked = fill(client, **{**SON, "guardian_name": "nguyen thi hoa"})
    assert "chưa có dấu" in asked.context["form"].errors["guardian_name"][0]


@pytest.mark.django_db
def test_the_vaccine_answer_is_not_chosen_for_the_person(client, units):
    consent(client)
    html = client.get(reverse("public:declare_form")).content.decode()
    select = re.search(r'<select name="vaccine_doses".*?</select>', html, re.S).group(0)
    # A browser shows the first option when none is selected: it must ask, not answer.
    options = re.findall(r'<option value="([^"]*)"', select)
    assert options[0] == "" and "Chọn số mũi" in select
    assert not re.search(r'value="[0-9]" selected', select)
    skipped = fill(client, vaccine_doses="")
    assert (
        "Vui lòng chọn một mục (chọn «Chưa tiêm»"
        in skipped.context["form"].errors["vaccine_doses"][0]
    )


@pytest.mark.django_db
def test_every_answer_is_on_the_check_page(client, units):
    consent(client)
    answers = {
        "full_name": "Phạm Thị Lụa",
        "date_of_birth": "1991-04-12",
        "id_number": "008191123456",
        "email": "lua@example.vn",
        "house_number": "Số 12 đường Tân Trào",
        "workplace": "Công ty Giày Phúc Yên",
        "social_insurance_number": "0123456789",
        "test_place": "Trạm Y tế xã",
        "vaccine_doses": "3",
        "last_dose_date": "2021-12-20",
        "symptoms": ["cough"],
        "symptom_onset_date": form_data()["positive_test_date"],
        "spo2": "96",
        "breathing_rate": "22",
        "temperature": "38,4",
        "comorbidities": ["diabetes"],
        "pregnant": "on",
        "household_size": "5",
    }
    assert fill(client, **answers).status_code == 302, "the answers are valid"
    page = client.get(reverse("public:declare_check")).content.decode()
    onset = form_data()["positive_test_date"].split("-")
    shown = {
        "Phạm Thị Lụa",
        "12/04/1991",
        "008191123456",
        "lua@example.vn",
        "Số 12 đường Tân Trào",
        "Công ty Giày Phúc Yên",
        "0123456789",
        "Trạm Y tế xã",
        "3 mũi",
        "20/12/2021",
        "Ho",
        f"{onset[2]}/{onset[1]}/{onset[0]}</dd>",
        "SpO2 96%",
        "22/",
        "38,4°C",
        "Đái tháo đường",
        "Mang thai",
        "Số người trong hộ",
    }
    missing = {text for text in shown if text not in page}
    assert not missing
    assert "Bắt đầu có triệu chứng" in page


def _marked(html: str, name: str) -> bool:
    """Whether the label (or the legend of the fieldset) of field `name` carries the mark."""
    label = re.search(rf'<label[^>]*for="id_{name}"[^>]*>(.*?)</label>', html, re.S)
    if label is None:
        label = re.search(
            rf'<fieldset[^>]*id="id_{name}"[^>]*>\s*<legend[^>]*>(.*?)</legend>', html, re.S
        )
    return label is not None and "usa-hint--required" in label.group(1)


@pytest.mark.django_db
def test_every_required_answer_is_marked(client, units):
    html = client.get(reverse("public:declare_start")).content.decode()
    assert _marked(html, "consent")
    consent(client)
    response = client.get(reverse("public:declare_form"))
    html, form = response.content.decode(), response.context["form"]
    required = [n for n, f in form.fields.items() if f.required or getattr(f, "required_when", "")]
    assert {"id_number", "guardian_name", "guardian_phone", "vaccine_doses"} <= set(required)
    unmarked = [name for name in required if not _marked(html, name)]
    assert not unmarked
    assert "bắt buộc nếu chưa có giấy tờ" in html


@pytest.mark.django_db
def test_a_session_from_before_households_is_still_sent(client, units):
    """A draft written by the previous version (one person at the top level) is sent."""
    consent(client)
    fill(client)
    session = client.session
    state = session["declaration"]
    member = state.pop("members")[0]
    state.pop("current"), state.pop("phones_verified")
    state.update(member)
    session["declaration"] = state
    session.save()
    response = client.post(reverse("public:declare_check"), {"key": state["key"]})
    assert response["Location"] == reverse("public:declare_done")
    assert Case.objects.count() == 1
