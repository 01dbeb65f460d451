"""The signers a commune may choose: a PKCS#11 token (against SoftHSM2, a real PKCS#11
module), remote signing over the CSC API (against a local stand-in that signs with a real
key), and RFC 3161 timestamps (against a local timestamp server)."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from documents import samples, signing
from documents.rendering import render_isolation_decision
from documents.tests.pki import CscStandIn, TsaStandIn, make_pki

TOKEN_LABEL = "UBND Trang Da"
KEY_LABEL = "chu-tich"
PIN = "246810"
MODULE_PLACES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)
ENV_NAMES = (
    "SIGNING_PKCS11_MODULE",
    "SIGNING_PKCS11_TOKEN",
    "SIGNING_PKCS11_KEY",
    "SIGNING_PKCS11_CERT",
    "SIGNING_CSC_URL",
    "SIGNING_CSC_CREDENTIAL",
    "SIGNING_CSC_CLIENT_ID",
    "SIGNING_CSC_CLIENT_SECRET",
    "SIGNING_CSC_TOKEN",
    "SIGNING_TSA_URL",
)


@pytest.fixture(autouse=True)
def clean_environment(settings, tmp_path, monkeypatch):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    signing.forget_signers()
    yield
    signing.forget_signers()


@pytest.fixture(scope="module")
def decision_pdf():
    return render_isolation_decision(samples.ISOLATION_DECISION)


@pytest.fixture(scope="session")
def pki():
    return make_pki()


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory, pki):
    """A SoftHSM2 token of its own (in a temporary SOFTHSM2_CONF) holding the signer's key
    and certificate, as a CA's USB token holds them; the module's path. Once per test
    process: the module reads its configuration when first loaded."""
    module = next((path for path in MODULE_PLACES if Path(path).is_file()), None)
    if module is None or shutil.which("softhsm2-util") is None:
        # As for Chromium: `make test` installs it; missing under CI=true is a failure.
        if os.environ.get("CI") == "true":
            pytest.fail("SoftHSM2 is missing: `make test-deps` installs it (Debian's softhsm2).")
        pytest.skip("SoftHSM2 is not installed; run `make test` to install it")
    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\n")
    # The module reads its configuration when first loaded in this process: set it for good.
    os.environ["SOFTHSM2_CONF"] = str(conf)
    util = shutil.which("softhsm2-util")
    subprocess.run(  # noqa: S603 (fixed arguments)
        [util, "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN,
         "--so-pin", "13572468"],
        check=True, capture_output=True,
    )  # fmt: skip
    key_file = root / "key.pem"
    key_file.write_bytes(pki.signer_key_pem())
    subprocess.run(  # noqa: S603 (fixed arguments)
        [util, "--import", str(key_file), "--token", TOKEN_LABEL, "--label", KEY_LABEL,
         "--id", "01", "--pin", PIN],
        check=True, capture_output=True,
    )  # fmt: skip
    key_file.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(module).get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: KEY_LABEL,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: pki.signer.subject.public_bytes(),
                Attribute.VALUE: pki.der(pki.signer),
            }
        )
    return module


@pytest.fixture
def token_configured(softhsm, monkeypatch):
    monkeypatch.setenv("SIGNING_PKCS11_MODULE", softhsm)
    monkeypatch.setenv("SIGNING_PKCS11_TOKEN_02209", TOKEN_LABEL)
    monkeypatch.setenv("SIGNING_PKCS11_KEY", KEY_LABEL)


@pytest.fixture
def csc(pki, monkeypatch):
    stand_in = CscStandIn(pki=pki, credential="cred-02209", pin=PIN).start()
    monkeypatch.setenv("SIGNING_CSC_URL", stand_in.url)
    monkeypatch.setenv("SIGNING_CSC_CREDENTIAL_02209", "cred-02209")
    monkeypatch.setenv("SIGNING_CSC_CLIENT_ID", "khaibaof0")
    monkeypatch.setenv("SIGNING_CSC_CLIENT_SECRET", "client-secret")
    yield stand_in
    stand_in.close()


def validated(signed: bytes, pki):
    """The signature's validation status against the test PKI's root."""
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[pki.trust_root], allow_fetching=False)
    return validate_pdf_signature(signature, context, ts_validation_context=context)


def has_timestamp(signed: bytes) -> bool:
    """Whether the signature carries an RFC 3161 signature timestamp token (PAdES B-T)."""
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    attributes = signature.signer_info["unsigned_attrs"]
    return any(a["type"].native == "signature_time_stamp_token" for a in attributes or [])


def test_a_token_signer_signs_through_a_pkcs11_module_and_pyhanko_validates_it(
    token_configured, pki, decision_pdf
):
    signer = signing.signer_for("02209", signing.SignerKind.TOKEN)
    assert signer.needs_pin
    with signer.session(pin=PIN) as session:
        signed = session.sign(decision_pdf, location="Xã Tràng Đà")
    status = validated(signed, pki)
    assert status.bottom_line, status.pretty_print_details()
    assert status.signing_cert.subject.native["common_name"] == "Chủ tịch UBND xã Tràng Đà"
    assert not session.is_dev


def test_a_wrong_token_pin_is_refused_in_vietnamese(token_configured):
    signer = signing.signer_for("02209", signing.SignerKind.TOKEN)
    with pytest.raises(signing.SigningRefused) as refused, signer.session(pin="000000"):
        pass
    assert refused.value.code == "pin_incorrect"
    assert "Mã PIN của token không đúng" in refused.value.messages[0]


def test_a_token_signer_without_a_pin_asks_for_it(token_configured):
    signer = signing.signer_for("02209", signing.SignerKind.TOKEN)
    with pytest.raises(signing.SigningRefused) as refused, signer.session(pin=""):
        pass
    assert refused.value.code == "pin_required"


def test_a_token_or_remote_signer_without_its_settings_names_what_is_missing():
    with pytest.raises(signing.SigningNotConfigured) as missing:
        signing.signer_for("02209", signing.SignerKind.TOKEN)
    assert "SIGNING_PKCS11_MODULE" in str(missing.value)
    with pytest.raises(signing.SigningNotConfigured) as missing:
        signing.signer_for("02209", signing.SignerKind.REMOTE)
    assert "SIGNING_CSC_URL" in str(missing.value)


def test_the_remote_signer_authorizes_once_with_the_pin_for_a_batch_and_signs(
    csc, pki, decision_pdf
):
    signer = signing.signer_for("02209", signing.SignerKind.REMOTE)
    assert signer.needs_pin
    with signer.session(pin=PIN, count=3) as session:
        signed = [session.sign(decision_pdf) for _ in range(3)]
    for pdf in signed:
        assert validated(pdf, pki).bottom_line
    endpoints = [endpoint for endpoint, _ in csc.requests]
    assert endpoints.count("credentials/authorize") == 1
    assert endpoints.count("signatures/signHash") == 3
    assert endpoints[0] == "oauth2/token"  # client credentials from the environment
    authorize = next(body for endpoint, body in csc.requests if endpoint.endswith("authorize"))
    assert authorize["numSignatures"] == 3 and authorize["PIN"] == PIN


def test_the_remote_signer_refuses_a_wrong_pin_in_vietnamese(csc):
    signer = signing.signer_for("02209", signing.SignerKind.REMOTE)
    with pytest.raises(signing.SigningRefused) as refused, signer.session(pin="111111"):
        pass
    assert refused.value.code == "pin_incorrect"
    assert not any(endpoint == "signatures/signHash" for endpoint, _ in csc.requests)


def test_a_configured_timestamp_server_stamps_every_signature(
    token_configured, pki, decision_pdf, monkeypatch
):
    tsa = TsaStandIn(pki)
    monkeypatch.setenv("SIGNING_TSA_URL", tsa.url)
    try:
        with signing.signer_for("02209", signing.SignerKind.TOKEN).session(pin=PIN) as session:
            signed = session.sign(decision_pdf)
        with signing.signer_for("02209").session() as session:
            file_signed = session.sign(decision_pdf)
    finally:
        tsa.close()
    assert tsa.answered == 2
    status = validated(signed, pki)
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.valid
    assert status.timestamp_validity.intact
    assert has_timestamp(signed) and has_timestamp(file_signed)


def test_without_a_timestamp_server_signatures_carry_no_timestamp(decision_pdf):
    with signing.signer_for("02209").session() as session:
        signed = session.sign(decision_pdf)
    assert not has_timestamp(signed)


# Through the pages: a commune that signs with its token or remotely ------------------------


def _commune_signs_with(kind, commune, leader):
    from documents.services import document_settings_save

    document_settings_save(unit=commune, by=leader, values={"signer_kind": kind})


def _pin_stored_anywhere(pin: str) -> list[str]:
    """Rows of any table whose text holds `pin` (the database dumped as text)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        for row in model.objects.all().values():
            if pin in str(row):
                found.append(f"{model._meta.label} {row.get('id')}")
    return found


@pytest.mark.django_db
def test_a_token_commune_asks_the_pin_refuses_a_wrong_one_and_signs_with_the_token(
    token_configured, pki, accepted_case, commune_a, leader_a, login, client
):
    from documents.models import Document
    from documents.tests.conftest import decision_of

    _commune_signs_with("pkcs11", commune_a, leader_a)
    document = decision_of(accepted_case)
    url = reverse("documents:issue", args=[document.pk])
    login(leader_a)
    page = client.get(url).content.decode()
    assert "Mã PIN của USB token" in page and 'type="password"' in page

    response = client.post(url, {"confirm": "1", "pin": "000000"})
    assert response.status_code == 200
    assert "Mã PIN của token không đúng" in response.content.decode()
    assert Document.objects.get(pk=document.pk).is_prepared  # no number taken

    response = client.post(url, {"confirm": "1"})
    assert "Vui lòng nhập mã PIN để ký số." in response.content.decode()

    response = client.post(url, {"confirm": "1", "pin": PIN})
    assert response.status_code == 302
    issued = Document.objects.get(pk=document.pk)
    assert issued.number_label == "01/QĐ-UBND" and not issued.signed_with_dev_certificate
    status = validated(issued.file.open("rb").read(), pki)
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Chủ tịch UBND xã Tràng Đà"
    assert _pin_stored_anywhere(PIN) == []


@pytest.mark.django_db
def test_a_remote_signing_commune_signs_a_batch_with_one_authorization(
    csc, pki, commune_a, officer_a, leader_a, login, client, django_capture_on_commit_callbacks
):
    from documents.tests.conftest import accept, decision_of
    from jobs.models import BulkJob

    _commune_signs_with("csc", commune_a, leader_a)
    cases = [accept(commune_a, officer_a, full_name=f"Người Số {i}") for i in range(3)]
    login(leader_a)
    client.post(reverse("documents:batch_create"), {"all_pending": "1"})
    job = BulkJob.objects.get()
    confirm = reverse("documents:batch_confirm", args=[job.pk])
    page = client.get(reverse("documents:batch", args=[job.pk])).content.decode()
    assert "Mã PIN ký số" in page and "Mã OTP" in page

    response = client.post(confirm, {"confirm": "1", "pin": "999999"})
    assert "mã PIN hoặc mã OTP không đúng" in response.content.decode()
    job.refresh_from_db()
    assert job.state == "preview"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm, {"confirm": "1", "pin": PIN})
    job.refresh_from_db()
    assert (job.state, job.done, job.failed) == ("done", 3, 0)
    for case in cases:
        signed = decision_of(case).file.open("rb").read()
        assert validated(signed, pki).bottom_line
    endpoints = [endpoint for endpoint, _ in csc.requests]
    assert endpoints.count("credentials/authorize") == 2  # the wrong PIN, then the right one
    assert endpoints.count("signatures/signHash") == 3
    assert _pin_stored_anywhere(PIN) == []


@pytest.mark.django_db
def test_a_token_batch_resumed_without_its_session_asks_to_sign_again(
    token_configured, commune_a, officer_a, leader_a
):
    """The worker that takes over a batch whose web process died has no PIN: the
    documents are refused with a message, and stay prepared."""
    from django.utils import timezone

    from documents import batches
    from documents.tests.conftest import accept, decision_of
    from jobs import runner

    _commune_signs_with("pkcs11", commune_a, leader_a)
    case = accept(commune_a, officer_a)
    job = batches.documents_batch_prepare(by=leader_a, documents=[decision_of(case)])
    job.state, job.confirmed_at = "queued", timezone.now()
    job.params = {**job.params, "needs_pin": True}
    job.save()
    job = runner.job_run(job_id=job.pk)
    assert (job.done, job.failed) == (0, 1)
    assert "ban hành lại và nhập mã PIN" in str(job.errors)
    assert decision_of(case).is_prepared
