"""Issuing signed isolation decisions through the real service (number, render, sign, store,
case event, audit entry, notification), next to the bare Typst compile + pyHanko signature
of the same document measured in the same process.

    python -m bench.documents_issue [--rounds 5] [--per-round 40] [--count 400] [--workers 2]

Each database gets a fresh test database (never the configured one's data): SQLite in a
temporary folder, and PostgreSQL at DATABASE_URL or in a throwaway cluster when PostgreSQL
is installed. Documents are spread over ten communes, as a province's batch would be;
numbers are checked to be gapless per commune afterwards.

The ratio issuing / bare is measured in rounds on one thread: each round compiles and
signs `--per-round` bare decisions and issues as many real ones, one of each in turn, so
that both see the same machine (other processes come and go on a shared one); the figure
is the median of the rounds' ratios. Then `--count` documents are issued by `--workers`
processes at once, for the throughput figure.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.table import figure

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = 10


def _env(var_dir: str, database_url: str | None) -> dict:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/root"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "VAR_DIR": var_dir,
        "SITE_URL": "https://khaibaof0.tuyenquang.gov.vn",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def measure(label: str, database_url: str | None, args) -> dict:
    """Run the measurement in a fresh interpreter against one database."""
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as var_dir:
        command = [
            sys.executable,
            "-m",
            "bench.documents_issue",
            "--child",
            f"--count={args.count}",
            f"--workers={args.workers}",
            f"--rounds={args.rounds}",
            f"--per-round={args.per_round}",
            *([] if args.processes else ["--threads"]),
        ]
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=_env(var_dir, database_url),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"{label}: {done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    result["database"] = label
    return result


# --- In the child process --------------------------------------------------------------------


def _ms(seconds: list[float]) -> dict:
    values = [s * 1000 for s in seconds]
    return {
        "mean_ms": round(statistics.fmean(values), 2),
        "p95_ms": round(statistics.quantiles(values, n=20)[18], 2),
    }


def _setup(count: int):
    """`count` accepted cases with prepared decisions over ten communes, and their leaders."""
    from accounts.models import Role
    from accounts.testing import make_user
    from cases.models import Case, MonitoringLink
    from cases.services import case_accept
    from cases.testing import make_case
    from documents.models import Document
    from units.models import Unit
    from units.testing import ensure_units

    ensure_units()
    communes = list(Unit.objects.filter(district__code="070").communes().order_by("code"))
    communes = communes[:COMMUNES]
    leaders = {c.pk: make_user(f"leader.{c.code}", Role.COMMUNE_LEADER, c.code) for c in communes}
    for leader in leaders.values():
        leader.full_name = "Hoàng Thị Lan"
    officer = make_user("officer.bench", Role.COMMUNE_OFFICER, communes[0].code)
    template = make_case(communes[0])
    template = case_accept(case=template, by=officer)
    prepared = Document.objects.get(case=template)
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in ("id", "tracking_code", "id_number", "commune_id")
    }
    cases = [
        Case(
            **fields,
            commune_id=communes[i % COMMUNES].pk,
            tracking_code=f"TQ-B{i:07d}",
            id_number=f"008191{i:06d}",
        )
        for i in range(count)
    ]
    Case.objects.bulk_create(cases, batch_size=500)
    documents = [
        Document(case=case, kind=prepared.kind, commune_id=case.commune_id, data=prepared.data)
        for case in cases
    ]
    Document.objects.bulk_create(documents, batch_size=500)
    # An accepted case has its personal link already: the acceptance's message carried it.
    MonitoringLink.objects.bulk_create(
        [MonitoringLink(case=case, key=secrets.token_urlsafe(12)) for case in cases],
        batch_size=500,
    )
    prepared.delete()
    return communes, leaders, [d.pk for d in documents]


def _issue(ids: list[int], leaders: dict, latencies: list, errors: list) -> None:
    """Issue `ids` one after the other in this thread, timing each."""
    from documents.models import Document
    from documents.services import document_issue

    for pk in ids:
        started = time.perf_counter()
        document = Document.objects.select_related("commune").get(pk=pk)
        try:
            document_issue(document=document, by=leaders[document.commune_id])
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors.append(repr(exc))
        latencies.append(time.perf_counter() - started)


def _warm_up(communes) -> None:
    """Load the signers and this thread's Typst compiler before the clock starts."""
    from documents import samples
    from documents.rendering import render_isolation_decision
    from documents.signing import file_signer_for

    for code in communes:
        file_signer_for(code)
    render_isolation_decision(samples.ISOLATION_DECISION)


def _process_worker(database_name, ids, leader_ids, commune_codes, start, results) -> None:
    """One worker process: its own interpreter, connection and compiler."""
    import django

    django.setup()
    from django.db import connection

    from accounts.models import User

    connection.settings_dict["NAME"] = database_name
    users = {u.pk: u for u in User.objects.filter(pk__in=set(leader_ids.values()))}
    leaders = {commune: users[user] for commune, user in leader_ids.items()}
    _warm_up(commune_codes)
    latencies: list[float] = []
    errors: list[str] = []
    start.wait()
    try:
        _issue(ids, leaders, latencies, errors)
    finally:
        connection.close()
        results.put((latencies, errors))


def _issue_all(ids: list[int], leaders: dict, workers: int, *, processes: bool) -> dict:
    """Issue the documents with `workers` threads or processes, each taking every n-th id."""
    import multiprocessing
    import threading

    from django.db import connection

    codes = sorted({leader.unit.code for leader in leaders.values()})
    latencies: list[float] = []
    errors: list[str] = []
    if processes:
        context = multiprocessing.get_context("spawn")
        start, results = context.Barrier(workers + 1), context.Queue()
        leader_ids = {commune: leader.pk for commune, leader in leaders.items()}
        name = connection.settings_dict["NAME"]
        runners = [
            context.Process(
                target=_process_worker,
                args=(name, ids[i::workers], leader_ids, codes, start, results),
            )
            for i in range(workers)
        ]
    else:
        start, results = threading.Barrier(workers + 1), None

        def run(share):
            _warm_up(codes)
            start.wait()
            try:
                _issue(share, leaders, latencies, errors)
            finally:
                connection.close()

        runners = [threading.Thread(target=run, args=(ids[i::workers],)) for i in range(workers)]
    for runner in runners:
        runner.start()
    start.wait()
    started = time.perf_counter()
    if processes:
        for _ in runners:
            more_latencies, more_errors = results.get()
            latencies += more_latencies
            errors += more_errors
    for runner in runners:
        runner.join()
    wall = time.perf_counter() - started
    return {
        "n": len(ids),
        "workers": workers,
        "kind": "processes" if processes else "threads",
        "wall_s": round(wall, 2),
        "docs_per_s": round(len(ids) / wall, 1),
        "per_doc_ms": round(wall * 1000 / len(ids), 2),
        "latency": _ms(latencies),
        "errors": errors[:5],
        "error_count": len(errors),
    }


def _gapless(communes) -> bool:
    from documents.models import Document

    for commune in communes:
        numbers = sorted(
            Document.objects.filter(commune=commune)
            .exclude(number=None)
            .values_list("number", flat=True)
        )
        if numbers != list(range(1, len(numbers) + 1)):
            return False
    return True


def _statements_per_document(ids: list[int], leaders: dict) -> int:
    """SQL statements one issue sends (BEGIN and COMMIT included), the caller's read of
    the document not counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents.models import Document
    from documents.services import document_issue

    document = Document.objects.select_related("commune").get(pk=ids[0])
    with CaptureQueriesContext(connection) as captured:
        document_issue(document=document, by=leaders[document.commune_id])
    return len(captured.captured_queries)


def _rounds(ids: list[int], leaders: dict, rounds: int, per_round: int) -> dict:
    """Bare and real issuing document by document, alternating which goes first, on this
    thread: both see the same machine at the same moment (on a shared machine the load
    comes and goes within seconds). Each round's ratio is its mean issuing time over its
    mean bare time; the figure is the median round."""
    from bench.documents_bare import bare_one, bare_signer, bare_summary
    from documents.signing import file_signer_for

    with tempfile.TemporaryDirectory() as directory:
        signer = bare_signer(Path(directory))
        for code in sorted({leader.unit.code for leader in leaders.values()}):
            file_signer_for(code)
        results = []
        for r in range(rounds):
            bare, latencies, errors = [], [], []
            for i, pk in enumerate(ids[r * per_round : (r + 1) * per_round]):
                if i % 2:
                    bare.append(bare_one(r * per_round + i, signer=signer))
                    _issue([pk], leaders, latencies, errors)
                else:
                    _issue([pk], leaders, latencies, errors)
                    bare.append(bare_one(r * per_round + i, signer=signer))
            summary = bare_summary(bare)
            issue_ms = statistics.fmean(latencies) * 1000
            results.append(
                {
                    "bare": summary,
                    "issue_ms": round(issue_ms, 2),
                    "latency": _ms(latencies),
                    "ratio": round(issue_ms / summary["per_doc_ms"], 3),
                    "errors": errors[:5],
                    "error_count": len(errors),
                }
            )
    middle = sorted(results, key=lambda result: result["ratio"])[len(results) // 2]
    return {
        "rounds": results,
        "median": middle,
        "n": rounds * per_round,
        "errors": [e for result in results for e in result["errors"]][:5],
        "error_count": sum(result["error_count"] for result in results),
    }


def child(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        # A file, not memory: the worker threads share one database.
        connection.settings_dict["TEST"]["NAME"] = str(Path(settings.VAR_DIR) / "bench.db")
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        single = args.rounds * args.per_round
        communes, leaders, ids = _setup(single + args.count + 2 * COMMUNES)
        # The first document of each commune creates its number series: not the steady state.
        warm, ids = ids[: 2 * COMMUNES], ids[2 * COMMUNES :]
        _issue(warm[:-1], leaders, [], [])
        statements = _statements_per_document(warm[-1:], leaders)
        rounds = _rounds(ids[:single], leaders, args.rounds, args.per_round)
        parallel = _issue_all(ids[single:], leaders, args.workers, processes=args.processes)
        return {
            "rounds": rounds,
            "parallel": parallel,
            "statements": statements,
            "gapless": _gapless(communes),
            "vendor": connection.vendor,
        }
    finally:
        connection.close()
        connection.creation.destroy_test_db(original, verbosity=0)


# --- Report ----------------------------------------------------------------------------------


def report(result: dict) -> None:
    rounds, parallel = result["rounds"], result["parallel"]
    middle = rounds["median"]
    bare = middle["bare"]
    bare_ms, issue_ms, ratio = bare["per_doc_ms"], middle["issue_ms"], middle["ratio"]
    database = result["database"]
    print(f"\n{database}:")
    print(
        "  ratio per round (issuing / bare): "
        + ", ".join(f"{r['ratio']:.2f}" for r in rounds["rounds"])
        + f"; median {ratio:.2f}"
    )
    print(
        f"  median round: bare compile + sign (+ wording and QR) {bare_ms:.1f} ms per document "
        f"(compile {bare['compile']['mean_ms']} + sign {bare['sign']['mean_ms']} "
        f"+ wording/QR {bare['wording_and_qr_mean_ms']}); issuing {issue_ms:.1f} ms "
        f"(p95 {middle['latency']['p95_ms']} ms), {ratio:.2f} x bare   [target <= 1.25 x]"
    )
    print(f"  SQL statements per issued document: {result['statements']}")
    print(
        f"  issuing, {parallel['workers']} {parallel['kind']}: {parallel['n']} documents in "
        f"{parallel['wall_s']} s, {parallel['docs_per_s']} documents/s, "
        f"{parallel['per_doc_ms']} ms each (latency p95 {parallel['latency']['p95_ms']} ms)   "
        f"[target >= 20/s]"
    )
    errors = rounds["error_count"] + parallel["error_count"]
    figure(
        "documents_issue",
        f"issuing / bare compile + sign ({database})",
        ratio,
        "x",
        target="<= 1.25 x",
        baseline=(
            f"bare {bare_ms:.1f} ms, issuing {issue_ms:.1f} ms "
            f"(median of {len(rounds['rounds'])} rounds)"
        ),
        met=ratio <= 1.25,
    )
    figure(
        "documents_issue",
        f"SQL statements per issued document ({database})",
        result["statements"],
        "statements",
    )
    figure(
        "documents_issue",
        f"documents per second, {parallel['workers']} workers ({database})",
        parallel["docs_per_s"],
        "/s",
        target=">= 20/s",
        met=parallel["docs_per_s"] >= 20,
    )
    print(f"  numbers gapless per commune: {result['gapless']}; errors: {errors}")
    for error in rounds["errors"] + parallel["errors"]:
        print(f"    {error}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--count", type=int, default=400, help="documents issued by the parallel workers"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of bare and real issuing")
    parser.add_argument("--per-round", type=int, default=40, help="documents of each in a round")
    parser.add_argument(
        "--threads",
        dest="processes",
        action="store_false",
        help="parallel workers as threads of one process (default: processes)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return None
    from bench.pgcluster import throwaway_postgres

    results = [measure("SQLite", None, args)]
    if not args.sqlite_only:
        with throwaway_postgres() as database_url:
            if database_url:
                results.append(measure("PostgreSQL", database_url, args))
    for result in results:
        report(result)
    broken = [
        r["database"]
        for r in results
        if not r["gapless"] or r["rounds"]["error_count"] or r["parallel"]["error_count"]
    ]
    if broken:
        raise RuntimeError(f"issuing failed or left gaps on {', '.join(broken)}")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
