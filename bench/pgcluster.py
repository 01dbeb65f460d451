"""A throwaway PostgreSQL cluster for benchmarks (the recipe of .ci/run), when none is given."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile


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


@contextlib.contextmanager
def throwaway_postgres():
    """Yield a DATABASE_URL for a fresh cluster, or None if PostgreSQL is not installed."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    pg_bin = _pg_bin()
    if pg_bin is None:
        yield None
        return
    root = tempfile.mkdtemp(prefix="bench-pg-")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    data = f"{root}/data"
    _as_postgres(f"{pg_bin}/initdb -D {data} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N")
    _as_postgres(
        f"{pg_bin}/pg_ctl -D {data} -l {root}/log -w -o "
        f"'-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200 "
        f"-c shared_buffers=256MB' start"
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            _as_postgres(f"{pg_bin}/pg_ctl -D {data} -m fast stop")
        shutil.rmtree(root, ignore_errors=True)
