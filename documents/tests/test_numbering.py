import contextlib
import multiprocessing
import threading
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, connections

from documents.models import Document, DocumentCounter, Kind
from documents.services import document_issue
from documents.tests.concurrency import InjectedFailure, failing_render, issue_in_process
from documents.tests.conftest import accept, decision_of

FAIL_NAME = "Lỗi Giữa Chừng"


def stored_files() -> list[str]:
    if not default_storage.exists("documents"):
        return []
    found = []

    def walk(folder):
        folders, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}" for name in files)
        for name in folders:
            walk(f"{folder}/{name}")

    walk("documents")
    return found


def issued_numbers(commune) -> list[int]:
    return sorted(
        Document.objects.filter(commune=commune, kind=Kind.ISOLATION_DECISION)
        .exclude(number=None)
        .values_list("number", flat=True)
    )


@pytest.mark.django_db
def test_numbers_show_two_digits_and_follow_each_other(commune_a, officer_a, leader_a):
    labels = [
        document_issue(document=decision_of(accept(commune_a, officer_a)), by=leader_a).number_label
        for _ in range(3)
    ]
    assert labels == ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"]


@pytest.mark.django_db
def test_each_commune_has_its_own_series(
    commune_a, commune_b, officer_a, officer_b, leader_a, leader_b
):
    document_issue(document=decision_of(accept(commune_a, officer_a)), by=leader_a)
    other = document_issue(document=decision_of(accept(commune_b, officer_b)), by=leader_b)
    assert other.number_label == "01/QĐ-UBND"


@pytest.mark.django_db
def test_numbering_restarts_with_the_local_calendar_year(commune_a, officer_a, leader_a):
    first = document_issue(document=decision_of(accept(commune_a, officer_a)), by=leader_a)
    second_case = accept(commune_a, officer_a)
    # 17:30 UTC on 31 December is already 00:30 on 1 January in Viet Nam.
    new_year = datetime(first.issued_on.year, 12, 31, 17, 30, tzinfo=ZoneInfo("UTC"))
    with mock.patch("documents.services.timezone.now", return_value=new_year):
        # By then the isolation period is over: confirmed, as the leader would.
        second = document_issue(
            document=decision_of(second_case), by=leader_a, confirm_past_period=True
        )
    assert second.year == first.year + 1
    assert second.number_label == "01/QĐ-UBND"
    assert second.issued_on.isoformat() == f"{first.issued_on.year + 1}-01-01"


@pytest.mark.django_db
def test_a_failure_while_issuing_gives_the_number_back(commune_a, officer_a, leader_a):
    ok = accept(commune_a, officer_a)
    failing = accept(commune_a, officer_a, full_name=FAIL_NAME)
    later = accept(commune_a, officer_a)
    document_issue(document=decision_of(ok), by=leader_a)
    with (
        mock.patch("documents.composition.render", failing_render(FAIL_NAME)),
        pytest.raises(InjectedFailure),
    ):
        document_issue(document=decision_of(failing), by=leader_a)
    assert decision_of(failing).is_prepared
    assert document_issue(document=decision_of(later), by=leader_a).number == 2
    assert issued_numbers(commune_a) == [1, 2]


@pytest.mark.django_db
def test_a_failure_after_the_file_is_written_leaves_no_file(commune_a, officer_a, leader_a):
    case = accept(commune_a, officer_a)
    # Storing the issued row is the last step, after the file.
    with (
        mock.patch.object(Document, "save", side_effect=RuntimeError("database down")),
        pytest.raises(RuntimeError),
    ):
        document_issue(document=decision_of(case), by=leader_a)
    assert stored_files() == []
    assert not DocumentCounter.objects.filter(last_number__gt=0).exists()
    assert document_issue(document=decision_of(case), by=leader_a).number == 1
    assert len(stored_files()) == 1


@pytest.mark.django_db
def test_a_failure_while_signing_takes_back_the_event_audit_entry_and_message(
    commune_a, officer_a, leader_a
):
    """The rows written while the document is laid out go with the rest on a failure."""
    from audit.models import AuditEntry
    from cases.choices import EventKind
    from notifications.models import Notification

    case = accept(commune_a, officer_a)
    with (
        mock.patch("documents.signing.sign_pdf", side_effect=RuntimeError("token unplugged")),
        pytest.raises(RuntimeError),
    ):
        document_issue(document=decision_of(case), by=leader_a)
    assert decision_of(case).is_prepared and stored_files() == []
    assert not case.events.filter(kind=EventKind.DOCUMENT_ISSUED).exists()
    assert not AuditEntry.objects.filter(action="document.issue").exists()
    assert not Notification.objects.filter(kind="decision_issued").exists()

    issued = document_issue(document=decision_of(case), by=leader_a)
    assert issued.number == 1
    assert case.events.filter(kind=EventKind.DOCUMENT_ISSUED).count() == 1
    assert AuditEntry.objects.filter(action="document.issue").count() == 1
    assert Notification.objects.filter(kind="decision_issued").count() == 1


def _prepared(commune, officer, count: int) -> list[int]:
    """`count` prepared decisions, the middle one bound to fail when issued."""
    ids = []
    for i in range(count):
        name = FAIL_NAME if i == count // 2 else f"Người Thứ {i}"
        ids.append(decision_of(accept(commune, officer, full_name=name)).pk)
    return ids


@pytest.mark.django_db(transaction=True)
def test_concurrent_threads_issue_unique_gapless_numbers(
    seeded_rules, commune_a, officer_a, leader_a
):
    ids = _prepared(commune_a, officer_a, 24)
    workers = 6
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work(share: list[int]):
        try:
            start.wait()
            for pk in share:
                with contextlib.suppress(InjectedFailure):
                    document_issue(document=Document.objects.get(pk=pk), by=leader_a)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("documents.composition.render", failing_render(FAIL_NAME)):
        threads = [threading.Thread(target=work, args=(ids[i::workers],)) for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert issued_numbers(commune_a) == list(range(1, 24))
    assert Document.objects.filter(pk__in=ids, state="prepared").count() == 1
    assert len(stored_files()) == 23


@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_issue_unique_gapless_numbers(
    seeded_rules, commune_a, officer_a, leader_a
):
    ids = _prepared(commune_a, officer_a, 12)
    database = {"NAME": connection.settings_dict["NAME"]}
    connections.close_all()
    spawn = multiprocessing.get_context("spawn")
    with mock.patch.dict("os.environ", {"VAR_DIR": str(settings.VAR_DIR)}):
        processes = [
            spawn.Process(
                target=issue_in_process, args=(database, ids[i::3], leader_a.pk, FAIL_NAME)
            )
            for i in range(3)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0, 0]
    assert issued_numbers(commune_a) == list(range(1, 12))
    assert DocumentCounter.objects.get(commune=commune_a).last_number == 11


@pytest.mark.django_db
def test_a_file_whose_caller_rolled_back_is_purged_later(commune_a, officer_a, leader_a):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from documents.files import files_purge_orphans

    kept = document_issue(document=decision_of(accept(commune_a, officer_a)), by=leader_a)
    lost = accept(commune_a, officer_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        document_issue(document=decision_of(lost), by=leader_a)
        raise RuntimeError("the batch job's own write failed after the item")
    assert decision_of(lost).is_prepared
    assert len(stored_files()) == 2
    later = timezone.now() + timedelta(minutes=1)
    assert files_purge_orphans(older_than=later) == 1
    assert stored_files() == [kept.file.name]
    assert files_purge_orphans(older_than=later) == 0
