"""PDF from a Typst template and one JSON value, for any app (documents has its own fonts
and wording; this is the generic part: lists, handover sheets, posters).

The template reads its data with `json(bytes(sys.inputs.data))`; data never becomes
markup, so a unit or person name such as `#eval("...")` prints literally. Typst's
embedded fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono) cover
Vietnamese, so nothing has to be installed on the server.
"""

import json
import logging
import threading
from pathlib import Path
from typing import Any

import typst

logger = logging.getLogger(__name__)

# A typst.Compiler refuses concurrent use, so each thread keeps its own per root folder.
_local = threading.local()


def _compiler(root: Path, font_dirs: tuple[str, ...]) -> typst.Compiler:
    cache = _local.__dict__.setdefault("compilers", {})
    key = (str(root), font_dirs)
    if key not in cache:
        fonts = typst.Fonts(
            include_system_fonts=False, include_embedded_fonts=True, font_paths=list(font_dirs)
        )
        cache[key] = typst.Compiler(root=str(root), font_paths=fonts)
    return cache[key]


def typst_pdf(template: Path, data: Any, *, font_dirs: tuple[str, ...] = ()) -> bytes:
    """Compile the Typst file `template` with `data` (JSON-serialisable) as
    `sys.inputs.data`; return the PDF bytes. Raises typst's RuntimeError on a template error."""
    pdf, warnings = _compiler(template.parent, font_dirs).compile_with_warnings(
        input=str(template),
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False, default=str)},
    )
    for warning in warnings:
        logger.warning("Typst warning in %s: %s", template.name, warning.message)
    return pdf
