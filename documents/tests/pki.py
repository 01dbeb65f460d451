"""A throwaway PKI for the signer tests: a root CA, a signer and a timestamp authority, and
local stand-ins of a CSC signing service and an RFC 3161 timestamp server that sign with
those real keys."""

from __future__ import annotations

import base64
import datetime
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

SHA256_WITH_RSA = "1.2.840.113549.1.1.11"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@dataclass
class Pki:
    ca_key: rsa.RSAPrivateKey
    ca: x509.Certificate
    signer_key: rsa.RSAPrivateKey
    signer: x509.Certificate
    tsa_key: rsa.RSAPrivateKey
    tsa: x509.Certificate

    @property
    def trust_root(self) -> asn1_x509.Certificate:
        return _asn1(self.ca)

    def signer_key_pem(self) -> bytes:
        return self.signer_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def der(self, cert: x509.Certificate) -> bytes:
        return cert.public_bytes(serialization.Encoding.DER)

    def dummy_tsa(self) -> DummyTimeStamper:
        key_der = self.tsa_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return DummyTimeStamper(
            tsa_cert=_asn1(self.tsa), tsa_key=asn1_keys.PrivateKeyInfo.load(key_der)
        )


def make_pki(signer_name: str = "Chủ tịch UBND xã Tràng Đà") -> Pki:
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    until = now + datetime.timedelta(days=365)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("CA thử nghiệm của bộ kiểm thử"))
        .issuer_name(_name("CA thử nghiệm của bộ kiểm thử"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(common_name: str, *extensions) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(until)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
        )
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical)
        return key, builder.sign(ca_key, hashes.SHA256())

    signing_usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    signer_key, signer = leaf(signer_name, (signing_usage, True))
    tsa_key, tsa = leaf(
        "TSA thử nghiệm", (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)
    )
    return Pki(ca_key, ca, signer_key, signer, tsa_key, tsa)


class _Server:
    """A ThreadingHTTPServer on a free local port, stopped by close()."""

    def __init__(self, handler):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class CscStandIn:
    """What the stand-in of the CSC API v1 saw: every request body, by endpoint."""

    pki: Pki
    credential: str
    pin: str
    token: str = "client-token-123"
    requests: list[tuple[str, dict]] = field(default_factory=list)
    sads: dict[str, int] = field(default_factory=dict)
    server: _Server | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> CscStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                endpoint = self.path.removeprefix("/csc/v1/")
                stand_in.requests.append((endpoint, body))
                if endpoint == "oauth2/token":
                    return self._answer(200, {"access_token": stand_in.token, "expires_in": 600})
                if self.headers.get("Authorization") != f"Bearer {stand_in.token}":
                    return self._answer(401, {"error": "invalid_token"})
                if body.get("credentialID") != stand_in.credential:
                    return self._answer(400, {"error": "invalid_request"})
                return self._answer(*stand_in.handle(endpoint, body))

        self.server = _Server(Handler)
        return self

    def handle(self, endpoint: str, body: dict) -> tuple[int, dict]:
        if endpoint == "credentials/info":
            chain = [self.pki.signer, self.pki.ca]
            return 200, {
                "key": {"status": "enabled", "algo": [SHA256_WITH_RSA], "len": 2048},
                "cert": {
                    "status": "valid",
                    "certificates": [base64.b64encode(self.pki.der(c)).decode() for c in chain],
                },
                "authMode": "explicit",
                "SCAL": "1",
                "multisign": 100,
            }
        if endpoint == "credentials/authorize":
            if body.get("PIN") != self.pin:
                return 401, {"error": "invalid_pin", "error_description": "PIN sai"}
            sad = f"sad-{len(self.sads) + 1}"
            self.sads[sad] = int(body.get("numSignatures", 1))
            return 200, {"SAD": sad, "expiresIn": 600}
        if endpoint == "signatures/signHash":
            left = self.sads.get(body.get("SAD"), 0)
            if left < len(body["hash"]) or body.get("signAlgo") != SHA256_WITH_RSA:
                return 400, {"error": "invalid_request"}
            self.sads[body["SAD"]] = left - len(body["hash"])
            signatures = [
                self.pki.signer_key.sign(
                    base64.b64decode(digest), padding.PKCS1v15(), Prehashed(hashes.SHA256())
                )
                for digest in body["hash"]
            ]
            return 200, {"signatures": [base64.b64encode(s).decode() for s in signatures]}
        return 404, {"error": "not_found"}

    def close(self) -> None:
        self.server.close()


class TsaStandIn:
    """An RFC 3161 timestamp server over HTTP answering with pyHanko's DummyTimeStamper
    (which signs with the PKI's real TSA key); counts the requests it answered."""

    def __init__(self, pki: Pki):
        self.stamper = pki.dummy_tsa()
        self.answered = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                request = tsp.TimeStampReq.load(self.rfile.read(length))
                data = stand_in.stamper.request_tsa_response(request).dump()
                stand_in.answered += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = _Server(Handler)

    @property
    def url(self) -> str:
        return self.server.url

    def close(self) -> None:
        self.server.close()
