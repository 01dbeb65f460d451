"""100 citizens through the whole public flow at once, on PostgreSQL with the production
server settings (gunicorn with the 4 workers of deploy/systemd, the task worker, DEBUG off):
the load step of the fault suite (bench.faults --only-load), without its faults.

    python -m bench.citizens [--load 100]

Target (issue 15): the final submit ("Gửi") p95 <= 1 s, every flow confirmed with its
tracking code, every SMS sent once. Needs PostgreSQL (make test-deps installs it).
"""

import sys

from bench import faults

# deploy/systemd/khaibaof0-web.service runs gunicorn with 4 workers.
PRODUCTION_WORKERS = 4


def main(argv: list[str]) -> int:
    return faults.main(["--only-load", "--workers", str(PRODUCTION_WORKERS), *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
