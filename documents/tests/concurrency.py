"""Issue documents from a separate process, as a second app server or worker would.

Spawned (not forked): a fresh interpreter with its own Typst compiler and database
connection, pointed at the test database of the parent.
"""

import contextlib
import os


class InjectedFailure(Exception):
    """A failure planted in the middle of issuing."""


def failing_render(fail_name: str):
    """documents.composition.render, raising for the person named `fail_name`."""
    from documents import composition

    real = composition.render

    def render(kind, data, **kwargs):
        if data.person.full_name == fail_name:
            raise InjectedFailure(fail_name)
        return real(kind, data, **kwargs)

    return render


def issue_in_process(database: dict, document_ids: list[int], leader_id: int, fail_name: str):
    """Issue `document_ids` one by one; a planted failure is expected and skipped."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.conf import settings

    settings.DATABASES["default"].update(database)
    from unittest import mock

    from accounts.models import User
    from documents.models import Document
    from documents.services import document_issue

    leader = User.objects.get(pk=leader_id)
    with mock.patch("documents.composition.render", failing_render(fail_name)):
        for pk in document_ids:
            with contextlib.suppress(InjectedFailure):
                document_issue(document=Document.objects.get(pk=pk), by=leader)
