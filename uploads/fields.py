"""A photo field that survives a form re-rendered with errors: nothing to upload twice.

The first submission stores the photo and remembers its token in the session; the form
shown again carries the token in a hidden input, with a thumbnail and "Chọn ảnh khác".
Only tokens held by the same session are accepted, so nobody can attach another
person's photo by posting its token. Forms pass the session in: inherit
`StagedUploadsFormMixin` and build the form with `Form(data, files, session=request.session)`.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from uploads.images import MAX_MEGABYTES, MAX_SIDE
from uploads.models import Upload
from uploads.services import upload_create
from uploads.staging import staged_upload_get, upload_stage

ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.heic,.heif"
THUMBNAIL_DISPLAY_SIDE = 160


@dataclass(frozen=True)
class StagedImageValue:
    """What the browser sent: a new file, the token of an earlier upload, or both."""

    file: UploadedFile | None = None
    token: str = ""
    clear: bool = False


class StagedImageInput(forms.FileInput):
    template_name = "uploads/widgets/staged_image.html"

    def __init__(self, attrs=None):
        # data-shrink-to: static/js/app.js shrinks a large photo to this size in the browser
        # before sending it (the size the server keeps anyway): seconds instead of minutes on
        # a slow line, and the camera's location data never leaves the phone.
        super().__init__({"accept": ACCEPT, "data-shrink-to": MAX_SIDE, **(attrs or {})})

    @staticmethod
    def token_name(name: str) -> str:
        return f"{name}_token"

    @staticmethod
    def clear_name(name: str) -> str:
        return f"{name}_clear"

    def value_from_datadict(self, data, files, name):
        return StagedImageValue(
            file=files.get(name) or None,
            token=(data.get(self.token_name(name)) or "").strip()[:64],
            clear=bool(data.get(self.clear_name(name))),
        )

    def value_omitted_from_data(self, data, files, name):
        return name not in files and self.token_name(name) not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        widget = context["widget"]
        upload = value if isinstance(value, Upload) else None
        widget.update(
            upload=upload,
            token_name=self.token_name(name),
            clear_name=self.clear_name(name),
            can_clear=not self.is_required,
        )
        if upload is not None:
            # A photo is already there: choosing another one is optional.
            widget["attrs"].pop("required", None)
            scale = THUMBNAIL_DISPLAY_SIDE / max(upload.width, upload.height, 1)
            widget.update(
                preview_url=reverse("uploads:preview", args=[upload.token]),
                upload_name=upload.original_name or _("ảnh"),
                upload_size=filesizeformat(upload.size),
                thumbnail_width=max(1, round(upload.width * scale)),
                thumbnail_height=max(1, round(upload.height * scale)),
            )
        return context


class StagedImageField(forms.Field):
    """A photo for an `Upload` of `kind`; cleans to the Upload (or None when optional)."""

    widget = StagedImageInput
    default_error_messages = {
        "required": _("Vui lòng chọn ảnh để tải lên."),
        "expired": _(
            "Ảnh đã tải lên trước đó không còn dùng được (phiên làm việc đã hết hạn). "
            "Vui lòng chọn lại ảnh."
        ),
    }

    def __init__(self, *, kind: str, session: SessionBase | None = None, **kwargs):
        if kind not in Upload.Kind.values:
            raise ValueError(f"Unknown upload kind {kind!r}")
        self.kind = kind
        self.session = session
        self._upload: Upload | None = None
        kwargs.setdefault(
            "help_text",
            format_lazy(
                _("Ảnh JPEG, PNG, WebP hoặc HEIC, tối đa {limit} MB."), limit=MAX_MEGABYTES
            ),
        )
        super().__init__(**kwargs)

    def _session(self) -> SessionBase:
        if self.session is None:
            raise ImproperlyConfigured(
                "StagedImageField needs the request's session: build the form with "
                "session=request.session (see StagedUploadsFormMixin)."
            )
        return self.session

    def _staged(self, token: str) -> Upload | None:
        return staged_upload_get(session=self._session(), token=token, kind=self.kind)

    def clean(self, value):
        if not isinstance(value, StagedImageValue):
            value = StagedImageValue()
        upload = None
        if value.file is not None:
            upload = upload_create(file=value.file, kind=self.kind)  # UploadRejected: an error
            upload_stage(session=self._session(), upload=upload)
        elif value.token and not value.clear:
            upload = self._staged(value.token)
            if upload is None:
                raise forms.ValidationError(self.error_messages["expired"], code="expired")
        if upload is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        self._upload = upload
        return upload

    def bound_data(self, data, initial):
        if self._upload is not None:
            return self._upload
        if isinstance(data, StagedImageValue):
            # A new file that was refused falls back to the photo staged before it.
            return None if data.clear or not data.token else self._staged(data.token)
        return initial

    def prepare_value(self, value):
        if isinstance(value, str):
            return self._staged(value) if value else None
        return value if isinstance(value, Upload) else None

    def has_changed(self, initial, data):
        if self.disabled or not isinstance(data, StagedImageValue):
            return False
        initial_token = initial.token if isinstance(initial, Upload) else (initial or "")
        return data.file is not None or data.clear or data.token != initial_token


class StagedUploadsFormMixin:
    """Give every StagedImageField of the form the session: `Form(..., session=...)`."""

    def __init__(self, *args, session: SessionBase, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, StagedImageField):
                field.session = session
