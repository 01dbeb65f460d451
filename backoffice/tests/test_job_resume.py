"""A bulk decision whose worker dies is finished by the next one, each case acted on once."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from backoffice import imports, services
from backoffice.tests.test_import import person, upload
from cases.choices import Status
from cases.models import Case, CaseEvent
from cases.testing import make_case
from jobs import runner
from jobs.models import BulkJob


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the runner catches it, and the transaction of the case
    in hand is rolled back, as the database does when its client dies."""


def accept_dying_at(number: int, on_call=None):
    """case_accept as the bulk job calls it, with the worker killed at the `number`-th case
    (once) and `on_call(n)` run before the n-th."""
    real = services.case_accept
    seen = {"n": 0, "killed": False}

    def accept(**kwargs):
        seen["n"] += 1
        if on_call:
            on_call(seen["n"])
        result = real(**kwargs)
        if seen["n"] == number and not seen["killed"]:
            seen["killed"] = True
            raise WorkerKilled
        return result

    return mock.patch.object(services, "case_accept", accept)


def later(minutes: int):
    moved = timezone.now() + timedelta(minutes=minutes)
    return mock.patch("django.utils.timezone.now", return_value=moved)


def start_bulk_accept(client, login, officer):
    login(officer)
    client.post(reverse("backoffice:bulk"), {"action": "accept", "scope": "all", "q": ""})
    job = BulkJob.objects.get()
    client.post(reverse("backoffice:job_confirm", args=[job.pk]))
    return job


@pytest.mark.django_db
def test_a_bulk_accept_whose_worker_died_at_18_of_200_is_finished_by_maintenance(
    client, login, officer_a, commune_a
):
    cases = [make_case(commune_a) for _ in range(200)]
    with accept_dying_at(19):
        job = start_bulk_accept(client, login, officer_a)
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("running", 18, 0)
    assert Case.objects.filter(status=Status.ACCEPTED).count() == 18  # the 19th rolled back
    page = client.get(reverse("backoffice:job", args=[job.pk])).content.decode()
    assert "Đang xử lý" in page and re.search(r'<progress max="200" value="18"', page)

    with later(10):
        call_command("maintenance", "bulk_jobs_resume")

    job.refresh_from_db()
    assert (job.state, job.done, job.failed, job.total) == ("done", 200, 0, 200)
    assert Case.objects.filter(status=Status.ACCEPTED).count() == 200
    for case in cases:
        assert CaseEvent.objects.filter(case=case, kind="accepted").count() == 1
    assert AuditEntry.objects.filter(action="case.accept", detail__job=job.pk).count() == 200
    page = client.get(reverse("backoffice:job", args=[job.pk])).content.decode()
    assert "Đã xong" in page and re.search(r'<progress max="200" value="200"', page)
    assert "việc đã được tự động tiếp tục từ mục chưa làm" in page
    listing = client.get(reverse("backoffice:jobs")).content.decode()
    assert "200 xong, 0 lỗi / 200" in listing
    assert "tự động tiếp tục sau khi máy xử lý bị dừng" in listing


@pytest.mark.django_db
def test_a_bulk_accept_started_twice_acts_on_each_case_once_and_adds_up(
    client, login, officer_a, commune_a
):
    [make_case(commune_a) for _ in range(200)]
    second_runs = []

    def start_again(n):
        if n == 5:  # a retry of the task, or a second worker, while the first runs
            second_runs.append(runner.job_run(job_id=BulkJob.objects.get().pk))

    with accept_dying_at(0, on_call=start_again):
        job = start_bulk_accept(client, login, officer_a)
    job.refresh_from_db()
    assert second_runs[0].processed == 4  # it found the job claimed and left
    assert (job.state, job.done, job.failed, job.total) == ("done", 200, 0, 200)
    assert job.errors == []
    assert AuditEntry.objects.filter(action="case.accept", detail__job=job.pk).count() == 200


@pytest.mark.django_db
def test_an_import_whose_worker_died_is_finished_without_duplicates(client, login, officer_a):
    real = imports.case_declare
    rows = []

    def declare(**kwargs):
        rows.append(kwargs["audit_detail"]["row"])
        result = real(**kwargs)
        if len(rows) == 3:
            raise WorkerKilled
        return result

    login(officer_a)
    upload(client, [person(n) for n in range(1, 7)])
    job = BulkJob.objects.get()
    with mock.patch.object(imports, "case_declare", declare):
        client.post(reverse("backoffice:job_confirm", args=[job.pk]))
        assert Case.objects.count() == 2
        with later(10):
            call_command("maintenance", "bulk_jobs_resume")
    job.refresh_from_db()
    assert (job.state, job.done, job.failed, job.total) == ("done", 6, 0, 6)
    assert job.params["outcomes"] == {"created": 6}
    assert Case.objects.count() == 6
    assert AuditEntry.objects.filter(action="case.import").count() == 6
    assert len(rows) == 7 and rows.count(rows[2]) == 2  # only the row in hand came twice
