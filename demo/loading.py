"""Demo accounts for the Tuyên Quang deployment (make run); never loaded in production."""

from django.conf import settings
from django.db import transaction

from accounts.models import Role, User
from units.models import Unit

DEMO_PASSWORD = "demo-F0-2022"  # noqa: S105 - published demo credential

# username, full name, job title, role, GSO code of the unit (2021-2025 set, province 08)
DEMO_ACCOUNTS = [
    ("admin", "Quản trị Sở TTTT", "Chuyên viên CNTT", Role.SYSTEM_ADMIN, "08"),
    ("soyte", "Nguyễn Văn Hùng", "Chuyên viên Phòng Nghiệp vụ Y", Role.PROVINCE_HEALTH, "08"),
    ("tptq", "Trần Thị Lan", "Chuyên viên UBND thành phố", Role.DISTRICT_STAFF, "070"),
    ("sonduong", "Hoàng Văn Nam", "Cán bộ Trung tâm Y tế huyện", Role.DISTRICT_STAFF, "076"),
    ("phanthiet.canbo", "Lê Thị Hoa", "Cán bộ Trạm Y tế", Role.COMMUNE_OFFICER, "02200"),
    ("phanthiet.lanhdao", "Phạm Văn Quang", "Chủ tịch UBND phường", Role.COMMUNE_LEADER, "02200"),
    ("trangda.canbo", "Nông Thị Mai", "Cán bộ Trạm Y tế", Role.COMMUNE_OFFICER, "02209"),
    ("trangda.lanhdao", "Ma Văn Thắng", "Chủ tịch UBND xã", Role.COMMUNE_LEADER, "02209"),
    ("ttsonduong.canbo", "Đỗ Thị Thu", "Cán bộ Trạm Y tế", Role.COMMUNE_OFFICER, "02536"),
    (
        "ttsonduong.lanhdao",
        "Vũ Đức Thành",
        "Phó Chủ tịch UBND thị trấn",
        Role.COMMUNE_LEADER,
        "02536",
    ),
]


@transaction.atomic
def demo_accounts_load() -> list[User]:
    """Create or refresh the demo accounts; those whose unit is not loaded are skipped."""
    units = {
        u.code: u
        for u in Unit.objects.filter(
            unit_set__code=settings.UNIT_SET, code__in=[a[4] for a in DEMO_ACCOUNTS]
        )
    }
    users = []
    for username, full_name, job_title, role, code in DEMO_ACCOUNTS:
        unit = units.get(code)
        if unit is None:
            continue
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "job_title": job_title,
                "role": role,
                "unit": unit,
                "is_active": True,
                "must_change_password": False,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        users.append(user)
    return users


# The demo communes' health stations get a phone number, so that the citizen's pages, the
# danger-sign advice and the documents show one as a real commune's would (made up).
DEMO_STATION_PHONES = {"02209": "0207 3822 115", "02536": "0207 3838 115"}


def demo_stations_load() -> None:
    """Give the demo communes without wording of their own a health station phone."""
    from documents.composition import default_settings
    from documents.models import DocumentTemplateSettings

    communes = Unit.objects.filter(unit_set__code=settings.UNIT_SET, code__in=DEMO_STATION_PHONES)
    for commune in communes:
        if not DocumentTemplateSettings.objects.filter(unit=commune).exists():
            wording = default_settings(commune)
            wording.health_station_phone = DEMO_STATION_PHONES[commune.code]
            wording.save()


def _cassette_photo(name: str, day) -> bytes:
    """A drawn picture of a positive rapid test with the name and date written on it."""
    import io

    from PIL import Image, ImageDraw

    shade = sum(name.encode()) % 40
    image = Image.new("RGB", (900, 600), (236 - shade, 232 - shade // 2, 224))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (150, 200, 750, 400), radius=40, fill=(250, 250, 250), outline=(90, 90, 90), width=4
    )
    draw.rectangle((420, 250, 600, 350), fill=(245, 240, 235), outline=(150, 150, 150))
    for x, label in ((470, "C"), (550, "T")):
        draw.line((x, 255, x, 345), fill=(200, 30, 60), width=8)
        draw.text((x - 4, 355), label, fill=(60, 60, 60))
    draw.text((200, 250), name, fill=(20, 20, 120))
    draw.text((200, 280), day.strftime("%d/%m/%Y"), fill=(20, 20, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


# Three declarants per demo commune: a young man, a young woman, an older man with danger signs.
DEMO_DECLARANTS = [
    [
        ("Nông Văn Khánh", "male", (1987, 3, 14), 1),
        ("Hoàng Thị Thu Hà", "female", (1994, 11, 2), 0),
        ("Lương Văn Sơn", "male", (1952, 6, 20), 2),
    ],
    [
        ("Trần Minh Đức", "male", (1990, 8, 9), 1),
        ("Phạm Thị Ngọc", "female", (1998, 2, 17), 0),
        ("Đặng Văn Thịnh", "male", (1949, 12, 1), 2),
    ],
    [
        ("Hà Văn Tuấn", "male", (1985, 5, 30), 1),
        ("Ma Thị Hương", "female", (2000, 9, 23), 0),
        ("Quan Văn Lộc", "male", (1955, 4, 11), 2),
    ],
]


def demo_declarations_load() -> int:
    """A few fresh declarations with photos in each demo commune, through the real service."""
    import uuid
    from datetime import date, timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from cases.services import case_declare
    from uploads.services import upload_create

    communes = Unit.objects.filter(
        unit_set__code=settings.UNIT_SET, code__in=["02209", "02200", "02536"]
    ).order_by("code")
    created = 0
    today = timezone.localdate()
    for c_index, commune in enumerate(communes):
        for p_index, (name, sex, born, days_ago) in enumerate(DEMO_DECLARANTS[c_index % 3]):
            birth = date(*born)
            tested = today - timedelta(days=days_ago)
            serial = 900000 + c_index * 10 + p_index
            digit = (birth.year - 1900) // 100 * 2 + (1 if sex == "female" else 0)
            photo = upload_create(
                file=ContentFile(_cassette_photo(name, tested), name="test.jpg"), kind="test_photo"
            )
            case_declare(
                commune=commune,
                values={
                    "full_name": name,
                    "date_of_birth": birth,
                    "sex": sex,
                    "id_type": "cccd",
                    "id_number": f"008{digit}{birth.year % 100:02d}{serial:06d}",
                    "phone": f"0912{serial:06d}",
                    "village": "Tổ dân phố 3",
                    "test_type": "rapid_self",
                    "positive_test_date": tested,
                    "vaccine_doses": 2 if p_index != 2 else 1,
                    "symptoms": ["fever", "cough"] if p_index != 2 else ["breathlessness"],
                    "spo2": 97 if p_index != 2 else 95,
                    "comorbidities": [] if p_index != 2 else ["hypertension"],
                },
                test_photo=photo,
                submission_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-{commune.code}-{p_index}"),
            )
            created += 1
    return created
