"""A batch of documents whose worker died is finished by the next one, numbers unbroken."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from documents import batches
from documents.models import Document
from documents.tests.conftest import accept, decision_of
from jobs.models import BulkJob

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: the document in hand is rolled back, nothing catches it."""


def test_a_batch_whose_worker_died_is_issued_once_each_with_unbroken_numbers(
    commune_a, officer_a, leader_a, login, client, django_capture_on_commit_callbacks
):
    cases = [accept(commune_a, officer_a, full_name=f"Người Số {i}") for i in range(6)]
    real = batches.document_issue
    calls = []

    def issue(**kwargs):
        calls.append(kwargs["document"].pk)
        real(**kwargs)
        if len(calls) == 3:
            raise WorkerKilled  # after the third document's writes, before their commit

    login(leader_a)
    with mock.patch.object(batches, "document_issue", issue):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("documents:batch_create"), {"all_pending": "1"})
            job = BulkJob.objects.get()
            client.post(reverse("documents:batch_confirm", args=[job.pk]), {"confirm": "1"})
        job.refresh_from_db()
        assert (job.state, job.done) == ("running", 2)
        moved = timezone.now() + timedelta(minutes=10)
        with mock.patch("django.utils.timezone.now", return_value=moved):
            call_command("maintenance", "bulk_jobs_resume")

    job.refresh_from_db()
    assert (job.state, job.done, job.failed, job.resumed_count) == ("done", 6, 0, 1)
    assert sorted(d.number for d in map(decision_of, cases)) == [1, 2, 3, 4, 5, 6]
    assert len(calls) == 7 and len(set(calls)) == 6  # only the third was in hand twice
    assert not Document.objects.filter(state="prepared", kind="isolation_decision").exists()
    page = client.get(reverse("documents:batch", args=[job.pk])).content.decode()
    assert "Đã ban hành 6 văn bản; 0 văn bản không ban hành được." in page
    assert "việc đã được tự động tiếp tục" in page
