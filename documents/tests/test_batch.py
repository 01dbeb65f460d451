import pytest
from django.urls import reverse

from cases.services import case_close
from documents.models import Document
from documents.tests.conftest import accept, decision_of
from jobs.models import BulkJob

pytestmark = pytest.mark.django_db


def sign_batch(client, data):
    """Choose documents on the queue, then confirm the preview: what a leader does."""
    response = client.post(reverse("documents:batch_create"), data)
    job = BulkJob.objects.latest("pk")
    assert job.state == "preview" and not Document.objects.exclude(number=None).exists()
    client.post(reverse("documents:batch_confirm", args=[job.pk]), {"confirm": "1"})
    return response


@pytest.fixture
def pending(commune_a, officer_a):
    """Five accepted cases, their decisions prepared."""
    return [accept(commune_a, officer_a, full_name=f"Người Số {i}") for i in range(5)]


def test_the_queue_lists_the_commune_prepared_documents(pending, login, leader_a, client):
    login(leader_a)
    page = client.get(reverse("documents:pending")).content.decode()
    assert "5 văn bản chờ ban hành" in page
    assert "Xem lại và ban hành tất cả (5)" in page
    for case in pending:
        assert case.tracking_code in page


def test_a_case_closed_before_its_decision_leaves_the_queue_and_the_next_batch(
    pending, login, leader_a, officer_a, client, django_capture_on_commit_callbacks
):
    case_close(case=pending[2], by=officer_a, outcome="hospitalised")
    login(leader_a)
    page = client.get(reverse("documents:pending")).content.decode()
    assert "4 văn bản chờ ban hành" in page
    assert pending[2].tracking_code not in page
    with django_capture_on_commit_callbacks(execute=True):
        sign_batch(client, {"all_pending": "1"})
    job = BulkJob.objects.get()
    assert (job.state, job.total, job.done, job.failed) == ("done", 4, 4, 0)


def test_issue_all_runs_in_the_background_and_reports_failures_with_reasons(
    pending, login, leader_a, officer_a, client, django_capture_on_commit_callbacks
):
    login(leader_a)
    response = client.post(reverse("documents:batch_create"), {"all_pending": "1"})
    job = BulkJob.objects.get()
    # The third went to hospital after the preview was made: its draft is discarded.
    case_close(case=pending[2], by=officer_a, outcome="hospitalised")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:batch_confirm", args=[job.pk]), {"confirm": "1"})
    job = BulkJob.objects.get()
    assert response["Location"] == reverse("documents:batch", args=[job.pk])
    assert (job.state, job.total, job.done, job.failed) == ("done", 5, 4, 1)
    numbers = sorted(Document.objects.exclude(number=None).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]

    page = client.get(response["Location"]).content.decode()
    assert "Đã ban hành 4 văn bản; 1 văn bản không ban hành được." in page
    assert pending[2].tracking_code in page
    assert "Dự thảo đã được hủy vì hồ sơ đã kết thúc" in page  # why, in words
    assert "hx-get" not in page  # finished: no more polling


def test_a_chosen_few_are_issued_and_the_progress_part_answers_htmx(
    pending, login, leader_a, client, django_capture_on_commit_callbacks
):
    login(leader_a)
    chosen = [decision_of(case).pk for case in pending[:2]]
    with django_capture_on_commit_callbacks(execute=True):
        sign_batch(client, {"documents": chosen})
    job = BulkJob.objects.get()
    assert job.done == 2
    assert set(Document.objects.exclude(number=None).values_list("pk", flat=True)) == set(chosen)
    part = client.get(reverse("documents:batch", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert part.content.decode().lstrip().startswith('<div id="batch-progress"')


def test_nothing_chosen_is_refused_in_words(pending, login, leader_a, client):
    login(leader_a)
    response = client.post(reverse("documents:batch_create"), {}, follow=True)
    assert "Vui lòng chọn ít nhất một văn bản để ban hành." in response.content.decode()
    assert not BulkJob.objects.exists()


def test_an_officer_of_a_two_step_commune_cannot_batch_issue(pending, login, officer_a, client):
    login(officer_a)
    page = client.get(reverse("documents:pending")).content.decode()
    assert "Ban hành tất cả" not in page
    response = client.post(reverse("documents:batch_create"), {"all_pending": "1"})
    assert response.status_code == 403
    assert not BulkJob.objects.exists()


def test_another_commune_sees_neither_the_queue_nor_the_batch(
    pending, login, leader_a, leader_b, client, django_capture_on_commit_callbacks
):
    login(leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        sign_batch(client, {"all_pending": "1"})
    job = BulkJob.objects.get()
    login(leader_b)
    assert "0 văn bản chờ ban hành" in client.get(reverse("documents:pending")).content.decode()
    assert client.get(reverse("documents:batch", args=[job.pk])).status_code == 404
    # Documents of commune A smuggled into commune B's request are ignored.
    response = client.post(
        reverse("documents:batch_create"), {"documents": [decision_of(pending[1]).pk]}
    )
    assert response.status_code == 302 and BulkJob.objects.count() == 1
