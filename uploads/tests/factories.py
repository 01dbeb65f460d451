"""Test images made in code: photos with EXIF and GPS, every accepted format, and attacks."""

import io
import random
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

# Tuyên Quang city, as a phone would write it.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (21.0, 49.0, 12.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (105.0, 13.0, 5.0),
}


def picture(size=(640, 480), seed=1) -> Image.Image:
    """A photo-like picture: smooth colour gradients with a few shapes, different per seed."""
    rng = random.Random(seed)
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge(
        "RGB",
        (
            gradient,
            gradient.rotate(90 * rng.randint(1, 3)).resize(size),
            Image.new("L", size, rng.randint(0, 255)),
        ),
    )
    for _ in range(6):
        x, y = rng.randint(0, width - 1), rng.randint(0, height - 1)
        box = (x, y, min(width, x + width // 4), min(height, y + height // 4))
        image.paste(tuple(rng.randint(0, 255) for _ in range(3)), box)
    return image


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def phone_jpeg(size=(640, 480), orientation=1, seed=1, **params) -> bytes:
    """A JPEG as phones write them: EXIF with camera model, orientation and GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "SM-A525F"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return encode(picture(size, seed), "JPEG", exif=exif, quality=90, **params)


def uploaded(content: bytes, name="anh.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def animated(fmt: str, colours=("red", "blue")) -> bytes:
    frames = [Image.new("RGB", (64, 48), colour) for colour in colours]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


def zip_archive(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A small real PNG whose header claims `width` x `height` pixels (a decompression bomb)."""
    data = bytearray(encode(Image.new("L", (8, 8)), "PNG"))
    ihdr = 8  # chunk length(4) + "IHDR"(4) + data(13) + crc(4) starts after the signature
    data[ihdr + 8 : ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr + 4 : ihdr + 21]))
    data[ihdr + 21 : ihdr + 25] = struct.pack(">I", crc)
    return bytes(data)


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header claims `width` x `height` pixels."""
    data = bytearray(encode(Image.new("RGB", (8, 8)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)
