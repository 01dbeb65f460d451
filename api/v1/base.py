"""The API object of version 1, its callers (keys, staff sessions), its error answers
and the helpers every operation module shares."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from ninja import Field, NinjaAPI, Schema, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from api import errors as E
from api.errors import ApiError, ErrorOut
from api.services import api_token_authenticate
from cases.lifecycle import IllegalTransition
from core.access import second_factor_missing
from core.client import client_address
from core.ratelimit import hit, seconds_left
from units.models import Unit

# --- Callers ------------------------------------------------------------------------------


class ApiKey(HttpBearer):
    """`Authorization: Bearer kf0_...`: a key a system administrator created (api/tokens)."""

    def authenticate(self, request, token):
        user = api_token_authenticate(raw=token, request=request)
        if user is not None:
            # The key's account is the request's user (audit entries, no-store headers),
            # without a session: nothing to slide (core.middleware.SlidingSessionMiddleware).
            request.user = user
            request.no_slide = True
        return user


class StaffSession(SessionAuth):
    """The session of a signed-in official, held to what the pages ask (core.access): a
    role bound to a unit, no pending password change, the second factor where needed.
    Writes need the CSRF token like any form."""

    def authenticate(self, request, key):
        user = request.user
        if (
            # A key sent is the caller: a refused key is not rescued by a session.
            "Authorization" in request.headers
            or not user.is_authenticated
            or user.unit_id is None
            or user.must_change_password
            or second_factor_missing(user)
        ):
            return None
        return user


AUTH = [ApiKey(), StaffSession()]


def _in_vietnamese(view):
    """Every operation runs in Vietnamese, the source language of the messages, so that
    errors.both() finds both languages whatever the client's Accept-Language."""

    def wrapped(request, *args, **kwargs):
        with translation.override("vi"):
            return view(request, *args, **kwargs)

    return wrapped


JSON_TYPES = ("application/json",)
MULTIPART = "multipart/form-data"


class MediaCheckedParser(Parser):
    """Bodies are read only in the media type the operation declares: JSON, or multipart
    where a photo comes with the fields. Anything else is refused with 415 after the caller
    was authenticated (ninja reads bodies after its auth checks).

    A refusal in parse_body reaches the error handlers as the cause of ninja's own 400
    ("Cannot parse request body"), which _http_error unwraps."""

    def parse_body(self, request):
        media = request.content_type or ""
        if media not in JSON_TYPES and not media.endswith("+json"):
            raise ApiError(415, "unsupported_media_type", E.NOT_JSON, field="Content-Type")
        return super().parse_body(request)

    def parse_querydict(self, data, list_fields, request):
        # Fields and files of a form operation (the query string is request.GET).
        if (data is request.POST or data is request.FILES) and request.content_type != MULTIPART:
            raise ApiError(415, "unsupported_media_type", E.NOT_MULTIPART, field="Content-Type")
        return super().parse_querydict(data, list_fields, request)


class Api(NinjaAPI):
    """Operation ids stay `api_v1_<function>` whichever module of the package declares the
    operation (clients generated from the description keep their method names)."""

    def get_openapi_operation_id(self, operation) -> str:
        return f"api_v1_{operation.view_func.__name__}"


api = Api(
    title="Khai báo F0 API",
    version="1",
    description=(
        "Khai báo F0: khai báo nhiễm và khỏi bệnh COVID-19, hồ sơ F0 của xã, văn bản. "
        "Lỗi trả về JSON: code, message.vi, message.en, field. "
        "Nội dung gửi lên là JSON (application/json), hoặc multipart/form-data ở các thao "
        "tác có ảnh; kiểu nội dung khác được trả lời 415 (unsupported_media_type)."
    ),
    parser=MediaCheckedParser(),
    urls_namespace="api_v1",
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_decorator(_in_vietnamese, mode="view")


# --- Errors ---------------------------------------------------------------------------------


def _problem_codes(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(statuses, ErrorOut)


AUTHED = (400, 401, 403, 404)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return E.render(api, request, exc)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    errors = []
    for item in exc.errors:
        source, *location = [str(part) for part in item.get("loc", ())] or [""]
        if source == "body":
            # A JSON body is read into one argument (`payload`): its name is not a field the
            # client sent, the rest of the location is.
            location = location[1:]
        field = ".".join(location) or None
        errors.append({"field": field, "code": "invalid", "message": E.both(E.INVALID)})
    field = errors[0]["field"] if errors else None
    return E.render(api, request, ApiError(400, "invalid", E.INVALID, field=field, errors=errors))


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    error = ApiError(401, "unauthorized", E.UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    return E.render(api, request, error)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApiError):
        return E.render(api, request, exc.__cause__)
    # ninja's own refusals: 400 for a body that is not JSON, 403, 404.
    code = {400: "invalid", 403: "forbidden", 404: "not_found"}.get(exc.status_code, "error")
    message = {400: E.INVALID, 403: E.FORBIDDEN}.get(exc.status_code, E.NOT_FOUND)
    return E.render(api, request, ApiError(exc.status_code, code, message))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return E.render(api, request, ApiError(404, "not_found", E.NOT_FOUND))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return E.render(api, request, ApiError(403, "forbidden", E.FORBIDDEN))


@api.exception_handler(IllegalTransition)
def _illegal(request, exc: IllegalTransition):
    error = E.from_validation(exc, "illegal_transition")
    error.status, error.code = 409, "illegal_transition"
    return E.render(api, request, error)


@api.exception_handler(RequestDataTooBig)
def _too_large(request, exc):
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE (a photo's limit is checked by uploads.images)."""
    return E.render(api, request, ApiError(413, "too_large", E.TOO_LARGE))


@api.exception_handler(DjangoValidationError)
def _refused(request, exc: DjangoValidationError):
    return E.render(api, request, E.from_validation(exc))


def _limited(request, limits: list[tuple[tuple[str, int, int], str]]) -> None:
    """Count one attempt against each (scope, limit, window) for its identifier; 429 with
    Retry-After (seconds until every used-up limit has started over, the truth when two
    refuse) when any is used up (core.ratelimit, as the pages)."""
    waits = [
        seconds_left(window)
        for (scope, limit, window), ident in limits
        if not hit(scope, ident, limit=limit, window=window)
    ]
    if waits:
        _too_many(max(waits))


def _too_many(wait: int, detail=E.TOO_MANY) -> None:
    raise ApiError(429, "rate_limited", detail, headers={"Retry-After": str(wait)})


# --- Schemas --------------------------------------------------------------------------------


class UnitOut(Schema):
    code: str = Field(description="GSO code of the unit")
    name: str


def _unit(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name}


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 100):
        raise ApiError(400, "invalid", E.INVALID, field="Idempotency-Key")
    return key


def _client_limits(request, limits, extra: dict | None = None):
    ip = client_address(request) or ""
    return [((s, n, w), ip) for s, n, w in limits] + list((extra or {}).items())
