"""QR codes: the verification address printed on every issued document, the declaration
page on the outreach posters, an authenticator enrolment."""

import functools
import io

import segno


# Issuing draws the code before it takes the number lock, so that the 5 ms it costs are
# not spent while other issuers of the commune wait; inside the lock it is a cache hit.
@functools.lru_cache(maxsize=256)
def qr_svg(url: str, scale: int = 1) -> str:
    """A standalone SVG of the QR code for `url` (error correction M, 4-module quiet zone),
    `scale` CSS pixels a module (a page shows it at that size; Typst scales it anyway)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", xmldecl=False, svgns=True, border=4, scale=scale
    )
    return buffer.getvalue().decode("ascii")
