import io
import multiprocessing
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from documents import samples, signing
from documents.rendering import render_isolation_decision
from documents.tests.pdf import pdf_text


@pytest.fixture(autouse=True)
def fresh_signers(settings, tmp_path, monkeypatch):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    for name in ("SIGNING_P12_DIR", "SIGNING_P12_PATH", "SIGNING_P12_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    signing.forget_signers()
    yield
    signing.forget_signers()


@pytest.fixture(scope="module")
def decision_pdf():
    return render_isolation_decision(samples.ISOLATION_DECISION)


def _validate(signed: bytes, trust_root):
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[trust_root]))
    return signature, status


def _commune_p12(tmp_path, passphrase: bytes) -> tuple[bytes, bytes]:
    """A PKCS#12 protected by `passphrase` and the DER of its certificate."""
    key, cert, cas = pkcs12.load_key_and_certificates(signing._dev_bundle(), None)
    data = pkcs12.serialize_key_and_certificates(
        b"commune", key, cert, cas, serialization.BestAvailableEncryption(passphrase)
    )
    return data, cert.public_bytes(serialization.Encoding.DER)


def test_without_configuration_a_development_certificate_is_made_and_kept(settings):
    signer, is_dev = signing.file_signer_for("02209")
    assert is_dev
    subject = signer.signing_cert.subject.human_friendly
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in subject and "Khai báo F0" in subject
    assert (settings.PRIVATE_STORAGE_ROOT / "signing" / signing.DEV_BUNDLE).is_file()
    assert signing.file_signer_for("02209")[0] is signer
    signing.forget_signers()
    assert signing.file_signer_for("02536")[0].signing_cert.dump() == signer.signing_cert.dump()


def test_signed_decision_validates_against_the_development_ca(decision_pdf):
    signer, _ = signing.file_signer_for("02209")
    signed = signing.sign_pdf(decision_pdf, signer=signer)
    signature, status = _validate(signed, signing.dev_ca_certificate())
    assert status.intact and status.valid and status.trusted
    assert signature.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert "Số: 05/QĐ-UBND" in pdf_text(signed)
    assert "Nguyễn Thị Hồng Nhung" in pdf_text(signed)


def test_a_changed_byte_breaks_the_signature(decision_pdf):
    signer, _ = signing.file_signer_for("02209")
    signed = bytearray(signing.sign_pdf(decision_pdf, signer=signer))
    position = signed.index(b"/Creator(") + len(b"/Creator(")
    signed[position] ^= 0x01
    _, status = _validate(bytes(signed), signing.dev_ca_certificate())
    assert not status.intact and not status.bottom_line


def test_a_signature_from_another_ca_is_not_trusted(decision_pdf, tmp_path):
    stranger = signing.load_or_create_dev_signer(tmp_path / "other")
    signed = signing.sign_pdf(decision_pdf, signer=stranger)
    signing.file_signer_for("02209")  # makes the site's own development CA
    _, status = _validate(signed, signing.dev_ca_certificate())
    assert status.intact and not status.trusted


def _create_in_process(directory, barrier, results):
    barrier.wait()
    signer = signing.load_or_create_dev_signer(directory)
    results.put(signer.signing_cert.dump())


def test_processes_starting_together_end_up_with_one_certificate(tmp_path):
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(4), context.Queue()
    processes = [
        context.Process(target=_create_in_process, args=(tmp_path, barrier, results))
        for _ in range(4)
    ]
    for process in processes:
        process.start()
    certificates = {results.get(timeout=60) for _ in processes}
    for process in processes:
        process.join(timeout=60)
    assert len(certificates) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == [signing.DEV_BUNDLE]


def test_threads_share_one_loaded_signer_and_sign_concurrently(decision_pdf):
    loaded, signed = [], []

    def work():
        signer, _ = signing.file_signer_for("02209")
        loaded.append(signer)
        signed.append(signing.sign_pdf(decision_pdf, signer=signer))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(signer) for signer in loaded}) == 1
    for document in signed:
        _, status = _validate(document, signing.dev_ca_certificate())
        assert status.bottom_line


def test_commune_certificate_from_the_directory_with_its_own_passphrase(
    settings, tmp_path, monkeypatch
):
    data, certificate = _commune_p12(tmp_path, b"mat-khau-tra-da")
    (tmp_path / "02209.p12").write_bytes(data)
    settings.SIGNING_P12_DIR = str(tmp_path)
    monkeypatch.setenv("SIGNING_P12_PASSPHRASE_02209", "mat-khau-tra-da")
    signer, is_dev = signing.file_signer_for("02209")
    assert not is_dev
    assert signer.signing_cert.dump() == certificate
    # A commune without its own file falls back to the development certificate.
    assert signing.file_signer_for("02536")[1] is True


def test_one_shared_certificate_from_the_environment(tmp_path, monkeypatch):
    data, certificate = _commune_p12(tmp_path, b"chung")
    (tmp_path / "province.p12").write_bytes(data)
    monkeypatch.setenv("SIGNING_P12_PATH", str(tmp_path / "province.p12"))
    monkeypatch.setenv("SIGNING_P12_PASSPHRASE", "chung")
    for commune in ("02209", "02536"):
        signer, is_dev = signing.file_signer_for(commune)
        assert not is_dev and signer.signing_cert.dump() == certificate
    # Opened once for the whole province, not once per commune (each opening costs ~70 ms).
    assert signing.file_signer_for("02209")[0] is signing.file_signer_for("02536")[0]


def test_communes_without_a_certificate_share_one_loaded_development_signer(monkeypatch):
    loads = []
    load = signing.load_or_create_dev_signer
    monkeypatch.setattr(signing, "load_or_create_dev_signer", lambda d: loads.append(d) or load(d))
    signers = {signing.file_signer_for(code)[0] for code in ("02209", "02536", "02200")}
    assert len(signers) == 1 and len(loads) == 1


def test_wrong_passphrase_is_reported_clearly(settings, tmp_path):
    data, _ = _commune_p12(tmp_path, b"dung")
    (tmp_path / "02209.p12").write_bytes(data)
    settings.SIGNING_P12_DIR = str(tmp_path)
    settings.SIGNING_P12_PASSPHRASE = "sai"
    with pytest.raises(ImproperlyConfigured, match="sai đường dẫn hoặc sai mật khẩu"):
        signing.file_signer_for("02209")


def test_production_can_refuse_development_certificates(settings):
    settings.SIGNING_REQUIRE_CERTIFICATE = True
    with pytest.raises(signing.SigningNotConfigured, match="02209"):
        signing.file_signer_for("02209")
