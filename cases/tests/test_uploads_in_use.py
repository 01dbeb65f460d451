"""Uploads a case uses are kept by the purge of photos never sent (uploads below cases
cannot build a case: the test lives here)."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from cases.testing import make_case
from uploads.models import Upload
from uploads.services import uploads_purge_unattached
from uploads.tests.test_services import make_upload

pytestmark = pytest.mark.django_db


def test_purge_keeps_an_upload_a_case_uses_without_having_claimed_it(commune_a):
    orphan, in_use = make_upload(seed=1), make_upload(seed=2)
    Case.objects.filter(pk=make_case(commune_a).pk).update(id_photo=in_use)

    purged = uploads_purge_unattached(older_than=timezone.now() + timedelta(seconds=1))

    assert purged == 1
    assert not Upload.objects.filter(pk=orphan.pk).exists()
    in_use.refresh_from_db()
    assert in_use.attached_at is not None and os.path.exists(in_use.file.path)
