"""Turn an untrusted uploaded file into a small, metadata-free JPEG, or refuse it.

The type is decided by the file's first bytes, never by its name or declared type; the
picture is decoded, turned upright, shrunk and encoded again, so nothing but pixels
survives: no EXIF (GPS location), no comments, no bytes appended after the image.
"""

import contextlib
import hashlib
import io
import logging
import math
import warnings
from dataclasses import dataclass
from typing import IO

import pillow_heif
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

pillow_heif.register_heif_opener()

logger = logging.getLogger(__name__)

MAX_MEGABYTES = 10
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_SIDE = 1600
JPEG_QUALITY = 82
THUMBNAIL_SIDE = 320
ACCEPTED = _("ảnh JPEG, PNG, WebP hoặc HEIC")

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_SRGB = ImageCms.createProfile("sRGB")
_PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heif": "HEIF"}


class UploadRejected(ValidationError):
    """The file is not an image we accept; the message tells the citizen why, in Vietnamese."""


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    width: int
    height: int
    sha256: str
    phash: int
    source_format: str


def sniff(head: bytes) -> str | None:
    """The accepted image format the first bytes announce: jpeg, png, webp, heif, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heif"
    return None


def _refusal_for_other(head: bytes) -> UploadRejected:
    """A message naming what the file really is, when it is not an accepted image."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"%PDF-" in head[:1024]:
        return UploadRejected(
            _(
                "Tệp này là tài liệu PDF, không phải ảnh (dù tên tệp có thể là .jpg). "
                "Vui lòng chụp lại và tải lên %(accepted)s."
            ),
            code="pdf",
            params={"accepted": ACCEPTED},
        )
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return UploadRejected(
            _("Ảnh vẽ SVG không được chấp nhận. Vui lòng tải lên %(accepted)s."),
            code="svg",
            params={"accepted": ACCEPTED},
        )
    if text.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<?php")):
        return UploadRejected(
            _("Tệp này là trang web hoặc mã lệnh, không phải ảnh. Vui lòng tải lên %(accepted)s."),
            code="html",
            params={"accepted": ACCEPTED},
        )
    if head.startswith((b"GIF87a", b"GIF89a")):
        return UploadRejected(
            _("Ảnh GIF không được chấp nhận. Vui lòng tải lên %(accepted)s."),
            code="gif",
            params={"accepted": ACCEPTED},
        )
    return UploadRejected(
        _("Tệp này không phải %(accepted)s. Vui lòng chọn đúng ảnh đã chụp."),
        code="not_an_image",
        params={"accepted": ACCEPTED},
    )


def _corrupt() -> UploadRejected:
    return UploadRejected(
        _(
            "Không đọc được ảnh: tệp bị hỏng hoặc chưa tải lên hết. "
            "Vui lòng chụp lại hoặc chọn lại ảnh."
        ),
        code="corrupt",
    )


def _too_many_pixels() -> UploadRejected:
    return UploadRejected(
        _(
            "Ảnh có kích thước quá lớn (hơn %(limit)s triệu điểm ảnh). "
            "Vui lòng chụp ở độ phân giải thấp hơn hoặc chọn ảnh khác."
        ),
        code="too_many_pixels",
        params={"limit": MAX_PIXELS // 1_000_000},
    )


def read_limited(file: IO[bytes]) -> bytes:
    """The whole file, or UploadRejected as soon as it is known to exceed MAX_BYTES."""
    declared = getattr(file, "size", None)
    if declared is None or declared <= MAX_BYTES:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    else:
        data = b""
    if (declared is not None and declared > MAX_BYTES) or len(data) > MAX_BYTES:
        raise UploadRejected(
            _("Ảnh quá lớn (%(size)s). Dung lượng tối đa là %(limit)s MB; vui lòng chọn ảnh khác."),
            code="too_large",
            params={
                "size": filesizeformat(max(declared or 0, len(data))),
                "limit": MAX_BYTES // (1024 * 1024),
            },
        )
    if not data:
        raise UploadRejected(_("Tệp tải lên trống. Vui lòng chọn lại ảnh."), code="empty")
    return data


def _open(data: bytes, source_format: str) -> Image.Image:
    """Decode the first frame, refusing corrupt files and decompression bombs."""
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice that; a warning here is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[source_format]])
            if image.width * image.height > MAX_PIXELS:
                raise _too_many_pixels()
            image.seek(0)  # animated WebP or PNG: the first frame
            if source_format == "jpeg":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale, never below the stored size:
                # a 12 MP photo then costs half the time and a quarter of the memory.
                scale = MAX_SIDE / max(image.size)
                if scale < 1:
                    image.draft(
                        None, (math.ceil(image.width * scale), math.ceil(image.height * scale))
                    )
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except UploadRejected:
            raise
        except Exception as exc:
            # Pillow reports a bad file with many exception types (OSError, SyntaxError,
            # ValueError, struct.error, EOFError...); all of them mean "cannot read this".
            logger.info("Refused an undecodable %s upload: %r", source_format, exc)
            raise _corrupt() from None
    return image


def _resizable(image: Image.Image) -> Image.Image:
    """Palette, bilevel, 16-bit and float pictures as modes Pillow resamples smoothly."""
    if image.mode in ("LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    if image.mode.startswith("I") or image.mode == "F":
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return image.convert("RGB")
    return image


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    return "srgb" in ImageCms.getProfileDescription(profile).lower()


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Plain 8-bit RGB in sRGB: colour profile applied, transparency laid on white."""
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        # A broken or unusual profile: keep the colours as they are.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode in ("CMYK", "L") or not _is_srgb(profile):
                image = ImageCms.profileToProfile(
                    image,
                    profile,
                    _SRGB,
                    outputMode="RGBA" if image.mode == "RGBA" else "RGB",
                )
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def dhash(image: Image.Image) -> int:
    """64-bit difference hash (the `imagehash.dhash` bit order), as a signed integer."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    value = 0
    for row in range(8):
        for col in range(8):
            left = pixels[row * 9 + col]
            right = pixels[row * 9 + col + 1]
            value = (value << 1) | (right > left)
    return value - (1 << 64) if value >= 1 << 63 else value


def phash_distance(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit picture hashes (0 = same picture)."""
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


def process_image(file: IO[bytes]) -> ProcessedImage:
    """Check and re-encode an uploaded photo; raise UploadRejected with the reason."""
    data = read_limited(file)
    source_format = sniff(data[:32])
    if source_format is None:
        raise _refusal_for_other(data[:1024])
    image = _open(data, source_format)
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:
        # A malformed EXIF block must not cost the citizen the photo: keep it as it is.
        logger.info("Ignored unreadable EXIF orientation in a %s upload", source_format)
    icc = image.info.get("icc_profile")
    # Shrink first: the colour conversion then works on a third of a phone photo's pixels.
    image = _resizable(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    image = _to_srgb(image, icc)
    # Pixels only: save() writes no EXIF or ICC profile unless given them, but it would copy
    # a comment (and XMP) read from the upload out of `info`, so that goes first.
    image.info = {}
    out = io.BytesIO()
    # Baseline JPEG with the standard Huffman tables: optimised tables would make the file
    # ~4 % smaller for three times the encoding time.
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    content = out.getvalue()
    return ProcessedImage(
        content=content,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(content).hexdigest(),
        phash=dhash(image),
        source_format=source_format,
    )


def thumbnail(file: IO[bytes], side: int = THUMBNAIL_SIDE) -> bytes:
    """A small JPEG of a stored (already clean) upload, for previews on slow lines."""
    image = Image.open(file, formats=["JPEG"])
    image.draft("RGB", (side, side))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=75)
    return out.getvalue()
