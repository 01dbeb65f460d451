"""Helpers to read back what a PDF says and shows."""

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest


def pdf_text(pdf: bytes) -> str:
    """All text of the PDF, NFC, with every run of whitespace made one space."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def qr_payloads(pdf: bytes, tmp_path: Path, page_number: int | None = None) -> list[str]:
    """What zbarimg reads from one page rendered at 200 dpi: by default the last, where a
    document's signing block and its QR code are (Decree 30 keeps them with the last
    paragraph)."""
    pdftoppm, zbarimg = shutil.which("pdftoppm"), shutil.which("zbarimg")
    if not (pdftoppm and zbarimg):
        pytest.skip("pdftoppm and zbarimg (poppler-utils, zbar-tools) are needed")
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    page = tmp_path / "page"
    last = str(page_number or page_count(pdf))
    render = [pdftoppm, "-r", "200", "-png", "-f", last, "-l", last, "-singlefile", source, page]
    subprocess.run(render, check=True)  # noqa: S603 - fixed tools on our own temporary files
    scan = [zbarimg, "--raw", "-q", page.with_suffix(".png")]
    result = subprocess.run(scan, capture_output=True, text=True)  # noqa: S603
    return result.stdout.splitlines()
