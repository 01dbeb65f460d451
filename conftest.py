"""Shared fixtures: the Tuyên Quang units and one persona per role.

Commune A is Xã Tràng Đà (02209) and A2 Phường Phan Thiết (02200), both in Thành phố
Tuyên Quang (070); commune B is Thị trấn Sơn Dương (02536) in Huyện Sơn Dương (076).
"""

import pytest

from accounts.models import Role
from accounts.testing import make_user
from cases.testing import ensure_rules
from config.testing import S3_TEST_BUCKET
from units.testing import ensure_units, unit


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    """Every test stores uploads and issued files in a private folder of its own."""
    location = tmp_path / "private"
    storages = {**settings.STORAGES}
    storages["default"] = {
        **storages["default"],
        "OPTIONS": {**storages["default"]["OPTIONS"], "location": location},
    }
    settings.STORAGES = storages
    return location


@pytest.fixture(autouse=True)
def rule_sets_forgotten():
    """A rolled-back or flushed test database sends no signal: start each test afresh."""
    from cases.rules import rule_sets_forget

    rule_sets_forget()


@pytest.fixture
def seeded_rules(transactional_db):
    """The 2022 rules again: a transactional test before this one flushed the migration's rows.

    (serialized_rollback would restore them, but clashes with the content types that the
    flush of a non-serialized transactional test recreates.)
    """
    ensure_rules()


@pytest.fixture
def s3_bucket(settings, monkeypatch):
    """FILE_STORAGE=s3 as configured from S3_* variables, against moto's stand-in for S3;
    yields a boto3 client to look into the bucket."""
    import boto3
    from moto import mock_aws

    from config.storage import object_storage

    region = "ap-southeast-1"
    for name, value in {
        "S3_BUCKET": S3_TEST_BUCKET,
        "S3_PREFIX": "tuyenquang",
        "S3_REGION": region,
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_SERVER_SIDE_ENCRYPTION": "AES256",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client(
            "s3",
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106
        )
        s3.create_bucket(
            Bucket=S3_TEST_BUCKET, CreateBucketConfiguration={"LocationConstraint": region}
        )
        settings.STORAGES = {**settings.STORAGES, "default": object_storage()}
        yield s3


@pytest.fixture
def units(db):
    ensure_units()


@pytest.fixture
def commune_a(units):
    return unit("02209")


@pytest.fixture
def commune_a2(units):
    return unit("02200")


@pytest.fixture
def commune_b(units):
    return unit("02536")


@pytest.fixture
def officer_a(units):
    return make_user("officer.a", Role.COMMUNE_OFFICER, "02209")


@pytest.fixture
def leader_a(units):
    return make_user("leader.a", Role.COMMUNE_LEADER, "02209", job_title="Chủ tịch UBND xã")


@pytest.fixture
def officer_a2(units):
    return make_user("officer.a2", Role.COMMUNE_OFFICER, "02200")


@pytest.fixture
def officer_b(units):
    return make_user("officer.b", Role.COMMUNE_OFFICER, "02536")


@pytest.fixture
def leader_b(units):
    return make_user("leader.b", Role.COMMUNE_LEADER, "02536")


@pytest.fixture
def district_staff(units):
    """Staff of Thành phố Tuyên Quang, which contains communes A and A2."""
    return make_user("district.tp", Role.DISTRICT_STAFF, "070")


@pytest.fixture
def district_other(units):
    """Staff of Huyện Sơn Dương, which contains commune B only."""
    return make_user("district.sd", Role.DISTRICT_STAFF, "076")


@pytest.fixture
def province_health(units):
    return make_user("soyte.p", Role.PROVINCE_HEALTH, "08")


@pytest.fixture
def sysadmin(units):
    return make_user("admin.p", Role.SYSTEM_ADMIN, "08")


@pytest.fixture
def login(client):
    """Sign a persona in on the test client: `login(officer_a)`."""

    def _login(user, c=None):
        (c or client).force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c or client

    return _login


# Browser tests ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=vi-VN",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; missing Chromium fails under CI=true."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: make test installs it (scripts/ensure-chromium.sh)")
        pytest.skip("Chromium is not installed; run `make test` to install it")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium, live_server, transactional_db):
    """A 360-px-wide phone page in Vietnamese, against the live test server."""
    ensure_units()
    ensure_rules()
    context = chromium.new_context(
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text) if msg.type == "error" and "favicon" not in msg.text else None
        ),
    )
    page.js_errors = errors
    yield page
    context.close()
