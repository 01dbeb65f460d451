"""Invisible PAdES signatures on issued documents, by the signer each commune chose.

Three kinds of signer stand behind one interface (`signer_for(code, kind)` answers a
`CommuneSigner`; its `session(pin)` a `SigningSession` whose `sign()` signs one PDF):

- `pkcs12`, a certificate file on the server (below); no PIN;
- `pkcs11`, a PKCS#11 token or HSM (the USB tokens of the licensed CAs, plugged into the
  server, or a network HSM): `SIGNING_PKCS11_MODULE` (the module's .so), the token label
  `SIGNING_PKCS11_TOKEN_<code>` else `SIGNING_PKCS11_TOKEN`, the key label
  `SIGNING_PKCS11_KEY_<code>` else `SIGNING_PKCS11_KEY` (the certificate has the same label
  unless `SIGNING_PKCS11_CERT[_<code>]` says otherwise); the user PIN is asked at signing;
- `csc`, remote signing over the Cloud Signature Consortium API v1: `SIGNING_CSC_URL` (the
  part before /csc/v1), OAuth2 client credentials `SIGNING_CSC_CLIENT_ID` and
  `SIGNING_CSC_CLIENT_SECRET` (or a fixed `SIGNING_CSC_TOKEN`), the credential
  `SIGNING_CSC_CREDENTIAL_<code>` else `SIGNING_CSC_CREDENTIAL`; the PIN and/or one-time
  code is asked at signing and sent to credentials/authorize once per session.

A PIN or one-time code is never stored: it lives in the memory of the request (or of the
batch's thread) for the length of one signing session. When `SIGNING_TSA_URL` is set, every
signature gets an RFC 3161 timestamp from that server (PAdES B-T).

Where a `pkcs12` certificate comes from, first match wins:
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

import asyncio
import contextlib
import datetime
import io
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps

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


class SignerKind(models.TextChoices):
    """How a commune signs (DocumentTemplateSettings.signer_kind)."""

    FILE = "pkcs12", gettext_lazy("Tệp chứng thư số trên máy chủ (PKCS#12)")
    TOKEN = "pkcs11", gettext_lazy("USB token / HSM (PKCS#11), nhập mã PIN khi ký")
    REMOTE = "csc", gettext_lazy("Ký số từ xa (CSC API), nhập mã PIN/OTP khi ký")


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


def file_signer_for(commune_code: str) -> tuple[KeptKeySigner, bool]:
    """The PKCS#12 signer for a commune's documents and whether it is the development
    certificate (loaded once per process)."""
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


# --- Signing ---------------------------------------------------------------------------------


def timestamper() -> timestamps.TimeStamper | None:
    """The RFC 3161 timestamp server of `SIGNING_TSA_URL` (with `SIGNING_TSA_USER` and
    `SIGNING_TSA_PASSWORD` if it asks for HTTP basic authentication), or None."""
    url = _setting("SIGNING_TSA_URL")
    if not url:
        return None
    user = _setting("SIGNING_TSA_USER")
    auth = (user, _setting("SIGNING_TSA_PASSWORD")) if user else None
    return timestamps.HTTPTimeStamper(url, auth=auth, timeout=10)


def _metadata(reason: str, location: str) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
    )


def sign_pdf(
    pdf_bytes: bytes,
    *,
    signer: signers.Signer,
    reason: str = DEFAULT_REASON,
    location: str = "",
    timestamper: timestamps.TimeStamper | None = None,
) -> bytes:
    """`pdf_bytes` with an invisible PAdES signature covering the whole file: B-B, or B-T
    with a signature timestamp from `timestamper`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    output = signers.sign_pdf(
        writer,
        _metadata(reason, location),
        signer=signer,
        timestamper=timestamper,
        bytes_reserved=BYTES_RESERVED,
    )
    return output.getvalue()


async def async_sign_pdf(
    pdf_bytes: bytes,
    *,
    signer: signers.Signer,
    reason: str = DEFAULT_REASON,
    location: str = "",
    timestamper: timestamps.TimeStamper | None = None,
) -> bytes:
    """`sign_pdf` for signers that must run in their own event loop (the remote signer)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    output = await signers.async_sign_pdf(
        writer,
        _metadata(reason, location),
        signer=signer,
        timestamper=timestamper,
        bytes_reserved=BYTES_RESERVED,
    )
    return output.getvalue()


class SigningRefused(ValidationError):
    """The token or the signing service refused: wrong PIN or one-time code, locked token,
    service unreachable. The message is for the person signing (Vietnamese)."""


@dataclass
class SigningSession:
    """An open signer: `sign(pdf, location=...)` answers the signed PDF. Closed by the
    `CommuneSigner.session()` context that made it."""

    sign_one: Callable[..., bytes]
    is_dev: bool

    def sign(self, pdf_bytes: bytes, *, location: str = "", reason: str = DEFAULT_REASON):
        return self.sign_one(pdf_bytes, location=location, reason=reason)


@dataclass
class CommuneSigner:
    """How one commune signs. `needs_pin`: a PIN (and, for the remote signer, possibly a
    one-time code) must be typed at signing; `session(pin=..., otp=..., count=...)` opens
    the signer for `count` signatures and closes it (and forgets the PIN) on leaving."""

    kind: str
    commune_code: str
    is_dev: bool = False
    needs_pin: bool = False
    _opener: Callable[..., contextlib.AbstractContextManager[SigningSession]] = field(
        default=None, repr=False
    )

    @property
    def label(self) -> str:
        return str(SignerKind(self.kind).label)

    @contextlib.contextmanager
    def session(self, *, pin: str = "", otp: str = "", count: int = 1) -> Iterator[SigningSession]:
        if self.needs_pin and not (pin or otp):
            raise SigningRefused(_("Vui lòng nhập mã PIN để ký số."), code="pin_required")
        with self._opener(pin=pin, otp=otp, count=count) as session:
            yield session


def signer_for(commune_code: str, kind: str = SignerKind.FILE) -> CommuneSigner:
    """The signer of `kind` (SignerKind) for a commune. Raises SigningNotConfigured when
    the kind's settings are missing (the message names them)."""
    if kind == SignerKind.TOKEN:
        return _token_signer(commune_code)
    if kind == SignerKind.REMOTE:
        return _remote_signer(commune_code)
    signer, is_dev = file_signer_for(commune_code)
    stamper = timestamper()

    @contextlib.contextmanager
    def opener(**_ignored):
        yield SigningSession(
            sign_one=lambda pdf, **kw: sign_pdf(pdf, signer=signer, timestamper=stamper, **kw),
            is_dev=is_dev,
        )

    return CommuneSigner(
        kind=SignerKind.FILE, commune_code=commune_code, is_dev=is_dev, _opener=opener
    )


def _per_commune(name: str, commune_code: str) -> str:
    return env(f"{name}_{commune_code}") or _setting(name)


def _missing(kind_label: str, names: list[str], commune_code: str) -> SigningNotConfigured:
    return SigningNotConfigured(
        _("Xã %(code)s chọn ký bằng %(kind)s nhưng máy chủ chưa cấu hình %(names)s.")
        % {"code": commune_code, "kind": kind_label, "names": ", ".join(names)}
    )


# PKCS#11 ------------------------------------------------------------------------------------


def _token_signer(commune_code: str) -> CommuneSigner:
    module = _setting("SIGNING_PKCS11_MODULE")
    token = _per_commune("SIGNING_PKCS11_TOKEN", commune_code)
    key = _per_commune("SIGNING_PKCS11_KEY", commune_code)
    cert = _per_commune("SIGNING_PKCS11_CERT", commune_code) or key
    missing = [
        name
        for name, value in (
            ("SIGNING_PKCS11_MODULE", module),
            ("SIGNING_PKCS11_TOKEN", token),
            ("SIGNING_PKCS11_KEY", key),
        )
        if not value
    ]
    if missing:
        raise _missing("USB token (PKCS#11)", missing, commune_code)

    @contextlib.contextmanager
    def opener(*, pin: str, otp: str, count: int):
        from pkcs11 import exceptions as p11_errors
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as p11

        try:
            session = p11.open_pkcs11_session(
                module, token_criteria=TokenCriteria(label=token), user_pin=pin or otp
            )
        except (p11_errors.PinIncorrect, p11_errors.PinInvalid, p11_errors.PinLenRange) as exc:
            raise SigningRefused(
                _("Mã PIN của token không đúng. Lưu ý: nhập sai nhiều lần token sẽ bị khóa."),
                code="pin_incorrect",
            ) from exc
        except p11_errors.PinLocked as exc:
            raise SigningRefused(
                _("Token đã bị khóa do nhập sai mã PIN nhiều lần; liên hệ nhà cung cấp chữ ký số."),
                code="pin_locked",
            ) from exc
        except (p11_errors.PKCS11Error, p11.PKCS11Error, OSError, RuntimeError) as exc:
            logger.warning("PKCS#11 token %r of commune %s: %s", token, commune_code, exc)
            raise SigningRefused(
                _("Không mở được token ký số «%(token)s»: kiểm tra token đã cắm vào máy chủ.")
                % {"token": token},
                code="token_unavailable",
            ) from exc
        try:
            signer = p11.PKCS11Signer(session, key_label=key, cert_label=cert)
            stamper = timestamper()
            yield SigningSession(
                sign_one=lambda pdf, **kw: sign_pdf(pdf, signer=signer, timestamper=stamper, **kw),
                is_dev=False,
            )
        finally:
            session.close()

    return CommuneSigner(
        kind=SignerKind.TOKEN, commune_code=commune_code, needs_pin=True, _opener=opener
    )


# Cloud Signature Consortium API ---------------------------------------------------------------


def _remote_signer(commune_code: str) -> CommuneSigner:
    url = _setting("SIGNING_CSC_URL").rstrip("/")
    credential = _per_commune("SIGNING_CSC_CREDENTIAL", commune_code)
    missing = [
        name
        for name, value in (("SIGNING_CSC_URL", url), ("SIGNING_CSC_CREDENTIAL", credential))
        if not value
    ]
    if missing:
        raise _missing("ký số từ xa (CSC)", missing, commune_code)

    @contextlib.contextmanager
    def opener(*, pin: str, otp: str, count: int):
        loop = asyncio.new_event_loop()
        # The aiohttp session and the signer belong to one event loop, kept for the whole
        # session on a thread of its own, so that a batch authorizes once (a one-time code
        # is good for one credentials/authorize call) and reuses its connection.
        thread = threading.Thread(target=loop.run_forever, name="csc-signer", daemon=True)
        thread.start()

        def run(coroutine):
            return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=300)

        state: dict[str, Any] = {}
        try:
            run(_csc_open(state, url, credential, pin, otp, count))
            stamper = timestamper()

            def sign_one(pdf, **kw):
                return run(async_sign_pdf(pdf, signer=state["signer"], timestamper=stamper, **kw))

            yield SigningSession(sign_one=sign_one, is_dev=False)
        finally:
            if "http" in state:
                run(state["http"].close())
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            loop.close()

    return CommuneSigner(
        kind=SignerKind.REMOTE, commune_code=commune_code, needs_pin=True, _opener=opener
    )


async def _csc_token(http, url: str) -> str | None:
    """The OAuth2 access token: a fixed one, or one from the client-credentials grant."""
    fixed = _setting("SIGNING_CSC_TOKEN")
    if fixed:
        return fixed
    client_id = _setting("SIGNING_CSC_CLIENT_ID")
    if not client_id:
        return None
    async with http.post(
        f"{url}/csc/v1/oauth2/token",
        json={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": _setting("SIGNING_CSC_CLIENT_SECRET"),
        },
        raise_for_status=True,
    ) as response:
        return (await response.json())["access_token"]


async def _csc_open(state, url, credential, pin, otp, count) -> None:
    import aiohttp
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers import csc_signer as csc

    http = state["http"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
    try:
        info = csc.CSCServiceSessionInfo(
            service_url=url, credential_id=credential, oauth_token=await _csc_token(http, url)
        )
        credential_info = await csc.fetch_certs_in_csc_credential(http, info)
        manager = _PinAuthorization(info, credential_info, http=http, pin=pin, otp=otp, count=count)
        await manager.authorize_signature([])
    except (aiohttp.ClientResponseError, SigningError) as exc:
        status = getattr(exc.__cause__, "status", None) or getattr(exc, "status", None)
        logger.warning("CSC service %s, credential %s: %s", url, credential, exc)
        if status in (400, 401, 403):
            raise SigningRefused(
                _("Dịch vụ ký số từ chối: mã PIN hoặc mã OTP không đúng, hoặc đã hết hạn."),
                code="pin_incorrect",
            ) from exc
        raise SigningRefused(
            _("Không kết nối được dịch vụ ký số từ xa; thử lại sau ít phút."),
            code="service_unavailable",
        ) from exc
    except aiohttp.ClientError as exc:
        logger.warning("CSC service %s unreachable: %s", url, exc)
        raise SigningRefused(
            _("Không kết nối được dịch vụ ký số từ xa; thử lại sau ít phút."),
            code="service_unavailable",
        ) from exc
    state["signer"] = csc.CSCSigner(http, manager)


class _PinAuthorization:
    """credentials/authorize once for the session's `count` signatures with the PIN and/or
    one-time code typed by the signer; the SAD it answers is reused until it expires. The
    PIN is dropped as soon as the SAD is had."""

    def __new__(cls, *args, **kwargs):
        from pyhanko.sign.signers import csc_signer as csc

        # The base class is imported lazily (it pulls in aiohttp), so the subclass is made here.
        class Manager(csc.CSCAuthorizationManager):
            def __init__(self, info, credential_info, *, http, pin, otp, count):
                super().__init__(info, credential_info)
                self.http, self.pin, self.otp, self.count = http, pin, otp, max(count, 1)
                self.sad = None

            async def authorize_signature(self, hash_b64s):
                now = datetime.datetime.now(datetime.UTC)
                if self.sad is not None and (
                    self.sad.expires_at is None or self.sad.expires_at > now + timedelta(seconds=5)
                ):
                    return self.sad
                if self.pin is None and self.otp is None:
                    raise SigningRefused(
                        _("Phiên ký số đã hết hạn; bấm ban hành lại để nhập mã PIN/OTP."),
                        code="session_expired",
                    )
                request = self.format_csc_auth_request(
                    num_signatures=self.count, pin=self.pin or None, otp=self.otp or None
                )
                async with self.http.post(
                    self.csc_session_info.endpoint_url("credentials/authorize"),
                    headers=self.auth_headers,
                    json=request,
                    raise_for_status=True,
                ) as response:
                    self.sad = self.parse_csc_auth_response(await response.json())
                self.pin = self.otp = None
                return self.sad

        return Manager(*args, **kwargs)
