"""The BulkJob model: one background job over many items, whatever app asked for it.

The table keeps its first name, backoffice_bulkjob, from when the model lived in the back
office; the user is referred to by settings.AUTH_USER_MODEL, not by importing accounts.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkJob(models.Model):
    """Work on many rows run in the background: an Excel import, a bulk decision, a batch of
    documents. What one item means is up to the job's kind (see jobs.runner).

    A job starts as a preview that writes nothing; confirming it queues it. A runner
    claims it exclusively (`lease_holder`, until `lease_expires_at`, renewed at every
    item) and moves `cursor` past each item in the same transaction as the item's own
    write, so a job taken up again after its worker died (jobs.recovery) carries on at the
    first item not done, and no item is done twice (see jobs.runner).
    """

    class State(models.TextChoices):
        PREVIEW = "preview", _("Chờ xác nhận")
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Gặp lỗi, đã dừng")
        CANCELLED = "cancelled", _("Đã hủy")

    # Stable across retries: deterministic keys of what the job writes derive from it.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A code registered in jobs.runner; no choices here so that other apps add kinds
    # without a migration of this table.
    kind = models.CharField(_("loại việc"), max_length=32)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=State.choices, default=State.PREVIEW
    )
    commune = models.ForeignKey(
        "units.Unit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    # What to do: the kind's options (a rejection reason, the file name...) and the items
    # (case ids, or cleaned rows of a sheet).
    params = models.JSONField(default=dict, blank=True)
    items = models.JSONField(default=list, blank=True)
    # What the preview found: [{"ref": "Dòng 7", "message": "..."}]; items with errors are
    # not in `items`, warnings are.
    preview_errors = models.JSONField(default=list, blank=True)
    preview_warnings = models.JSONField(default=list, blank=True)

    total = models.PositiveIntegerField(_("tổng số"), default=0)
    cursor = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(_("thành công"), default=0)
    failed = models.PositiveIntegerField(_("không thực hiện được"), default=0)
    # Failures while running: [{"ref": "TQ-7K3M-9QXH", "message": "..."}].
    errors = models.JSONField(default=list, blank=True)
    # Results worth linking to, per kind: [{"ref": ..., "case_id": ...}].
    results = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    # Who runs the job ("host:pid:nonce" of the runner) and until when; a runner renews
    # it with every item. Empty when no runner holds the job.
    lease_holder = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # How often the job was taken up again after its runner died, and when last.
    resumed_count = models.PositiveIntegerField(_("số lần tiếp tục"), default=0)
    resumed_at = models.DateTimeField(_("tiếp tục lúc"), null=True, blank=True)

    class Meta:
        db_table = "backoffice_bulkjob"
        verbose_name = _("công việc hàng loạt")
        verbose_name_plural = _("công việc hàng loạt")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["commune", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.processed / self.total))
