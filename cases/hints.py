"""Duplicate hints: other cases that may be the same person or the same test photo.

Computed for the rows of one page with one query per kind of hint, whatever the number
of rows; the photo hint also compares dHashes (Hamming distance) in Python over the same
communes' recent photos, a bounded set.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.choices import Status
from cases.models import Case
from units.models import Unit
from uploads.images import phash_distance

PHASH_MAX_DISTANCE = 6
# Near-identical photos are looked for among the same communes' recent declarations.
PHASH_WINDOW_DAYS = 30
PHASH_CANDIDATES = 5000
HINT_ROWS_CAP = 1000
# Cases named per hint; the others are counted. A phone many people gave (a health station's,
# an officer's own for elderly people without one) must not make the page name hundreds.
HINT_OTHERS_NAMED = 5


@dataclass(frozen=True)
class HintCase:
    pk: int
    tracking_code: str
    status: str
    commune_name: str
    visible: bool

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class Hint:
    """One kind of hint for a case: `others` names the first HINT_OTHERS_NAMED matching
    cases (newest first), `total` counts them all."""

    kind: str
    label: str
    css: str
    others: list[HintCase]
    total: int = 0

    def __post_init__(self):
        self.total = max(self.total, len(self.others))

    @property
    def more(self) -> int:
        """How many matching cases are not named."""
        return self.total - len(self.others)


HINT_KINDS = {
    "id_number": (_("Trùng số giấy tờ"), "danger"),
    "photo": (_("Trùng ảnh xét nghiệm"), "danger"),
    "name_birth": (_("Trùng họ tên và ngày sinh"), "warning"),
    "phone": (_("Trùng số điện thoại"), "info"),
}
_HINT_FIELDS = ("pk", "tracking_code", "status", "commune_id", "commune__name")


def _visible_to(user: User, row: dict) -> bool:
    unit = user.unit
    if unit is None:
        return False
    if unit.level == Unit.Level.PROVINCE:
        return row["province_id"] == unit.pk
    if unit.level == Unit.Level.DISTRICT:
        return row["district_id"] == unit.pk
    return row["commune_id"] == unit.pk


def _hint_case(user: User, row: dict) -> HintCase:
    return HintCase(
        pk=row["pk"],
        tracking_code=row["tracking_code"],
        status=row["status"],
        commune_name=row["commune__name"],
        visible=_visible_to(user, row),
    )


def _matches(queryset: QuerySet[Case], *extra: str) -> list[dict]:
    fields = (*_HINT_FIELDS, "district_id", "province_id", *extra)
    return list(queryset.values(*fields).order_by("-submitted_at")[:HINT_ROWS_CAP])


def duplicate_hints(user: User, rows: list[Case]) -> dict[int, list[Hint]]:
    """Other cases that may be the same person or the same test, for each of `rows`.

    One query per kind of hint, whatever the number of rows: same ID number, same phone,
    same name (without diacritics) and birth date, same or nearly the same test photo.
    Cases outside the user's unit are named by their commune only.
    """
    if not rows:
        return {}
    # {row pk: {kind: {other pk: HintCase, or None past the first HINT_OTHERS_NAMED}}}
    found: dict[int, dict[str, dict[int, HintCase | None]]] = {row.pk: {} for row in rows}

    def add(row: Case, kind: str, match: dict) -> None:
        if match["pk"] == row.pk:
            return
        others = found[row.pk].setdefault(kind, {})
        if match["pk"] not in others:
            named = len(others) < HINT_OTHERS_NAMED
            others[match["pk"]] = _hint_case(user, match) if named else None

    by_id: dict[str, list[Case]] = {}
    by_phone: dict[str, list[Case]] = {}
    by_person: dict[tuple, list[Case]] = {}
    by_sha: dict[str, list[Case]] = {}
    with_photo = []
    for row in rows:
        if row.id_number:
            by_id.setdefault(row.id_number, []).append(row)
        if row.phone:
            by_phone.setdefault(row.phone, []).append(row)
        by_person.setdefault((row.name_key, row.date_of_birth), []).append(row)
        if row.test_photo_id:
            by_sha.setdefault(row.test_photo.sha256, []).append(row)
            with_photo.append(row)

    if by_id:
        for match in _matches(Case.objects.filter(id_number__in=by_id), "id_number"):
            for row in by_id[match["id_number"]]:
                add(row, "id_number", match)
    if by_phone:
        phones = Case.objects.filter(phone__in=by_phone)
        for match in _matches(phones, "phone", "household_key"):
            for row in by_phone[match["phone"]]:
                # A household declared together shares its phone by design (issue 13).
                if not row.household_key or match["household_key"] != row.household_key:
                    add(row, "phone", match)
    person_q = reduce(or_, (Q(name_key=k, date_of_birth=d) for k, d in by_person))
    for match in _matches(Case.objects.filter(person_q), "name_key", "date_of_birth"):
        for row in by_person.get((match["name_key"], match["date_of_birth"]), []):
            add(row, "name_birth", match)
    if with_photo:
        _photo_hints(with_photo, by_sha, add)

    hints = {}
    for pk, kinds in found.items():
        hints[pk] = [
            Hint(
                kind=kind,
                label=HINT_KINDS[kind][0],
                css=HINT_KINDS[kind][1],
                others=[other for other in m.values() if other is not None],
                total=len(m),
            )
            for kind in HINT_KINDS
            if (m := kinds.get(kind))
        ]
    return hints


def _photo_hints(rows: list[Case], by_sha: dict[str, list[Case]], add) -> None:
    """Same file anywhere, or a picture within a few bits of dHash in the same communes."""
    oldest = min(row.submitted_at for row in rows) - timedelta(days=PHASH_WINDOW_DAYS)
    nearby = Q(
        commune_id__in={row.commune_id for row in rows},
        submitted_at__gte=oldest,
        test_photo__isnull=False,
    )
    candidates = Case.objects.filter(nearby | Q(test_photo__sha256__in=by_sha))
    fields = (
        *_HINT_FIELDS,
        "district_id",
        "province_id",
        "test_photo__sha256",
        "test_photo__phash",
    )
    for match in candidates.values(*fields).order_by("-submitted_at")[:PHASH_CANDIDATES]:
        for row in by_sha.get(match["test_photo__sha256"], []):
            add(row, "photo", match)
        for row in rows:
            if (
                phash_distance(row.test_photo.phash, match["test_photo__phash"])
                <= PHASH_MAX_DISTANCE
            ):
                add(row, "photo", match)
