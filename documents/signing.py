"""Invisible PAdES signatures on issued documents, with the commune's certificate if any.

Where the certificate comes from, first match wins:
1. `SIGNING_P12_DIR/<commune GSO code>.p12`, passphrase from `SIGNING_P12_PASSPHRASE_<code>`
   or else `SIGNING_P12_PASSPHRASE`;
2. `SIGNING_P12_PATH`, one certificate for every commune, passphrase `SIGNING_P12_PASSPHRASE`;
3. a development certificate made on first use under `PRIVATE_STORAGE_ROOT/signing/`, named
   as not legally valid (refused instead when `SIGNING_REQUIRE_CERTIFICATE` is true).

Each name is read from Django settings if defined there, else from the environment
(passphrases may come from `<NAME>_FILE`). Call `signer_for()` before rendering: its
`is_dev` answer decides whether the document prints the test mark. The signature block is
drawn by the template; pyHanko's visible stamps break Vietnamese letter spacing.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import logging
import os
import secrets
import threading
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from config.env import env

logger = logging.getLogger(__name__)

# Subject names of the development certificates (CN at most 64 bytes): C=VN, O=Khai báo F0.
DEV_SIGNER_NAME = "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ - chứng thư thử nghiệm"
DEV_CA_NAME = "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ - CA thử nghiệm"
DEV_BUNDLE = "dev-signer.p12"
SIGNATURE_FIELD = "ChuKySo"
DEFAULT_REASON = "Ký ban hành văn bản"
# Room for the CMS blob (certificate chain included); skips pyHanko's dry-run signature.
BYTES_RESERVED = 16_384

_lock = threading.Lock()
_signers: dict[str, tuple[KeptKeySigner, bool]] = {}
# Opening a PKCS#12 bundle costs ~70 ms (its key derivation): communes that share a bundle
# (SIGNING_P12_PATH, or the development certificate) share one loaded signer.
_bundles: dict[Path, KeptKeySigner] = {}
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class SigningNotConfigured(ImproperlyConfigured):
    """No certificate for a commune while development certificates are refused."""


class KeptKeySigner(signers.SimpleSigner):
    """A SimpleSigner that parses its private key once instead of at every signature.

    pyHanko re-parses the key for each signature; for RSA that re-runs the key checks,
    about 36 ms of the 50 ms a signature took here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._private_key = serialization.load_der_private_key(
            self.signing_key.dump(), password=None
        )

    @classmethod
    def from_pkcs12(cls, data: bytes, passphrase: bytes | None = None) -> KeptKeySigner:
        loaded = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
        return cls(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = _HASHES.get(digest_algorithm)
        key = self._private_key
        if digest and mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), digest())
        if digest and mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(digest()))
        return super().sign_raw(data, digest_algorithm)


def _setting(name: str, default: str = "") -> str:
    from django.conf import settings

    try:
        value = getattr(settings, name, None)
    except ImproperlyConfigured:  # used outside Django (the benchmark)
        value = None
    if value is None or value == "":
        return env(name, default)
    return str(value)


def _require_certificate() -> bool:
    return _setting("SIGNING_REQUIRE_CERTIFICATE", "false").lower() in {"1", "true", "yes", "on"}


def signing_dir() -> Path:
    """Where the development certificate lives: PRIVATE_STORAGE_ROOT/signing."""
    root = _setting("PRIVATE_STORAGE_ROOT", str(Path(__file__).resolve().parent.parent / "var"))
    return Path(root) / "signing"


def signer_for(commune_code: str) -> tuple[KeptKeySigner, bool]:
    """The signer for a commune's documents and whether it is the development certificate."""
    with _lock:
        if commune_code not in _signers:
            _signers[commune_code] = _load_signer(commune_code)
        return _signers[commune_code]


def forget_signers() -> None:
    """Drop the loaded signers, so that changed settings take effect (tests, rotation)."""
    with _lock:
        _signers.clear()
        _bundles.clear()


def _load_signer(commune_code: str) -> tuple[KeptKeySigner, bool]:
    directory = _setting("SIGNING_P12_DIR")
    if directory:
        path = Path(directory) / f"{commune_code}.p12"
        if path.is_file():
            passphrase = env(f"SIGNING_P12_PASSPHRASE_{commune_code}") or _setting(
                "SIGNING_P12_PASSPHRASE"
            )
            return _load_p12(path, passphrase), False
    shared = _setting("SIGNING_P12_PATH")
    if shared:
        path = Path(shared).resolve()
        if path not in _bundles:
            _bundles[path] = _load_p12(path, _setting("SIGNING_P12_PASSPHRASE"))
        return _bundles[path], False
    if _require_certificate():
        raise SigningNotConfigured(
            f"Chưa có chứng thư số cho xã {commune_code}: đặt {commune_code}.p12 vào "
            "SIGNING_P12_DIR hoặc cấu hình SIGNING_P12_PATH."
        )
    if directory:
        logger.warning(
            "No %s.p12 in SIGNING_P12_DIR; using the development certificate", commune_code
        )
    path = (signing_dir() / DEV_BUNDLE).resolve()
    if path not in _bundles:
        _bundles[path] = load_or_create_dev_signer(signing_dir())
    return _bundles[path], True


def _load_p12(path: Path, passphrase: str) -> KeptKeySigner:
    try:
        return KeptKeySigner.from_pkcs12(path.read_bytes(), passphrase.encode() or None)
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"Không đọc được chứng thư số {path}: sai đường dẫn hoặc sai mật khẩu ({exc})."
        ) from exc


# --- Development certificate ---------------------------------------------------------------


def load_or_create_dev_signer(directory: Path) -> KeptKeySigner:
    """The development signer in `directory`, created once even when processes race."""
    path = directory / DEV_BUNDLE
    if not path.exists():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = directory / f".{DEV_BUNDLE}.{os.getpid()}.{secrets.token_hex(6)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_dev_bundle())
                handle.flush()
                os.fsync(handle.fileno())
            # link() publishes the finished file atomically and fails if another process
            # got there first; then we use theirs, so everyone signs with one certificate.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return KeptKeySigner.from_pkcs12(path.read_bytes())


def dev_ca_certificate(directory: Path | None = None) -> asn1_x509.Certificate:
    """The development CA, to use as trust root when validating development signatures."""
    data = (directory or signing_dir()).joinpath(DEV_BUNDLE).read_bytes()
    _, _, extra = pkcs12.load_key_and_certificates(data, None)
    ca = next(cert for cert in extra if cert.subject == cert.issuer)
    return asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Khai báo F0"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _dev_bundle() -> bytes:
    """A PKCS#12 with a fresh self-signed CA and a signing certificate it issued."""
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    until = now + datetime.timedelta(days=3653)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name(DEV_CA_NAME)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(DEV_SIGNER_NAME))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    # The CA key is not kept: nothing else can ever be issued under this development CA.
    return pkcs12.serialize_key_and_certificates(
        name=b"khaibaof0-dev",
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.NoEncryption(),
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


# --- Signing -------------------------------------------------------------------------------


def sign_pdf(
    pdf_bytes: bytes,
    *,
    signer: signers.Signer,
    reason: str = DEFAULT_REASON,
    location: str = "",
) -> bytes:
    """`pdf_bytes` with an invisible PAdES (B-B) signature covering the whole file."""
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    output = signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=BYTES_RESERVED)
    return output.getvalue()
