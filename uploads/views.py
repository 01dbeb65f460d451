from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from core.access import public
from uploads.images import thumbnail
from uploads.models import Upload
from uploads.staging import staged_upload_get


def _private_image(response: HttpResponse) -> HttpResponse:
    response["Content-Type"] = "image/jpeg"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if "Content-Disposition" not in response:
        response["Content-Disposition"] = "inline"
    return response


def serve_upload(upload: Upload, *, thumbnail_only: bool = False) -> HttpResponse:
    """The stored JPEG of `upload` (or a small copy); the caller has checked access."""
    try:
        # A file object of its own: the model's FieldFile stays untouched by the response.
        file = upload.file.storage.open(upload.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    if thumbnail_only:
        with file:
            return _private_image(HttpResponse(thumbnail(file)))
    return _private_image(FileResponse(file, filename=f"{upload.kind}.jpg"))


@public
@require_GET
def preview(request, token: str):
    """A small copy of a photo this browser uploaded and no case has claimed yet."""
    upload = staged_upload_get(session=request.session, token=token)
    if upload is None:
        raise Http404
    return serve_upload(upload, thumbnail_only=True)
