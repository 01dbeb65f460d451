"""An export whose builder was killed is taken up again, not left "being made" for ever."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.testing import make_case
from reports.exports.build import SheetWriter
from reports.exports.jobs import export_job_create
from reports.models import ExportJob


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the build catches it."""


def later(seconds: int):
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(seconds=seconds)
    )


def killed_build(district_staff) -> ExportJob:
    with (
        mock.patch.object(SheetWriter, "close", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        export_job_create(
            user=district_staff, kind=ExportJob.Kind.CASE_LIST, unit=district_staff.unit, params={}
        )
    return ExportJob.objects.get()


@pytest.mark.django_db
def test_an_export_whose_builder_was_killed_is_built_again_once_its_lease_ends(
    commune_a, district_staff
):
    make_case(commune_a)
    job = killed_build(district_staff)
    assert job.state == ExportJob.State.RUNNING and job.lease_holder

    call_command("maintenance", "exports_resume")  # the builder may still be alive
    job.refresh_from_db()
    assert job.state == ExportJob.State.RUNNING

    with later(301):
        call_command("maintenance", "exports_resume")
    job.refresh_from_db()
    # Test settings run the queued task at once; in production db_worker builds it.
    assert job.state == ExportJob.State.DONE and job.rows_done == 1
    assert job.file_name and job.resumed_count == 1
    assert (job.lease_holder, job.lease_expires_at) == ("", None)


@pytest.mark.django_db
def test_an_export_that_kills_its_builder_every_time_is_stopped_with_a_message(
    commune_a, district_staff
):
    make_case(commune_a)
    job = killed_build(district_staff)
    ExportJob.objects.filter(pk=job.pk).update(resumed_count=3)
    with later(301):
        call_command("maintenance", "exports_resume")
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert "khoảng thời gian ngắn hơn" in job.error
