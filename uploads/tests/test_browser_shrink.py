"""A phone camera's photo is shrunk in the browser before it is sent over a slow line."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from uploads import fields
from uploads.images import MAX_SIDE
from uploads.models import Upload

pytestmark = [pytest.mark.browser]


# What the form will send for a file input: name, type, size, and whether EXIF is inside.
SELECTED_FILE = """async (selector) => {
  const file = document.querySelector(selector).files[0];
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = Array.from(bytes.subarray(0, 65536), (b) => String.fromCharCode(b)).join("");
  return {name: file.name, type: file.type, size: file.size, hasExif: text.includes("Exif")};
}"""


SLOW_DECODING = """() => {
  const decode = window.createImageBitmap;
  window.createImageBitmap = (...args) =>
    new Promise((resolve) => setTimeout(resolve, 2000)).then(() => decode(...args));
}"""


def camera_photo(path, size=(4000, 3000)) -> int:
    """A 12 MP JPEG with camera metadata (GPS), as a phone writes it; returns its size."""
    image = Image.effect_noise(size, 40).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    exif.get_ifd(0x8825)[2] = (21.0, 49.0, 12.0)  # GPSLatitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif)
    path.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def test_a_large_photo_is_sent_shrunk_and_without_its_location(phone_page, tmp_path):
    page = phone_page
    photo = tmp_path / "IMG_20220329.jpg"
    original = camera_photo(photo)
    assert original > 2_000_000

    page.goto("/khai-bao/")
    page.click("label[for=id_consent]")
    page.get_by_role("button", name="Bắt đầu khai báo").click()
    page.set_input_files("#id_test_photo", str(photo))
    page.wait_for_selector("#id_test_photo[data-shrunk]")
    chosen = page.evaluate(SELECTED_FILE, "#id_test_photo")
    assert chosen["type"] == "image/jpeg" and chosen["name"] == "IMG_20220329.jpg"
    assert chosen["size"] < original / 4
    assert not chosen["hasExif"]
    # Sent with the form even when the rest of it is not valid yet: the photo is kept.
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()

    expect(page.locator(".staged-upload")).to_contain_text("IMG_20220329.jpg")
    upload = Upload.objects.get()
    assert max(upload.width, upload.height) == MAX_SIDE
    assert page.js_errors == []


def test_continue_tapped_at_once_waits_for_the_shrunk_photo(phone_page, tmp_path, monkeypatch):
    page = phone_page
    received = []  # sizes of the photos the server got (the live server runs in-process)
    create = fields.upload_create
    monkeypatch.setattr(
        fields,
        "upload_create",
        lambda *, file, kind: received.append(file.size) or create(file=file, kind=kind),
    )
    photo = tmp_path / "IMG_20220330.jpg"
    original = camera_photo(photo)

    page.goto("/khai-bao/")
    page.click("label[for=id_consent]")
    page.get_by_role("button", name="Bắt đầu khai báo").click()
    # A cheap phone: decoding the photo takes seconds, and the citizen taps "Continue" meanwhile.
    page.evaluate(SLOW_DECODING)
    page.set_input_files("#id_test_photo", str(photo))
    assert page.get_attribute("#id_test_photo", "data-shrunk") is None
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()
    expect(page.locator(".staged-upload")).to_contain_text("IMG_20220330.jpg")
    [sent] = received
    assert sent < original / 4
    assert page.js_errors == []


def test_a_small_photo_is_sent_as_it_is(phone_page, tmp_path):
    page = phone_page
    photo = tmp_path / "small.jpg"
    size = camera_photo(photo, size=(300, 200))

    page.goto("/khai-bao/")
    page.click("label[for=id_consent]")
    page.get_by_role("button", name="Bắt đầu khai báo").click()
    page.set_input_files("#id_test_photo", str(photo))
    chosen = page.evaluate(SELECTED_FILE, "#id_test_photo")
    assert chosen["size"] == size and chosen["name"] == "small.jpg"
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại").click()
    expect(page.get_by_role("img", name="Ảnh đã tải lên")).to_be_visible()
