"""`make faults`: the fault suite. Simulated citizens declare with a photo through the real
public flow, over HTTP to gunicorn (several workers) and a throwaway PostgreSQL with fsync
on, while the suite breaks things; then it checks what must still hold and prints each
invariant with its count. Exit status 1 when one does not hold.

    python -m bench.faults [--citizens 8] [--workers 3] [--kills 4] [--outage 6]
                           [--bulk 200] [--load 100]

Phases (citizens declare all along phases a to c):
  a. web workers killed with SIGKILL: one busy with a request in each round, all of them
     in the last (gunicorn starts new ones);
  b. the database server killed (`pg_ctl stop -m immediate`) and started again; the 503s
     answering requests sent while it is down are timed;
  c. the task worker stopped, a bulk accept of --bulk cases queued, the worker started and
     killed with SIGKILL in the middle of the job, then started again;
  d. the load step: --load citizens through the whole flow at once.

A citizen retries a step whose answer was a dropped connection (its worker was killed) or
a 503 after half a second, sooner than Retry-After asks, to keep the run short; a flow is
given up after FLOW_DEADLINE seconds. Traffic goes to 127.0.0.1 only; every process the
suite starts is stopped on the way out, also on Ctrl-C or failure.
"""

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from bench.declarations import ROOT, base_env, manage, multipart, photo_100kb, run_python
from bench.table import figure

# A 503 slower than this is not "fast": the connect timeout (DATABASE_CONNECT_TIMEOUT, 5 s)
# plus one second for the page.
FAST_503_SECONDS = 6.0
# A citizen gives a flow up after this long (retries included).
FLOW_DEADLINE = 120.0
RETRY_PAUSE = 0.5
REQUEST_TIMEOUT = 60.0
# A safety net: the background citizens stop after this long even if nobody tells them.
CROWD_MAX_SECONDS = 600.0
# The bulk job is killed once this share of its items is done.
KILL_AT_SHARE = 0.25

WORKER_READY = "Starting worker"

CHECKS = "import django; django.setup(); from bench import fault_checks; fault_checks.main()"


def say(text: str) -> None:
    print(text, flush=True)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# --- HTTP, as a citizen's phone speaks it ------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


class Dropped(Exception):
    """The connection broke before an answer (the web worker was killed, or restarting)."""


def send(port: int, method: str, path: str, body: bytes = b"", headers=None) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        # Set-Cookie may come several times: keep them all.
        headers = {k.lower(): v for k, v in response.getheaders() if k.lower() != "set-cookie"}
        headers["set-cookie"] = response.msg.get_all("Set-Cookie") or []
        return Answer(response.status, headers, text, time.perf_counter() - started)
    except (OSError, http.client.HTTPException) as exc:
        raise Dropped(f"{type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()


@dataclass
class Outage503:
    phase: str
    seconds: float
    retry_after: bool
    request: str
    at: float  # time.monotonic() when it came


@dataclass
class Flow:
    phase: str
    id_number: str
    code: str = ""
    error: str = ""
    submit_seconds: float = 0.0
    dropped: int = 0
    unavailable: int = 0


class Record:
    """What every citizen saw, shared by their threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.flows: list[Flow] = []
        self.answers_503: list[Outage503] = []
        self.dropped: Counter = Counter()  # connections dropped, by the step they fell in
        self.phase = "setup"

    def add_flow(self, flow: Flow) -> None:
        with self.lock:
            self.flows.append(flow)

    def add_dropped(self) -> None:
        with self.lock:
            self.dropped[self.phase] += 1

    def add_503(self, answer: Answer, request: str) -> None:
        with self.lock:
            self.answers_503.append(
                Outage503(
                    self.phase,
                    answer.seconds,
                    "retry-after" in answer.headers,
                    request,
                    time.monotonic(),
                )
            )

    def of(self, phase: str) -> list[Flow]:
        with self.lock:
            return [f for f in self.flows if f.phase == phase]


_serials = itertools.count(1)
_serials_lock = threading.Lock()


def next_serial() -> int:
    with _serials_lock:
        return next(_serials)


class Citizen:
    """One phone with its own cookies, going through consent, form with a photo, check and
    send (public/urls.py); see public/tests/flow.py for the same steps in the test client."""

    def __init__(self, port: int, units: dict, photo: bytes, record: Record) -> None:
        self.port, self.units, self.photo, self.record = port, units, photo, record
        self.cookies: dict[str, str] = {}

    def _request(self, flow: Flow, deadline: float, method: str, path: str, **kw) -> Answer:
        """One step, retried after a dropped connection or a 503 until the flow's deadline."""
        while True:
            headers = dict(kw.get("headers", {}))
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            try:
                answer = send(self.port, method, path, kw.get("body", b""), headers)
            except Dropped as exc:
                flow.dropped += 1
                self.record.add_dropped()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{method} {path}: {exc}") from exc
                time.sleep(RETRY_PAUSE)
                continue
            for cookie in answer.headers["set-cookie"]:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if answer.status == 503:
                self.record.add_503(answer, f"{method} {path}")
                flow.unavailable += 1
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{method} {path}: still 503")
                time.sleep(RETRY_PAUSE)
                continue
            return answer

    def _expect(self, answer: Answer, status: int, to: str = "") -> None:
        location = answer.headers.get("location", "")
        if answer.status != status or not location.endswith(to):
            raise RuntimeError(f"answer {answer.status} {location or ''} where {status} {to}")

    def _token(self, answer: Answer) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)
        if not found:
            raise RuntimeError(f"no CSRF token in a {answer.status} page")
        return found.group(1)

    def declare(self, phase: str) -> Flow:
        serial = next_serial()
        flow = Flow(phase=phase, id_number=f"008085{serial:06d}")
        deadline = time.monotonic() + FLOW_DEADLINE
        try:
            self._declare(flow, serial, deadline)
        except RuntimeError as exc:
            flow.error = str(exc)
        self.record.add_flow(flow)
        return flow

    def _declare(self, flow: Flow, serial: int, deadline: float) -> None:
        form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
        step = self._request(flow, deadline, "GET", "/khai-bao/")
        body = f"consent=on&csrfmiddlewaretoken={self._token(step)}".encode()
        step = self._request(flow, deadline, "POST", "/khai-bao/", body=body, headers=form_headers)
        self._expect(step, 302, "/khai-bao/thong-tin/")
        step = self._request(flow, deadline, "GET", "/khai-bao/thong-tin/")
        # The server's date (Vietnam), not this machine's.
        tested = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() - timedelta(days=1)
        fields = {
            "csrfmiddlewaretoken": self._token(step),
            "full_name": "Trần Văn Nam",
            "date_of_birth": "1985-02-03",
            "sex": "male",
            "id_type": "cccd",
            "id_number": flow.id_number,
            "phone": f"03{serial:08d}",
            "district": str(self.units["district"]),
            "commune": str(self.units["commune"]),
            "village": "Tổ 7",
            "test_type": "rapid_self",
            "positive_test_date": tested.isoformat(),
            "vaccine_doses": "2",
        }
        body, content_type = multipart(fields, {"test_photo": ("que.jpg", self.photo)})
        step = self._request(
            flow,
            deadline,
            "POST",
            "/khai-bao/thong-tin/",
            body=body,
            headers={"Content-Type": content_type},
        )
        self._expect(step, 302, "/khai-bao/kiem-tra/")
        step = self._request(flow, deadline, "GET", "/khai-bao/kiem-tra/")
        key = re.search(r'name="key" value="([^"]+)"', step.body)
        if not key:
            raise RuntimeError("no submission key on the check page")
        body = f"csrfmiddlewaretoken={self._token(step)}&key={key.group(1)}".encode()
        started = time.perf_counter()
        step = self._request(
            flow, deadline, "POST", "/khai-bao/kiem-tra/", body=body, headers=form_headers
        )
        flow.submit_seconds = time.perf_counter() - started
        self._expect(step, 302, "/khai-bao/da-gui/")
        step = self._request(flow, deadline, "GET", "/khai-bao/da-gui/")
        code = re.search(r'data-testid="tracking-code">([^<]+)<', step.body)
        # Until the worker has recorded it (cases.intake) the page says so and refreshes
        # itself (<meta http-equiv="refresh">): look again as the phone's browser would.
        while step.status == 200 and not code and time.monotonic() < deadline:
            refresh = re.search(r'http-equiv="refresh" content="([0-9]+)"', step.body)
            if not refresh:
                break
            time.sleep(int(refresh.group(1)))
            step = self._request(flow, deadline, "GET", "/khai-bao/da-gui/")
            code = re.search(r'data-testid="tracking-code">([^<]+)<', step.body)
        if step.status != 200 or not code:
            raise RuntimeError(f"confirmation page {step.status} without a tracking code")
        flow.code = code.group(1).strip()


class Crowd:
    """`size` citizens declaring one flow after another until stopped."""

    def __init__(self, size: int, make_citizen) -> None:
        self.stop_event = threading.Event()
        self.threads = [
            threading.Thread(target=self._loop, args=(make_citizen,), daemon=True)
            for _ in range(size)
        ]

    def _loop(self, make_citizen) -> None:
        until = time.monotonic() + CROWD_MAX_SECONDS
        while not self.stop_event.is_set() and time.monotonic() < until:
            citizen = make_citizen()
            if citizen.declare(citizen.record.phase).error:
                time.sleep(1)  # a broken flow is reported, not hammered

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        """Let each citizen finish the flow in hand (bounded by FLOW_DEADLINE)."""
        self.stop_event.set()
        for thread in self.threads:
            thread.join(FLOW_DEADLINE + REQUEST_TIMEOUT)


# --- The processes the suite starts ------------------------------------------------------


def cpu_ticks(pid: int) -> int | None:
    """User and system CPU time of process `pid` so far, in clock ticks (/proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


class Service:
    """A child process (gunicorn or the task worker) with its log in the run's folder."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path) -> None:
        self.name, self.args, self.env, self.log = name, args, env, log
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.starts += 1

    def wait_ready(self, line: str, seconds: float = 60) -> bool:
        """Wait until the log holds `line` once for each start (the process has booted)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.running():
            if self.log.read_text(errors="replace").count(line) >= self.starts:
                return True
            time.sleep(0.2)
        return False

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 30) -> int | None:
        """SIGTERM (a graceful stop), SIGKILL after `timeout`; the exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def kill(self) -> None:
        if self.running():
            self.process.kill()
            self.process.wait()

    def busy_child(self, within: float = 3.0) -> int | None:
        """A child using CPU now (a gunicorn worker serving a request), sampled every 20 ms
        for up to `within` seconds; None when none is."""
        deadline = time.monotonic() + within
        last = {pid: cpu_ticks(pid) for pid in self.children()}
        while time.monotonic() < deadline:
            time.sleep(0.02)
            for pid in self.children():
                ticks = cpu_ticks(pid)
                if ticks is not None and last.get(pid) is not None and ticks > last[pid]:
                    return pid
                last[pid] = ticks
        return None

    def children(self) -> list[int]:
        """Process ids of the direct children (gunicorn's workers)."""
        if not self.running():
            return []
        pid = self.process.pid
        with contextlib.suppress(OSError):
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        return []


class Run:
    """One run: the database, the web server, the worker, the citizens and the checks."""

    def __init__(self, args, cluster, var_dir: Path) -> None:
        self.args, self.cluster, self.var = args, cluster, var_dir
        self.env = base_env(str(var_dir), cluster.url)
        self.env["SMS_BACKEND"] = "notifications.backends.FileSMSBackend"
        self.env["SMS_FILE_PATH"] = str(var_dir / "sms.log")
        self.record = Record()
        self.port = 0
        self.web: Service | None = None
        self.worker: Service | None = None
        self.units: dict = {}
        self.bulk_cases: list[int] = []
        self.photo = b""
        self.figures: dict = {}

    # Small things -----------------------------------------------------------------------

    def django(self, command: str, **arguments):
        """Run bench.fault_checks COMMAND in a fresh process; its JSON answer."""
        path = self.var / f"{command}.json"
        path.write_text(json.dumps(arguments))
        return run_python(self.env, CHECKS, command, path)

    def sql(self, query: str, *params):
        """One row of a query, on a fresh connection (None when the server is down)."""
        try:
            with psycopg.connect(self.cluster.url, connect_timeout=5) as conn:
                return conn.execute(query, params).fetchone()
        except psycopg.OperationalError:
            return None

    def citizen(self) -> Citizen:
        return Citizen(self.port, self.units, self.photo, self.record)

    def wait_healthy(self, seconds: float = 120) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(Dropped):
                if send(self.port, "GET", "/healthz").status == 200:
                    return True
            time.sleep(0.3)
        return False

    def worker_supervise(self) -> None:
        """What Restart=always does in production (deploy/): a worker that exited (it
        leaves when the database goes away) is started again."""
        if not self.worker.running():
            say(f"   task worker had exited (status {self.worker.process.returncode}): started")
            self.worker.start()

    def steps_summary(self) -> None:
        """Flows by the step they started in; drops and 503s by the step they happened in."""
        say("\nCitizens by step")
        say(f"  {'step':8} {'flows':>6} {'confirmed':>9} {'dropped':>8} {'503s':>6}")
        names = {"a": "a", "b": "b", "b-after": "b (after)", "c": "c", "d": "d"}
        for phase, name in names.items():
            flows = self.record.of(phase)
            answers = sum(1 for a in self.record.answers_503 if a.phase == phase)
            say(
                f"  {name:8} {len(flows):>6} {sum(1 for f in flows if f.code):>9} "
                f"{self.record.dropped[phase]:>8} {answers:>6}"
            )
        for flow in [f for f in self.record.flows if not f.code][:5]:
            say(f"  !! flow {flow.id_number} ({flow.phase}) failed: {flow.error}")

    # Setup ------------------------------------------------------------------------------

    def setup(self) -> None:
        started = time.perf_counter()
        fsync = self.sql("SHOW fsync")
        say(f"PostgreSQL on port {self.cluster.port}, fsync={fsync[0] if fsync else '?'}")
        manage(self.env, "migrate", "--noinput")
        manage(self.env, "createcachetable")
        # The pages name their static files through the manifest, as in production.
        manage(self.env, "collectstatic", "--noinput")
        manage(self.env, "load_units", "--province", "08")
        self.units = self.django("units")
        self.django("officer")
        # The cases of the bulk accept of step (c), declared through the service now:
        # declaring them while citizens declare would only make step (c) longer.
        self.bulk_cases = self.django(
            "cases_create", count=0 if self.args.only_load else self.args.bulk, serial_from=500000
        )
        self.photo = photo_100kb()
        self.port = 19000 + os.getpid() % 1000
        python = sys.executable
        self.web = Service(
            "gunicorn",
            [
                python,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-w",
                str(self.args.workers),
                "--threads",
                str(self.args.threads),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            self.env,
            self.var / "gunicorn.log",
        )
        # INFO: the worker logs "Starting worker" once it has booted and set its handlers.
        self.worker = Service(
            "db_worker",
            # Niced as deploy/systemd/khaibaof0-worker.service runs it.
            ["nice", "-n", "10", python, "manage.py", "db_worker"],
            {**self.env, "LOG_LEVEL": "INFO"},
            self.var / "worker.log",
        )
        self.web.start()
        self.worker.start()
        if not self.wait_healthy():
            raise RuntimeError("gunicorn did not answer /healthz")
        say(
            f"gunicorn with {self.args.workers} workers on 127.0.0.1:{self.port}, one task "
            f"worker, {len(self.photo) // 1024} KB photos, {len(self.bulk_cases)} cases declared "
            f"for step (c) (setup {time.perf_counter() - started:.0f} s)"
        )

    # Phases -----------------------------------------------------------------------------

    def phase_a(self) -> None:
        say(
            f"\n(a) web workers killed with SIGKILL while citizens declare: {self.args.kills} "
            "rounds, a worker busy with a request, and in the last round all of them"
        )
        self.record.phase = "a"
        killed = 0
        for round_ in range(self.args.kills):
            # New workers boot first: a worker killed while booting serves nobody.
            self.wait_healthy()
            if round_ == self.args.kills - 1:
                workers = self.web.children()
            else:
                busy = self.web.busy_child()
                workers = [busy] if busy else self.web.children()[:1]
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
            say(f"   killed web worker(s) {', '.join(map(str, workers))}")
            time.sleep(1)
        # The next step times 503s: it starts once new workers answer.
        self.wait_healthy()
        self.figures["web_workers_killed"] = killed
        say(f"   connections dropped by the kills (retried): {self.record.dropped['a']}")

    def phase_b(self) -> None:
        say(f"\n(b) database killed (pg_ctl stop -m immediate), down {self.args.outage} s")
        self.record.phase = "b"
        time.sleep(2)
        started = time.perf_counter()
        self.cluster.stop("immediate")
        self.figures["db_killed_at"] = time.monotonic()
        say("   database killed")
        time.sleep(self.args.outage)
        self.record.phase = "b"
        restart = time.perf_counter()
        self.cluster.start()
        say(f"   database started again (crash recovery {time.perf_counter() - restart:.1f} s)")
        self.figures["outage_seconds"] = time.perf_counter() - started
        self.record.phase = "b-after"
        # The worker leaves when the database goes away: started again, as systemd would.
        self.worker_supervise()
        time.sleep(6)
        answers = self.outage_503s()
        seconds = [a.seconds for a in answers]
        say(
            f"   503 answers to requests sent while the database was down: {len(answers)}, "
            f"{sum(a.retry_after for a in answers)} with Retry-After; "
            f"median {statistics.median(seconds) if seconds else 0:.3f} s, "
            f"p95 {percentile(seconds, 0.95):.3f} s, max {max(seconds, default=0):.3f} s"
        )
        in_flight = [a for a in self.record.answers_503 if a.phase == "b" and a not in answers]
        say(
            f"   503 answers to requests already in flight at the kill: {len(in_flight)}, "
            f"max {max((a.seconds for a in in_flight), default=0):.3f} s (queueing included)"
        )
        met = [f for f in self.record.flows if f.unavailable]
        say(
            f"   flows that met a 503 and retried: {len(met)}, confirmed after it: "
            f"{sum(1 for f in met if f.code)} (the others are still going)"
        )

    def outage_503s(self) -> list[Outage503]:
        """The 503s answering requests sent after the database was killed (and before it
        answered again): the ones whose speed the outage is judged by. A request already
        in flight at the kill may have waited behind others first."""
        killed = self.figures.get("db_killed_at", 0)
        return [a for a in self.record.answers_503 if a.phase == "b" and a.at - a.seconds >= killed]

    def phase_c(self) -> None:
        say("\n(c) task worker stopped, killed in the middle of a bulk accept, started again")
        self.record.phase = "c"
        # Stopped once booted: SIGTERM then asks it to finish its task and leave.
        self.worker.wait_ready(WORKER_READY)
        status = self.worker.stop()
        how = "graceful" if status == 0 else "it was still starting"
        say(f"   task worker stopped (SIGTERM, exit status {status}: {how})")
        job = self.django("bulk_accept_start", case_ids=self.bulk_cases)
        say(f"   bulk accept job {job['job']} of {job['total']} cases confirmed and queued")
        pending = self.sql(
            "SELECT count(*) FROM notifications_notification WHERE status = %s", "pending"
        )
        say(f"   notifications waiting for the worker: {pending[0] if pending else '?'}")
        self.worker.start()
        kill_at = max(1, int(job["total"] * KILL_AT_SHARE))
        deadline = time.monotonic() + 240
        done = 0
        while time.monotonic() < deadline:
            row = self.sql("SELECT done, state FROM backoffice_bulkjob WHERE id = %s", job["job"])
            done = row[0] if row else 0
            if done >= kill_at or (row and row[1] in ("done", "failed")):
                break
            time.sleep(0.05)
        self.worker.kill()
        row = self.sql(
            "SELECT done, total, state FROM backoffice_bulkjob WHERE id = %s", job["job"]
        )
        say(f"   task worker killed with SIGKILL at {row[0]}/{row[1]} items (job {row[2]})")
        self.figures["bulk_killed_at"] = f"{row[0]}/{row[1]}"
        self.figures["bulk_killed_mid_job"] = row[2] == "running"
        time.sleep(1)
        restarted = time.perf_counter()
        self.worker.start()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            row = self.sql(
                "SELECT done, failed, total, state, resumed_count FROM backoffice_bulkjob WHERE id = %s",
                job["job"],
            )
            if row and row[3] in ("done", "failed", "cancelled"):
                break
            self.worker_supervise()
            time.sleep(0.5)
        say(
            f"   worker started again: job {row[3]} with {row[0]} done, {row[1]} failed of "
            f"{row[2]}, resumed {row[4]} time(s), {time.perf_counter() - restarted:.0f} s after"
        )

    def phase_d(self) -> None:
        say(f"\n(d) load step: {self.args.load} citizens through the whole flow at once")
        self.record.phase = "d"
        gate = threading.Barrier(self.args.load)
        citizens = [self.citizen() for _ in range(self.args.load)]

        def one(citizen: Citizen) -> None:
            gate.wait(60)
            citizen.declare("d")

        threads = [threading.Thread(target=one, args=(c,), daemon=True) for c in citizens]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(FLOW_DEADLINE + REQUEST_TIMEOUT)
        elapsed = time.perf_counter() - started
        flows = self.record.of("d")
        confirmed = [f for f in flows if f.code]
        submits = [f.submit_seconds for f in confirmed]
        self.figures["load"] = {
            "citizens": self.args.load,
            "confirmed": len(confirmed),
            "p50_submit": percentile(submits, 0.5),
            "p95_submit": percentile(submits, 0.95),
            "seconds": elapsed,
        }
        load = self.figures["load"]
        figure(
            "citizens",
            f"{self.args.load} citizens at once: final submit p95 (PostgreSQL, "
            f"{self.args.workers} gunicorn workers)",
            load["p95_submit"] * 1000,
            "ms",
            target="<= 1000 ms",
            baseline=f"p50 {load['p50_submit'] * 1000:.0f} ms; "
            f"{len(confirmed)}/{self.args.load} confirmed",
            met=load["p95_submit"] <= 1.0 and len(confirmed) == self.args.load,
        )
        say(
            f"   {len(confirmed)}/{self.args.load} flows confirmed "
            f"({100 * len(confirmed) / self.args.load:.0f} %) in {elapsed:.0f} s; final submit "
            f"p50 {load['p50_submit'] * 1000:.0f} ms, p95 {load['p95_submit'] * 1000:.0f} ms"
        )

    def drain(self) -> None:
        """Let the worker deliver what is queued, stop everything, run the maintenance."""
        say("\nDraining: the task worker delivers what is queued")
        deadline = time.monotonic() + 180
        resume_at = time.monotonic() + 60
        while time.monotonic() < deadline:
            row = self.sql(
                "SELECT (SELECT count(*) FROM notifications_notification WHERE status = 'pending'),"
                " (SELECT count(*) FROM backoffice_bulkjob WHERE state IN ('queued', 'running')),"
                " (SELECT count(*) FROM cases_intake WHERE state = 'pending')"
            )
            if row and row == (0, 0, 0):
                break
            self.worker_supervise()
            if row and row[2] and time.monotonic() > resume_at:
                # What the 5-minute maintenance timer does on a site: a declaration whose
                # task failed while the database was down is queued again (cases.intake).
                manage(self.env, "maintenance")
                resume_at = time.monotonic() + 30
            time.sleep(1)
        say(f"   pending notifications, unfinished jobs, unrecorded declarations: {row}")
        self.web.stop()
        self.worker.stop()
        result = subprocess.run(
            [sys.executable, "manage.py", "maintenance"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        say(f"   manage.py maintenance: exit status {result.returncode}")
        purged = self.django("orphans_purge")
        say(
            f"   orphan files purged (no process running, so no margin for open requests): {purged}"
        )
        self.figures["orphans_purged"] = purged

    # Invariants -------------------------------------------------------------------------

    def invariants(self, *, load_only: bool = False) -> list[tuple[str, str, list[str]]]:
        """(what, count, problems) for each invariant (with `load_only`, those that do not
        need the faults)."""
        flows = self.record.flows
        acknowledged = [{"code": f.code, "id_number": f.id_number} for f in flows if f.code]
        found = []
        declared = self.django("check_declarations", acknowledged=acknowledged)
        found.append(
            (
                "declarations acknowledged with a tracking code: in the database once, "
                "with their 'declared' event",
                f"{declared['in_database_once']}/{declared['acknowledged']}",
                declared["problems"],
            )
        )
        if load_only:
            return found + self._delivered() + self._load_confirmed()
        under_faults = [f for f in flows if f.phase != "d"]
        failed = [f"{f.id_number}: {f.error}" for f in under_faults if not f.code]
        dropped = self.record.dropped["a"]
        if not dropped:
            failed.append("no request was in flight when the web workers were killed")
        found.append(
            (
                "flows started while faults were injected, confirmed after retries",
                f"{sum(1 for f in under_faults if f.code)}/{len(under_faults)}, "
                f"{dropped} connections dropped by killed web workers",
                failed[:20],
            )
        )
        orphans = self.django("check_orphan_files")
        found.append(
            (
                "files in private storage without a row, after the maintenance run",
                f"{orphans['orphans']} of {orphans['files']} files",
                orphans["problems"],
            )
        )
        found += self._delivered()
        jobs = self.django("check_bulk_jobs")
        job_problems = list(jobs["problems"])
        if not self.figures.get("bulk_killed_mid_job"):
            job_problems.append("the worker was not killed in the middle of the job")
        found.append(
            (
                "bulk jobs finished, done + failed == total, each case accepted once",
                f"{jobs['jobs']} job(s): {jobs['done']} done + {jobs['failed']} failed of "
                f"{jobs['items']}, resumed {jobs['resumed']}x",
                job_problems,
            )
        )
        outage = self.outage_503s()
        slow = [a for a in outage if a.seconds >= FAST_503_SECONDS or not a.retry_after]
        killed_at = self.figures.get("db_killed_at", 0)
        outage_problems = [
            f"{a.request}: {a.seconds:.2f} s, Retry-After {a.retry_after}, sent "
            f"{a.at - a.seconds - killed_at:.1f} s after the kill"
            for a in slow[:20]
        ]
        if not outage:
            outage_problems.append("no citizen saw the outage: no 503 during step (b)")
        after = [f for f in self.record.flows if f.unavailable and f.code]
        found.append(
            (
                f"requests sent during the outage answered with a fast 503 (under "
                f"{FAST_503_SECONDS:.0f} s, with Retry-After)",
                f"{len(outage) - len(slow)}/{len(outage)}, max "
                f"{max((a.seconds for a in outage), default=0):.2f} s; "
                f"{len(after)} flows confirmed after a 503",
                outage_problems,
            )
        )
        return found + self._load_confirmed()

    def _delivered(self) -> list[tuple[str, str, list[str]]]:
        sms = self.django("check_notifications", sms_log=str(self.var / "sms.log"))
        return [
            (
                "queued notifications delivered exactly once",
                f"{sms.get('delivered_once', 0)}/{sms['queued']}",
                sms["problems"],
            )
        ]

    def _load_confirmed(self) -> list[tuple[str, str, list[str]]]:
        load = self.figures["load"]
        return [
            (
                "load step: flows confirmed (must be 100 %)",
                f"{load['confirmed']}/{load['citizens']}, final submit p95 "
                f"{load['p95_submit'] * 1000:.0f} ms",
                [] if load["confirmed"] == load["citizens"] else ["not every flow confirmed"],
            )
        ]

    def go(self) -> int:
        self.setup()
        if self.args.only_load:
            return self.go_load()
        crowd = Crowd(self.args.citizens, self.citizen)
        self.record.phase = "a"
        crowd.start()
        say(f"{self.args.citizens} citizens declare continuously from now until step (d)")
        try:
            self.phase_a()
            self.phase_b()
            self.phase_c()
        finally:
            self.record.phase = "c"
            crowd.stop()
        self.phase_d()
        self.drain()
        self.steps_summary()
        say("\nInvariants")
        failures = 0
        for what, count, problems in self.invariants():
            say(f"  [{'FAIL' if problems else ' ok '}] {what}: {count}")
            for problem in problems:
                say(f"         {problem}")
            failures += bool(problems)
        return 1 if failures else 0

    def go_load(self) -> int:
        """The load step alone (--only-load, `make bench`): no faults, the same checks of
        what the citizens were told and what was sent."""
        self.phase_d()
        self.drain()
        say("\nInvariants")
        failures = 0
        for what, count, problems in self.invariants(load_only=True):
            say(f"  [{'FAIL' if problems else ' ok '}] {what}: {count}")
            for problem in problems:
                say(f"         {problem}")
            failures += bool(problems)
        return 1 if failures else 0

    def stop(self) -> None:
        for service in (self.web, self.worker):
            if service is not None:
                service.stop(timeout=10)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=8, help="declaring during a to c")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--kills", type=int, default=4, help="web workers killed in (a)")
    parser.add_argument("--outage", type=float, default=6, help="seconds the database is down")
    parser.add_argument("--bulk", type=int, default=200, help="cases of the bulk accept")
    parser.add_argument("--load", type=int, default=100, help="citizens of the load step")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs)")
    parser.add_argument(
        "--only-load", action="store_true", help="the load step (d) alone, with its checks"
    )
    args = parser.parse_args(argv)
    from bench.pgcluster import throwaway_cluster

    # Ctrl-C and a SIGTERM both unwind through the finally clauses that stop the processes.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    started = time.perf_counter()
    var_dir = Path(tempfile.mkdtemp(prefix="faults-"))
    run = None
    status = 1
    try:
        with throwaway_cluster() as cluster:
            if cluster is None:
                say("PostgreSQL is not installed (/usr/lib/postgresql/*/bin): no fault suite")
                return 2
            run = Run(args, cluster, var_dir)
            try:
                status = run.go()
            finally:
                run.stop()
    finally:
        if args.keep or status != 0:
            say(f"run folder: {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    say(
        f"\nfault suite {'passed' if status == 0 else 'FAILED'} in {time.perf_counter() - started:.0f} s"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
