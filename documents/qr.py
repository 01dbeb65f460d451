"""QR codes of the verification address printed on every issued document."""

import functools
import io

import segno


# Issuing draws the code before it takes the number lock, so that the 5 ms it costs are
# not spent while other issuers of the commune wait; inside the lock it is a cache hit.
@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """A standalone SVG of the QR code for `url` (error correction M, 4-module quiet zone)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", xmldecl=False, svgns=True, border=4, scale=1
    )
    return buffer.getvalue().decode("ascii")
