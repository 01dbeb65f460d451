"""The unit sets shipped with the code, each generated into units/data/<code>.csv."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class UnitSetInfo:
    code: str
    name: str
    has_districts: bool
    valid_from: date | None
    valid_to: date | None

    @property
    def path(self) -> Path:
        return DATA_DIR / f"{self.code}.csv"


KNOWN_SETS = {
    info.code: info
    for info in [
        UnitSetInfo(
            code="gso-2021",
            name="Danh mục đơn vị hành chính ba cấp (2021 - 30/6/2025)",
            has_districts=True,
            valid_from=None,
            valid_to=date(2025, 6, 30),
        ),
        UnitSetInfo(
            code="gso-2025",
            name="Danh mục đơn vị hành chính hai cấp (từ 01/7/2025)",
            has_districts=False,
            valid_from=date(2025, 7, 1),
            valid_to=None,
        ),
    ]
}
