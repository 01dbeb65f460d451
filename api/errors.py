"""JSON errors of the API: a stable code, the message in Vietnamese and English, the field.

Shape (ErrorOut): {"code": "not_found", "message": {"vi": "...", "en": "..."},
"field": "note" | null, "errors": [{"field", "code", "message"}]}. Messages are written in
Vietnamese (the gettext source); English comes from the locale/en catalogue, and falls
back to the Vietnamese text where the catalogue has none (a message with values filled in).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Schema


class Message(Schema):
    vi: str
    en: str


class FieldError(Schema):
    field: str | None = None
    code: str
    message: Message


class ErrorOut(Schema):
    code: str
    message: Message
    field: str | None = None
    errors: list[FieldError] = []


class ApiError(Exception):
    """An answer other than success: `status` (HTTP), `code` (stable, snake_case),
    `message` (Vietnamese, lazy or plain), optional `field`, `errors` and `headers`."""

    def __init__(self, status: int, code: str, message, *, field=None, errors=None, headers=None):
        super().__init__(str(message))
        self.status, self.code, self.message = status, code, message
        self.field, self.errors, self.headers = field, errors or [], headers or {}


def both(message) -> dict:
    """{"vi", "en"} of a lazy message, or of a plain string already in Vietnamese."""
    with translation.override("vi"):
        vi = str(message)
    with translation.override("en"):
        en = str(message) if not isinstance(message, str) else gettext(message)
    return {"vi": vi, "en": en}


def body(code: str, message, *, field=None, errors=None) -> dict:
    return {"code": code, "message": both(message), "field": field, "errors": errors or []}


def from_validation(exc: DjangoValidationError, code: str = "invalid") -> ApiError:
    """A 400 naming each field a service or form refused (Django's ValidationError)."""
    errors = []
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            for item in items:
                text = item.message % item.params if item.params else item.message
                errors.append(
                    {
                        "field": None if field == "__all__" else field,
                        "code": item.code or code,
                        "message": both(text),
                    }
                )
    else:
        for item in exc.error_list:
            text = item.message % item.params if item.params else item.message
            errors.append({"field": None, "code": item.code or code, "message": both(text)})
    first = errors[0] if errors else {"field": None, "code": code, "message": both(INVALID)}
    error = ApiError(400, first["code"] if first["code"] != "invalid" else code, "")
    error.field, error.errors, error.prepared = first["field"], errors, first["message"]
    return error


def render(api, request, error: ApiError) -> HttpResponse:
    content = body(error.code, error.message, field=error.field, errors=error.errors)
    if prepared := getattr(error, "prepared", None):
        content["message"] = prepared
    response = api.create_response(request, content, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


INVALID = _("Dữ liệu gửi lên chưa hợp lệ.")
UNAUTHORIZED = _("Cần khóa API còn hiệu lực hoặc phiên đăng nhập của cán bộ.")
FORBIDDEN = _("Tài khoản này không được thực hiện thao tác này.")
NOT_FOUND = _("Không tìm thấy.")
PRECONDITION = _(
    "Hồ sơ đã thay đổi từ lúc bạn đọc (có người khác vừa xử lý). Vui lòng đọc lại hồ sơ."
)
PRECONDITION_REQUIRED = _("Cần gửi phiên bản hồ sơ đã đọc (If-Match).")
IDEMPOTENCY_CONFLICT = _("Khóa Idempotency-Key này đã dùng cho một yêu cầu khác.")
TOO_MANY = _("Có quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau.")
TOO_LARGE = _("Dữ liệu gửi lên quá lớn.")
NOT_JSON = _("Nội dung gửi lên phải là JSON (Content-Type: application/json).")
NOT_MULTIPART = _("Thao tác này nhận biểu mẫu kèm ảnh (Content-Type: multipart/form-data).")
SERVER = _("Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.")
