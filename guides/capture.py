"""`make guides`: the guides' screenshots from a throwaway demo site, then each guide as a PDF.

    .venv/bin/python -m guides.capture [--cases 300]

Builds a demo site in a temporary folder (SQLite database: migrate, units, `load_demo` with
a few hundred synthetic cases; DEBUG and DEMO_MODE on, background tasks run at once), serves
it with Django's development server on a free loopback port, and drives Debian's Chromium
with Playwright through the real tasks of each guide in `guides.content`, in the order a
case travels: a citizen declares, the commune officer accepts, the leader issues, the citizen
looks the case up and declares recovery, the officer confirms it; then district, province and
administrator. Each step's screenshot (360 px wide for the citizen, 1280 for officials; PNG
reduced to 256 colours) goes to guides/static/guides/<guide>/<shot>.png, each guide page is
printed to guides/static/guides/pdf/<guide>.pdf. Officials are signed in with a session made
here (no password needed); the sign-in screenshots show the form filled with a mock password.
Fails when a step of the content has no screenshot after the run.
"""

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "static" / "guides"
DESK_HEIGHT = 800  # px: one screen of a laptop
PHONE_HEIGHT = 740  # px

# The citizen of the guide (made up); declared in Xã Tràng Đà, whose demo accounts act next.
CITIZEN = {
    "full_name": "Trần Thị Mai",
    "date_of_birth": "1990-05-05",
    "id_number": "008190777888",
    "phone": "0912777888",
    "district": "Thành phố Tuyên Quang",
    "commune": "Xã Tràng Đà",
    "village": "Thôn Cầu Bâm",
}
COMMUNE_CODE = "02209"
DISTRICT_CODE = "070"


def demo_test_photo() -> bytes:
    """The test photo of one of the demo's fresh declarations (a drawn test cassette): the
    guide's citizen sends a picture that looks like one."""
    from PIL import Image

    from cases.models import Case

    case = Case.objects.filter(test_photo__isnull=False).order_by("pk").first()
    with case.test_photo.file.open("rb") as file:
        image = Image.open(file).convert("RGB")
    # Closer in, as another phone would take it: the same picture would be flagged as a
    # duplicate of that declaration.
    width, height = image.size
    image = image.crop((width // 8, height // 4, width * 7 // 8, height * 3 // 4))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_environment(var_dir: Path) -> None:
    """Settings of the throwaway demo site, for this process and the server it starts."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("DATABASE_REPLICA_URL", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(var_dir),
            "DEBUG": "true",
            "DEMO_MODE": "true",
            # Imports, bulk decisions, batches and exports finish within the request.
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "SMS_BACKEND": "notifications.backends.ConsoleSMSBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Playwright's sync API runs an event loop; the ORM calls here are plain reads.
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        }
    )


def build_site(cases: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_units", verbosity=0)
    call_command("load_demo", cases=cases, verbosity=0, stdout=io.StringIO())


def serve(port: int, log) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.3)
    server.kill()
    raise SystemExit("The demo server did not start; see its log.")


def save_png(png: bytes, path: Path) -> int:
    """Write a screenshot reduced to 256 colours (flat UI colours survive; a tenth of the
    bytes); returns the size in bytes."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    reduced.save(path, "PNG", optimize=True)
    return path.stat().st_size


class Capture:
    """The browser, the demo server's address and the screenshots taken so far."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.taken: dict[str, int] = {}  # static path -> bytes

    def context(self, guide, account=None):
        """A browser context at the guide's width, signed in as `account` when given."""
        from guides.content import PHONE_WIDTH

        phone = guide.width == PHONE_WIDTH
        context = self.browser.new_context(
            viewport={"width": guide.width, "height": PHONE_HEIGHT if phone else DESK_HEIGHT},
            locale="vi-VN",
            base_url=self.base_url,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=1,
        )
        if account:
            context.add_cookies([self.session_cookie(account)])
        page = context.new_page()
        page.set_default_timeout(60_000)
        return page

    def session_cookie(self, username: str) -> dict:
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(
            get_user_model().objects.get(username=username),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        return {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": self.base_url,
        }

    def shoot(self, page, guide, shot: str, at: str | None = None) -> None:
        """Screenshot of the viewport, scrolled so that the element `at` (CSS) is near the top."""
        step = next(s for s in guide.steps if s.shot == shot)
        if at:
            page.locator(at).first.scroll_into_view_if_needed()
            page.evaluate(
                "(sel) => { const el = document.querySelector(sel);"
                " window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 24); }",
                at,
            )
        else:
            page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(150)  # let the scroll settle before the picture
        path = guide.shot_path(step)
        self.taken[path] = save_png(page.screenshot(), OUT.parent / path)
        print(f"  {path} ({self.taken[path] // 1024} KB)")

    def sign_in_shot(self, guide) -> None:
        """The sign-in page, filled in (mock password; the session comes from session_cookie)."""
        page = self.context(guide)
        page.goto("/accounts/login/")
        page.fill("input[name=username]", guide.account)
        page.fill("input[name=password]", "mat-khau-mau")
        self.shoot(page, guide, "01-dang-nhap")
        page.context.close()


def url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def choose(page, label_for: str) -> None:
    # USWDS draws its own radio buttons and checkboxes: people tap the label.
    page.click(f"label[for={label_for}]")


def submit(page, action: str) -> None:
    """Press the submit button of the form posting to `action`."""
    page.locator(f"form[action='{action}'] button[type=submit]").first.click()
    page.wait_for_load_state()


def citizen_declares(cap: Capture, photo: Path) -> str:
    """Consent, form with photo, check, confirmation; returns the tracking code."""
    from django.utils import timezone

    from guides.content import CITIZEN as guide

    page = cap.context(guide)
    page.goto(url("public:declare_start"))
    cap.shoot(page, guide, "01-bat-dau")
    choose(page, "id_consent")
    page.get_by_role("button", name="Bắt đầu khai báo", exact=True).click()
    page.fill("#id_full_name", CITIZEN["full_name"])
    page.fill("#id_date_of_birth", CITIZEN["date_of_birth"])
    choose(page, "id_sex_1")
    page.fill("#id_id_number", CITIZEN["id_number"])
    page.fill("#id_phone", CITIZEN["phone"])
    page.select_option("#id_district", label=CITIZEN["district"])
    page.wait_for_selector(f"#id_commune option:text('{CITIZEN['commune']}')", state="attached")
    page.select_option("#id_commune", label=CITIZEN["commune"])
    page.fill("#id_village", CITIZEN["village"])
    choose(page, "id_test_type_0")
    # Six days ago: the guide's citizen may declare recovery today (day 7 of the rules).
    tested = timezone.localdate() - timedelta(days=6)
    page.fill("#id_positive_test_date", tested.isoformat())
    page.set_input_files("#id_test_photo", str(photo))
    page.select_option("#id_vaccine_doses", "2")
    cap.shoot(page, guide, "02-thong-tin", at="#id_test_type_0")
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại", exact=True).click()
    page.wait_for_selector("h1")
    cap.shoot(page, guide, "03-kiem-tra")
    page.get_by_role("button", name="Gửi khai báo", exact=True).click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    cap.shoot(page, guide, "04-da-gui")
    page.context.close()
    return code


def officer_accepts(cap: Capture, code: str) -> None:
    from cases.models import Case
    from guides.content import COMMUNE_OFFICER as guide

    cap.sign_in_shot(guide)
    page = cap.context(guide, guide.account)
    page.goto(url("backoffice:inbox"))
    cap.shoot(page, guide, "02-hop-ho-so")
    case = Case.objects.get(tracking_code=code)
    page.goto(url("backoffice:case", case.pk))
    cap.shoot(page, guide, "03-ho-so")
    cap.shoot(page, guide, "04-xu-ly", at="#actions")
    submit(page, url("backoffice:case_accept", case.pk))
    # A second accepted declaration, so that the leader has a batch to issue.
    other = (
        Case.objects.filter(commune__code=COMMUNE_CODE, status="submitted")
        .exclude(pk=case.pk)
        .order_by("pk")
        .first()
    )
    if other:
        page.goto(url("backoffice:case", other.pk))
        submit(page, url("backoffice:case_accept", other.pk))
    page.goto(url("backoffice:enrol"))
    cap.shoot(page, guide, "05-nhap-ho-so")
    page.goto(url("backoffice:import"))
    cap.shoot(page, guide, "06-nhap-excel")
    page.goto(url("backoffice:inbox") + "?tab=review")
    boxes = page.locator("input.inbox-check[name=case]")
    for index in range(min(2, boxes.count())):
        boxes.nth(index).check()
    cap.shoot(page, guide, "07-tiep-nhan-hang-loat")
    page.context.close()


def leader_issues(cap: Capture, code: str) -> None:
    from documents.models import Document
    from guides.content import COMMUNE_LEADER as guide

    cap.sign_in_shot(guide)
    page = cap.context(guide, guide.account)
    page.goto(url("documents:pending"))
    cap.shoot(page, guide, "02-cho-ban-hanh")
    # The draft opens as a PDF in a tab of its own: the picture shows where to open it.
    page.locator("a[href*='/draft.pdf']").first.hover()
    cap.shoot(page, guide, "03-xem-truoc", at="table")
    page.locator("button[name=all_pending]").click()
    page.wait_for_load_state()
    # The review before signing: each person, provisional number, period and flags.
    cap.shoot(page, guide, "04-ban-hanh")
    page.get_by_test_id("sign-confirm").click()
    page.wait_for_load_state()
    # The batch runs on the worker: wait until it has issued the documents.
    for _ in range(120):
        if not Document.objects.filter(commune__code=COMMUNE_CODE, state="prepared").exists():
            break
        page.wait_for_timeout(500)
    other = (
        Document.objects.filter(commune__code=COMMUNE_CODE, state="issued", file__gt="")
        .exclude(case__tracking_code=code)
        .order_by("-pk")
        .first()
    )
    if other is None:
        raise SystemExit("No second issued document to show the revocation with.")
    page.goto(url("documents:revoke", other.pk))
    page.fill("#id_reason", "Ghi sai ngày xét nghiệm dương tính.")
    cap.shoot(page, guide, "05-thu-hoi")
    page.goto(url("documents:settings"))
    cap.shoot(page, guide, "06-mau-van-ban")
    page.goto(url("documents:outreach"))
    cap.shoot(page, guide, "07-tuyen-truyen")
    page.context.close()


def citizen_follows_up(cap: Capture, code: str, photo: Path) -> None:
    from django.utils import timezone

    from documents.models import Document
    from guides.content import CITIZEN as guide

    page = cap.context(guide)
    page.goto(url("public:status"))
    page.fill("#id_tracking_code", code)
    page.fill("#id_secret", CITIZEN["id_number"])
    cap.shoot(page, guide, "05-tra-cuu")
    page.get_by_role("button", name="Tra cứu", exact=True).click()
    page.wait_for_selector("[data-testid=case-status]")
    cap.shoot(page, guide, "06-tinh-trang")
    page.goto(url("public:recovery") + f"?code={code}")
    page.fill("#id_secret", CITIZEN["id_number"])
    page.fill("#id_negative_test_date", timezone.localdate().isoformat())
    choose(page, "id_test_type_0")
    choose(page, "id_tested_by_0")
    page.set_input_files("#id_result_photo", str(photo))
    cap.shoot(page, guide, "07-khoi-benh", at="#id_negative_test_date")
    page.get_by_role("button", name="Gửi khai báo khỏi bệnh", exact=True).click()
    page.wait_for_selector("[data-testid=case-status]")
    document = Document.objects.get(case__tracking_code=code, state="issued")
    page.goto(url("public:verify", document.verification_token))
    cap.shoot(page, guide, "08-xac-minh")
    page.context.close()


def officer_confirms_recovery(cap: Capture, code: str) -> None:
    from cases.models import Case
    from guides.content import COMMUNE_OFFICER as guide

    page = cap.context(guide, guide.account)
    case = Case.objects.get(tracking_code=code)
    page.goto(url("backoffice:case", case.pk))
    cap.shoot(page, guide, "08-xac-nhan-khoi-benh", at="#actions")
    page.context.close()


def monitoring(cap: Capture, guide, unit_code: str) -> None:
    """The monitoring steps, at the unit `unit_code` below the account's own."""
    from django.conf import settings

    from units.models import Unit

    unit = Unit.objects.get(unit_set__code=settings.UNIT_SET, code=unit_code)
    cap.sign_in_shot(guide)
    page = cap.context(guide, guide.account)
    page.goto(url("reports:dashboard"))
    cap.shoot(page, guide, "02-theo-doi")
    page.goto(url("reports:unit_dashboard", unit.pk))
    cap.shoot(page, guide, "03-chi-tiet-don-vi")
    page.goto(url("reports:service_levels"))
    cap.shoot(page, guide, "04-qua-han")
    page.goto(url("reports:case_list", unit.pk))
    cap.shoot(page, guide, "05-danh-sach-ho-so")
    page.goto(url("reports:exports"))
    cap.shoot(page, guide, "06-xuat-excel")
    return page


def province(cap: Capture) -> None:
    from guides.content import PROVINCE_HEALTH as guide

    page = monitoring(cap, guide, DISTRICT_CODE)
    page.goto(url("reports:audit"))
    cap.shoot(page, guide, "07-nhat-ky")
    page.goto(url("backoffice:rules"))
    cap.shoot(page, guide, "08-quy-dinh")
    page.context.close()


def administrator(cap: Capture) -> None:
    from accounts.models import User
    from guides.content import COMMUNE_OFFICER
    from guides.content import SYSTEM_ADMIN as guide

    cap.sign_in_shot(guide)
    page = cap.context(guide, guide.account)
    page.goto(url("accounts:user_list"))
    cap.shoot(page, guide, "02-tai-khoan")
    page.goto(url("accounts:user_create"))
    cap.shoot(page, guide, "03-tao-tai-khoan")
    account = User.objects.get(username=COMMUNE_OFFICER.account)
    page.goto(url("accounts:user_edit", account.pk))
    cap.shoot(page, guide, "04-sua-tai-khoan")
    submit(page, url("accounts:user_reset_password", account.pk))
    cap.shoot(page, guide, "05-mat-khau-tam")
    page.goto(url("documents:settings"))
    cap.shoot(page, guide, "06-mau-van-ban")
    page.goto(url("documents:outreach"))
    cap.shoot(page, guide, "07-tuyen-truyen")
    page.goto(url("reports:audit"))
    cap.shoot(page, guide, "08-nhat-ky")
    page.context.close()


def print_guides(cap: Capture) -> dict[str, int]:
    """Each guide page printed to A4 by Chromium; static path -> bytes."""
    from guides.content import GUIDES

    sizes = {}
    context = cap.browser.new_context(base_url=cap.base_url, locale="vi-VN")
    page = context.new_page()
    for guide in GUIDES:
        page.goto(url("guides:guide", guide.slug))
        # Links would lead to this throwaway server: print the path of each real page as
        # text (the reader's site has the same paths), and no link at all.
        page.evaluate(
            "document.querySelectorAll('.guide-link a').forEach(a => {"
            " a.textContent += ' (' + a.getAttribute('href') + ')'; });"
            "document.querySelectorAll('a[href]').forEach(a => a.removeAttribute('href'));"
        )
        # Lazy images below the fold would print blank: load them all first.
        page.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
        page.evaluate(
            "() => Promise.all(Array.from(document.images).map(i => i.complete ? 0 :"
            " new Promise(done => { i.onload = i.onerror = done; })))"
        )
        path = OUT.parent / guide.pdf_path
        path.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(path),
            format="A4",
            margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"},
            print_background=True,
        )
        sizes[guide.pdf_path] = path.stat().st_size
        print(f"  {guide.pdf_path} ({sizes[guide.pdf_path] // 1024} KB)")
    context.close()
    return sizes


def remove_stale(keep) -> list[Path]:
    """Delete screenshots and PDFs of steps or guides no longer in the content."""
    stale = [
        path
        for path in [*OUT.rglob("*.png"), *OUT.rglob("*.pdf")]
        if str(path.relative_to(OUT.parent)) not in keep
    ]
    for path in stale:
        path.unlink()
    return stale


def missing_shots(taken) -> list[str]:
    from guides.content import GUIDES

    return [g.shot_path(s) for g in GUIDES for s in g.steps if g.shot_path(s) not in taken]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300, help="synthetic cases of the demo")
    options = parser.parse_args(argv)
    started = time.monotonic()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="guides-") as tmp:
        var_dir = Path(tmp)
        prepare_environment(var_dir)
        print(f"Demo site in {var_dir} ({options.cases} synthetic cases)...")
        build_site(options.cases)
        from playwright.sync_api import sync_playwright

        from conftest import CHROMIUM, CHROMIUM_ARGS  # the browser tests' launch recipe

        photo = var_dir / "ket-qua-test.jpg"
        photo.write_bytes(demo_test_photo())
        port = free_port()
        with (var_dir / "server.log").open("w") as log:
            server = serve(port, log)
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                    )
                    cap = Capture(browser, f"http://127.0.0.1:{port}")
                    print("Screenshots:")
                    code = citizen_declares(cap, photo)
                    officer_accepts(cap, code)
                    leader_issues(cap, code)
                    citizen_follows_up(cap, code, photo)
                    officer_confirms_recovery(cap, code)
                    from guides.content import DISTRICT

                    monitoring(cap, DISTRICT, COMMUNE_CODE).context.close()
                    province(cap)
                    administrator(cap)
                    missing = missing_shots(cap.taken)
                    if missing:
                        raise SystemExit(f"Steps without a screenshot: {', '.join(missing)}")
                    print("PDFs:")
                    pdfs = print_guides(cap)
                    for path in remove_stale({*cap.taken, *pdfs}):
                        print(f"  removed {path.relative_to(ROOT)}")
                    browser.close()
            except BaseException:
                log.flush()
                print((var_dir / "server.log").read_text()[-4000:], file=sys.stderr)
                raise
            finally:
                server.terminate()
                server.wait(timeout=30)
    total = sum(cap.taken.values())
    print(
        f"{len(cap.taken)} screenshots, {total / 1e6:.1f} MB; {len(pdfs)} PDFs, "
        f"{sum(pdfs.values()) / 1e6:.1f} MB; {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
