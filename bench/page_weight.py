"""What a citizen's phone downloads: bytes over the wire for the first visit and a later one.

    python -m bench.page_weight

Serves the production settings (DEBUG off, collected static files compressed by WhiteNoise)
with gunicorn on a throwaway SQLite database, and drives Debian's Chromium with an empty
cache: the home page, then the notice and, after consenting, the declaration form, as a
citizen following the SMS or poster link would. Bytes are Chromium's own count of what came
over the wire (`Network.loadingFinished.encodedDataLength`: headers and compressed bodies).
Target (issue 15): the first visit <= 60 KB.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.declarations import base_env, manage, run_python
from bench.table import figure

ROOT = Path(__file__).resolve().parent.parent
TARGET_KB = 60
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# An isolating person's daily report page and personal status page: the addresses the SMS
# gives (an accepted case of Xã Tràng Đà, declared and accepted through the services).
LINKS = r"""
import json
import django
django.setup()
from django.urls import reverse
from accounts.models import Role, User
from cases.monitoring import DAILY, STATUS, link_for, token_for
from cases.services import case_accept
from cases.testing import make_case
from units.models import Unit
commune = Unit.objects.get(unit_set__code="gso-2021", code="02209")
officer = User.objects.create(username="bench.weight", role=Role.COMMUNE_OFFICER, unit=commune)
case = case_accept(case=make_case(commune), by=officer)
link = link_for(case)
print(json.dumps({
    "daily": reverse("public:daily_report", args=[token_for(link, DAILY)]),
    "status": reverse("public:status_link", args=[token_for(link, STATUS)]),
}))
"""


def _serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the server did not start")


class Wire:
    """Bytes over the wire, counted by Chromium's DevTools protocol, since the last reset."""

    def __init__(self, page):
        self.bytes = 0
        self.requests = 0
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.loadingFinished", self._finished)

    def _finished(self, event):
        self.bytes += event["encodedDataLength"]
        self.requests += 1

    def take(self) -> tuple[int, int]:
        taken = (self.bytes, self.requests)
        self.bytes = self.requests = 0
        return taken


# Chrome DevTools' "Slow 3G" preset: 2 s round trip (400 ms latency x the preset's factor),
# 400 kbit/s down and up, as the daily report page must serve an isolating person's phone.
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 400 * 1024 / 8,
    "uploadThroughput": 400 * 1024 / 8,
}


def slow_3g_seconds(browser, url: str) -> tuple[float, float]:
    """Seconds to the load event of `url` on Slow 3G: first visit, then a later one."""
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", SLOW_3G)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        page.goto(url, wait_until="load")
        timings.append(time.perf_counter() - started)
    page.context.close()
    return timings[0], timings[1]


def measure(base: str, links: dict) -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        wire = Wire(page)
        page.goto(base + "/", wait_until="networkidle")
        results["home, first visit"] = wire.take()
        page.goto(base + "/khai-bao/", wait_until="networkidle")
        results["notice, after the home page"] = wire.take()
        page.locator("label[for=id_consent]").click()
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        results["declaration form, after the notice"] = wire.take()
        page.reload(wait_until="networkidle")
        results["declaration form, later visit"] = wire.take()
        for label, path in (
            ("notice, first visit (from an SMS link)", "/khai-bao/"),
            ("daily report, first visit (from the SMS)", links["daily"]),
            ("personal status page, first visit (from the SMS)", links["status"]),
        ):
            fresh = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
            wire = Wire(fresh)
            fresh.goto(base + path, wait_until="networkidle")
            results[label] = wire.take()
            fresh.reload(wait_until="networkidle")
            results[label.replace("first visit", "later visit")] = wire.take()
        results["slow_3g"] = slow_3g_seconds(browser, base + links["daily"])
        browser.close()
    return results


def main(argv=None) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-weight-") as var_dir:
        env = base_env(var_dir, None)
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        manage(env, "load_units", "--province", "08")
        manage(env, "collectstatic", "--noinput")  # into VAR_DIR/static, compressed
        links = run_python(env, LINKS)
        port = 19000 + os.getpid() % 1000
        server = _serve(env, port)
        try:
            results = measure(f"http://127.0.0.1:{port}", links)
        finally:
            server.terminate()
            server.wait()
    first_3g, later_3g = results.pop("slow_3g")
    print(f"{'page':<50}{'KB':>8}{'requests':>10}")
    for label, (size, requests) in results.items():
        print(f"{label:<50}{size / 1024:>8.1f}{requests:>10}")
    print(f"daily report on Slow 3G: first visit {first_3g:.1f} s, later {later_3g:.1f} s")
    figure("page_weight", "daily report on Slow 3G, first visit", first_3g, "s")
    figure("page_weight", "daily report on Slow 3G, later visit", later_3g, "s")
    for label in (
        "home, first visit",
        "notice, first visit (from an SMS link)",
        "daily report, first visit (from the SMS)",
        "personal status page, first visit (from the SMS)",
    ):
        kilobytes = results[label][0] / 1024
        figure(
            "page_weight",
            f"citizen's {label}",
            kilobytes,
            "KB",
            target=f"<= {TARGET_KB} KB",
            met=kilobytes <= TARGET_KB,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
