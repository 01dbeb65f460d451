import io
import os

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from uploads import images
from uploads.images import UploadRejected, dhash, phash_distance, process_image
from uploads.tests import factories as f


def decoded(processed) -> Image.Image:
    image = Image.open(io.BytesIO(processed.content))
    image.load()
    return image


def rejection(content: bytes, name="anh.jpg") -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        process_image(f.uploaded(content, name=name))
    return caught.value


def test_phone_photo_loses_exif_and_gps_and_stays_upright():
    source = f.phone_jpeg(size=(400, 200), orientation=6)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    processed = process_image(f.uploaded(source))
    stored = decoded(processed)
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in processed.content and b"Samsung" not in processed.content
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    # Orientation 6 means "turn 90° clockwise to view": the stored picture is portrait.
    assert (processed.width, processed.height) == stored.size == (200, 400)


def test_rotation_follows_exif_orientation():
    image = Image.new("RGB", (400, 200), "blue")
    image.paste("red", (0, 0, 200, 200))  # left half red
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    stored = decoded(process_image(f.uploaded(f.encode(image, "JPEG", exif=exif))))
    red, blue = stored.getpixel((100, 50)), stored.getpixel((100, 350))
    # Turned clockwise, the left half becomes the top half.
    assert red[0] > 200 and red[2] < 60
    assert blue[2] > 200 and blue[0] < 60


def test_large_photo_is_downscaled_to_1600_pixels_and_reencoded_as_baseline_jpeg():
    processed = process_image(f.uploaded(f.phone_jpeg(size=(4000, 3000))))
    stored = decoded(processed)
    assert stored.size == (1600, 1200)
    assert stored.format == "JPEG"
    # Baseline, not progressive: three times faster to write (bench.declarations).
    assert not (stored.info.get("progressive") or stored.info.get("progression"))


def test_small_photo_keeps_its_size():
    processed = process_image(f.uploaded(f.phone_jpeg(size=(300, 200))))
    assert (processed.width, processed.height) == (300, 200)


@pytest.mark.parametrize(
    ("fmt", "name", "mode"),
    [
        ("PNG", "anh.png", "RGB"),
        ("PNG", "anh.png", "RGBA"),
        ("PNG", "anh.png", "I;16"),
        ("PNG", "anh.png", "P"),
        ("WEBP", "anh.webp", "RGB"),
        ("HEIF", "IMG_0001.HEIC", "RGB"),
        ("JPEG", "scan.jpg", "CMYK"),
        ("JPEG", "scan.jpg", "L"),
    ],
)
def test_every_accepted_format_becomes_a_jpeg(fmt, name, mode):
    image = f.picture((320, 240)).convert(mode)
    processed = process_image(f.uploaded(f.encode(image, fmt), name=name))
    stored = decoded(processed)
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert stored.size == (320, 240)
    assert processed.source_format == images.sniff(f.encode(image, fmt)[:32])


def test_transparent_png_is_laid_on_white():
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    stored = decoded(process_image(f.uploaded(f.encode(image, "PNG"), name="a.png")))
    assert min(stored.getpixel((25, 25))) > 245


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_animated_image_keeps_its_first_frame(fmt):
    stored = decoded(process_image(f.uploaded(f.animated(fmt))))
    red, green, blue = stored.getpixel((10, 10))
    assert red > 200 and blue < 60


def test_type_is_sniffed_not_taken_from_the_name():
    # A PNG called .jpg is fine; what counts is the content.
    processed = process_image(f.uploaded(f.encode(f.picture(), "PNG"), name="anh.jpg"))
    assert processed.source_format == "png"


def test_pdf_renamed_jpg_is_refused():
    pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    error = rejection(pdf, name="xet-nghiem.jpg")
    assert error.code == "pdf"
    assert "PDF" in error.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        b"\xef\xbb\xbf\n  <html><img src=x onerror=alert(1)></html>",
        b"<?php system($_GET['c']); ?>",
    ],
)
def test_web_pages_and_scripts_are_refused(content):
    error = rejection(content)
    assert error.code == "html"
    assert "trang web" in error.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    ],
)
def test_svg_is_refused(content):
    error = rejection(content, name="anh.svg")
    assert error.code == "svg"
    assert "SVG" in error.messages[0]


def test_gifar_is_refused():
    gif = f.encode(Image.new("RGB", (10, 10)), "GIF")
    error = rejection(gif + f.zip_archive({"Exploit.class": b"\xca\xfe\xba\xbe"}))
    assert error.code == "gif"


@pytest.mark.parametrize("content", [b"hello, not an image", b"PK\x03\x04" + b"\0" * 40])
def test_other_files_are_refused(content):
    error = rejection(content)
    assert error.code == "not_an_image"
    assert "JPEG, PNG, WebP hoặc HEIC" in error.messages[0]


def test_empty_file_is_refused():
    assert rejection(b"").code == "empty"


def test_file_over_10_megabytes_is_refused_before_decoding():
    oversize = b"\xff\xd8\xff\xe0" + b"\0" * (10 * 1024 * 1024)
    error = rejection(oversize)
    assert error.code == "too_large"
    assert "tối đa là 10 MB" in error.messages[0]
    # Also when the file does not tell its size (read until the limit, then stop).
    with pytest.raises(UploadRejected) as caught:
        process_image(io.BytesIO(oversize))
    assert caught.value.code == "too_large"


def test_a_real_photo_over_the_limit_is_refused(monkeypatch):
    content = f.phone_jpeg()
    monkeypatch.setattr(images, "MAX_BYTES", len(content) - 1)
    assert rejection(content).code == "too_large"


def test_truncated_jpeg_is_refused():
    content = f.phone_jpeg(size=(800, 600))
    error = rejection(content[: len(content) // 2])
    assert error.code == "corrupt"
    assert "bị hỏng" in error.messages[0]


def test_corrupt_png_is_refused():
    content = bytearray(f.encode(f.picture(), "PNG"))
    content[60:400] = b"\x00" * 340
    assert rejection(bytes(content)).code == "corrupt"


@pytest.mark.parametrize(
    "content",
    [
        f.png_declaring(8_000, 8_000),  # 64 MP: above our 50 MP limit
        f.png_declaring(12_000, 12_000),  # 144 MP: Pillow only warns
        f.png_declaring(100_000, 100_000),  # 10 GP: Pillow raises
        f.jpeg_declaring(65_000, 65_000),
    ],
)
def test_decompression_bombs_are_refused_without_decoding(content):
    error = rejection(content)
    assert error.code == "too_many_pixels"
    assert "50 triệu điểm ảnh" in error.messages[0]


@pytest.mark.parametrize(
    ("payload", "markers"),
    [
        (b"<html><script>alert('pwned')</script></html>", [b"<script", b"pwned"]),
        (b"<?php system($_GET['cmd']); ?>", [b"<?php", b"system("]),
        (f.zip_archive({"shell.php": b"<?php eval($_POST['x']); ?>"}), [b"PK\x03\x04", b"shell"]),
    ],
)
def test_payload_appended_to_a_valid_jpeg_is_not_stored(payload, markers):
    polyglot = f.phone_jpeg() + payload
    processed = process_image(f.uploaded(polyglot))
    for marker in markers:
        assert marker in polyglot
        assert marker not in processed.content
    assert processed.content.endswith(b"\xff\xd9")


def test_payload_hidden_in_image_metadata_is_not_stored():
    script = b"<script>alert('pwned')</script>"
    jpeg = f.encode(f.picture(), "JPEG", comment=script)
    assert script in jpeg
    assert script not in process_image(f.uploaded(jpeg)).content

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", script.decode())
    png = f.encode(f.picture(), "PNG", pnginfo=info)
    assert script not in process_image(f.uploaded(png, name="a.png")).content


def test_xmp_location_is_not_stored():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>21,49.2N</exif:GPSLatitude>'
    jpeg = f.encode(f.picture(), "JPEG", xmp=xmp + b"</x:xmpmeta>")
    assert b"GPSLatitude" in jpeg
    processed = process_image(f.uploaded(jpeg))
    assert b"GPSLatitude" not in processed.content
    assert "xmp" not in decoded(processed).info


def test_same_photo_gives_same_hashes_and_a_resaved_copy_a_close_phash():
    original = process_image(f.uploaded(f.phone_jpeg(seed=7)))
    again = process_image(f.uploaded(f.phone_jpeg(seed=7)))
    assert (again.sha256, again.phash) == (original.sha256, original.phash)

    resaved = f.encode(f.picture((640, 480), seed=7).resize((500, 375)), "JPEG", quality=60)
    copy = process_image(f.uploaded(resaved))
    assert copy.sha256 != original.sha256
    assert phash_distance(copy.phash, original.phash) <= 4

    other = process_image(f.uploaded(f.phone_jpeg(seed=8)))
    assert phash_distance(other.phash, original.phash) > 12


def test_dhash_fits_a_signed_64_bit_column_and_distance_counts_bits():
    bright_right = Image.linear_gradient("L").rotate(90)
    value = dhash(bright_right.convert("RGB"))
    assert -(2**63) <= value < 2**63
    assert phash_distance(value, value) == 0
    assert phash_distance(0, -1) == 64
    assert phash_distance(0b1011, 0b0001) == 2


ADOBE_RGB = "/usr/share/color/icc/ghostscript/a98.icc"


def test_srgb_and_broken_colour_profiles_are_dropped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for icc in (srgb, b"not a profile"):
        image = Image.new("RGB", (64, 64), (200, 100, 50))
        stored = decoded(process_image(f.uploaded(f.encode(image, "JPEG", icc_profile=icc))))
        assert "icc_profile" not in stored.info
        assert all(
            abs(a - b) <= 3 for a, b in zip(stored.getpixel((32, 32)), (200, 100, 50), strict=True)
        )


@pytest.mark.skipif(not os.path.exists(ADOBE_RGB), reason="needs Ghostscript's ICC profiles")
def test_wide_gamut_photo_is_converted_to_srgb():
    with open(ADOBE_RGB, "rb") as profile:
        icc = profile.read()
    image = Image.new("RGB", (64, 64), (40, 160, 60))
    stored = decoded(process_image(f.uploaded(f.encode(image, "JPEG", icc_profile=icc))))
    assert "icc_profile" not in stored.info
    red, green, blue = stored.getpixel((32, 32))
    # Adobe RGB's green is more saturated than sRGB's: the same numbers mean a deeper green.
    assert red < 20 and green > 150
