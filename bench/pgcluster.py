"""A throwaway PostgreSQL cluster for benchmarks (the recipe of .ci/run), when none is given.

The cluster keeps PostgreSQL's defaults for durability (fsync on): `initdb -N` only skips
syncing initdb's own files. The fault suite (bench.faults) also stops it with `pg_ctl stop
-m immediate`, a crash as PostgreSQL sees it, and starts it again.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass


def _pg_bin() -> str | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: [int(x) for x in p.split("/")[4].split(".") if x.isdigit()],
    )
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(command: str) -> None:
    if os.geteuid() == 0:
        subprocess.run(
            ["su", "postgres", "-s", "/bin/bash", "-c", command], check=True, capture_output=True
        )
    else:
        subprocess.run(["bash", "-c", command], check=True, capture_output=True)


@dataclass
class Cluster:
    """One throwaway cluster: its URL, and the means to crash it and start it again."""

    pg_bin: str
    root: str
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Start the server and wait until it accepts connections (after crash recovery)."""
        _as_postgres(
            f"{self.pg_bin}/pg_ctl -D {self.root}/data -l {self.root}/log -w -t 120 -o "
            f"'-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            f"-c max_connections=200 -c shared_buffers=256MB' start"
        )

    def stop(self, mode: str = "fast") -> None:
        """`pg_ctl stop -m mode`: "immediate" kills the server without a checkpoint, as a
        power cut would (the next start replays the WAL)."""
        _as_postgres(f"{self.pg_bin}/pg_ctl -D {self.root}/data -m {mode} -w stop")


@contextlib.contextmanager
def throwaway_cluster():
    """Yield a started Cluster in a fresh temporary folder, or None if PostgreSQL is not
    installed; stop it and delete it on the way out."""
    pg_bin = _pg_bin()
    if pg_bin is None:
        yield None
        return
    root = tempfile.mkdtemp(prefix="bench-pg-")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(pg_bin=pg_bin, root=root, port=_free_port())
    try:
        _as_postgres(
            f"{pg_bin}/initdb -D {root}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N"
        )
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("fast")
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def throwaway_postgres():
    """Yield a DATABASE_URL for a fresh cluster, or None if PostgreSQL is not installed."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    with throwaway_cluster() as cluster:
        yield cluster.url if cluster else None
