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
