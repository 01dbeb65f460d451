from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from cases.retention import PURGED_NAME, cases_purge_personal_data
from cases.services import case_reject
from cases.testing import make_case, photo_file
from uploads.models import Upload
from uploads.services import upload_create


@pytest.mark.django_db(transaction=True)
def test_personal_data_goes_after_the_retention_period_and_statistics_stay(
    commune_a, officer_a, settings
):
    import uuid

    from cases.services import case_declare
    from cases.testing import declaration_values, ensure_rules

    ensure_rules()

    photo = upload_create(file=photo_file(), kind="test_photo")
    old = case_declare(
        commune=commune_a,
        values=declaration_values(),
        test_photo=photo,
        submission_key=uuid.uuid4(),
    ).case
    case_reject(case=old, by=officer_a, reason="duplicate")
    open_case = make_case(commune_a)
    recent = make_case(commune_a)
    case_reject(case=recent, by=officer_a, reason="duplicate")
    Case.objects.filter(pk=old.pk).update(
        closed_at=timezone.now() - timedelta(days=settings.CASE_RETENTION_DAYS + 1)
    )
    file_name = photo.file.name

    assert cases_purge_personal_data() == 1
    old.refresh_from_db()
    assert old.full_name == PURGED_NAME and old.id_number == "" and old.phone == ""
    assert old.date_of_birth.month == 1 and old.date_of_birth.day == 1
    assert (old.status, old.commune, old.positive_test_date) == (
        "rejected",
        commune_a,
        old.positive_test_date,
    )
    assert not Upload.objects.filter(pk=photo.pk).exists()
    assert not photo.file.storage.exists(file_name)
    # Open and recently closed cases are untouched; a second run does nothing.
    for case in (open_case, recent):
        case.refresh_from_db()
        assert case.full_name == "Nguyễn Thị Hoa" and case.id_number
    assert cases_purge_personal_data() == 0
