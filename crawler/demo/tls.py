"""A throwaway self-signed certificate, so the fixture servers can serve ``https://`` sites.

Made when a server starts (never stored in the repository) with ``cryptography``
(a dependency of Scrapy). Scrapy's default TLS context does not verify
certificates, as a browser would, so one certificate serves every host; most real
district portals are https, and crawls of them go through the fixture server's
``CONNECT`` tunnel.
"""

from __future__ import annotations

import datetime
import ssl
import tempfile
from pathlib import Path


def self_signed(folder: Path, names: tuple[str, ...] = ("*.govnews.test", "localhost")) -> tuple[Path, Path]:
    """Write ``cert.pem`` and ``key.pem`` (EC P-256, valid a day) into ``folder``; return their paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "govnews fixture server")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def server_context() -> ssl.SSLContext:
    """A server-side TLS context with a fresh self-signed certificate."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory(prefix="govnews-tls-") as tmp:
        cert, key = self_signed(Path(tmp))
        ctx.load_cert_chain(cert, key)
    return ctx
