"""QR codes of the verification address printed on every issued document."""

import io

import segno


def qr_svg(url: str) -> str:
    """A standalone SVG of the QR code for `url` (error correction M, 4-module quiet zone)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", xmldecl=False, svgns=True, border=4, scale=1
    )
    return buffer.getvalue().decode("ascii")
