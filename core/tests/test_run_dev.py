"""`PORT=8080 make run` prints QR codes and SMS links pointing at port 8080."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def site_url_of(env: dict) -> str:
    """SITE_URL as scripts/run-dev.sh exports it, read without running the server."""
    script = (ROOT / "scripts" / "run-dev.sh").read_text()
    setup = "\n".join(line for line in script.splitlines() if line.startswith(("PORT=", "export")))
    result = subprocess.run(  # noqa: S603
        ["/bin/bash", "-c", f"{setup}\necho $SITE_URL"],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_demo_sites_address_follows_the_port():
    assert site_url_of({}) == "http://127.0.0.1:8000"
    assert site_url_of({"PORT": "8080"}) == "http://127.0.0.1:8080"
    assert site_url_of({"PORT": "8080", "SITE_URL": "https://f0.example"}) == "https://f0.example"
