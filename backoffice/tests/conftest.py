import uuid

from cases.services import case_declare
from cases.testing import declaration_values, photo_file


def make_case_with_photo(commune, *, color=(200, 30, 30), photo=None, **overrides):
    """A case declared with a test photo, through the real services."""
    from uploads.services import upload_create

    if photo is None:
        photo = upload_create(file=photo_file(color=color), kind="test_photo")
    return case_declare(
        commune=commune,
        values=declaration_values(**overrides),
        test_photo=photo,
        submission_key=uuid.uuid4(),
    ).case
