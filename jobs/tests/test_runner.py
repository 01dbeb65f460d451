import pytest
from django.core.exceptions import ValidationError

from jobs import runner
from jobs.models import BulkJob
from jobs.tasks import bulk_job_run


def _halve(job, item):
    if item % 2:
        raise ValidationError("odd")
    return "big" if item > 10 else None


@pytest.fixture
def halving():
    """A kind registered the way the apps above jobs register theirs."""
    runner.register(
        runner.JobKind(
            code="test_halve", label="Halve", run_item=_halve, item_ref=lambda job, n: f"#{n}"
        )
    )
    yield
    del runner._KINDS["test_halve"]


@pytest.mark.django_db
def test_a_registered_kind_runs_item_by_item(halving, commune_a, officer_a):
    job = BulkJob.objects.create(
        kind="test_halve",
        state=BulkJob.State.QUEUED,
        commune=commune_a,
        created_by=officer_a,
        items=[2, 3, 12, 4],
        total=4,
    )
    bulk_job_run.enqueue(job.pk)
    job.refresh_from_db()
    assert (job.state, job.cursor, job.done, job.failed) == (BulkJob.State.DONE, 4, 3, 1)
    assert job.errors == [{"ref": "#3", "message": "odd"}]
    assert job.params["outcomes"] == {"big": 1}
    assert job.percent == 100
    assert runner.label_of("test_halve") == "Halve"
    assert runner.label_of("unknown_kind") == "unknown_kind"
    assert runner.kind_or_none("unknown_kind") is None
