"""Small-count suppression for published figures, so that no person can be singled out.

Primary suppression: a count from 1 to k-1 is shown as "<k" (k = PUBLIC_MIN_COUNT, 5 by
default). A true zero is shown: it singles nobody out, and people need to see it.

Secondary suppression: when the page also publishes the total of a group of cells, the
hidden cells add up to (total - the shown cells), which can give a small count away (one
hidden cell: exactly). So complementary cells are hidden as well ("ẩn"), the smallest
that suffice, until every small count could still be any value from 1 to k-1 as far as
the published figures tell. The reasoning assumes an attacker who knows the rule: each
"<k" cell holds 1..k-1, each complementary cell at least k. If no choice of complements
achieves that, the total itself must not be published (`total_ok` is False).
"""

from collections.abc import Hashable
from dataclasses import dataclass

from django.conf import settings

SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"


def min_count() -> int:
    return max(2, int(getattr(settings, "PUBLIC_MIN_COUNT", 5)))


@dataclass(frozen=True)
class Cell:
    value: int
    state: str
    k: int

    @property
    def text(self) -> str:
        if self.state == SMALL:
            return f"<{self.k}"
        if self.state == HIDDEN:
            return "ẩn"
        return f"{self.value:,}".replace(",", ".")

    @property
    def shown(self) -> bool:
        return self.state == SHOWN

    @property
    def plotted(self) -> int:
        """The value to draw in a chart: nothing for a suppressed cell."""
        return self.value if self.state == SHOWN else 0


def cell(value: int, k: int | None = None) -> Cell:
    """Primary suppression of one count."""
    k = k or min_count()
    return Cell(value, SMALL if 0 < value < k else SHOWN, k)


def small_counts_protected(hidden_sum: int, smalls: int, complements: int, k: int) -> bool:
    """Whether each of `smalls` cells (1..k-1) hidden together with `complements` cells
    (>= k) could still take every value 1..k-1, given only their sum."""
    if smalls == 0:
        return True
    others_min = (smalls - 1) + k * complements
    upper_ok = hidden_sum - others_min >= k - 1
    lower_ok = complements > 0 or hidden_sum - (smalls - 1) * (k - 1) <= 1
    return upper_ok and lower_ok


@dataclass
class Protected:
    cells: dict[Hashable, Cell]
    total: Cell


def protect(values: dict[Hashable, int], *, total: int, k: int | None = None) -> Protected:
    """Cells of a group whose `total` is published alongside them, suppressed so that no
    small count can be derived from the total."""
    k = k or min_count()
    cells = {key: cell(v, k) for key, v in values.items()}
    smalls = [key for key, c in cells.items() if c.state == SMALL]
    # What a reader can work out: the total minus every count shown.
    hidden_sum = total - sum(v for key, v in values.items() if key not in smalls)
    complements = 0
    total_cell = cell(total, k)
    if total_cell.state == SMALL or not smalls:
        return Protected(cells, total_cell)
    candidates = sorted(
        (v, key) for key, v in values.items() if cells[key].state == SHOWN and v >= k
    )
    while not small_counts_protected(hidden_sum, len(smalls), complements, k):
        if not candidates:
            return Protected(cells, Cell(total, HIDDEN, k))
        need = (k - 1) + (len(smalls) - 1) + k * (complements + 1) - hidden_sum
        fitting = [c for c in candidates if c[0] >= need]
        value, key = fitting[0] if fitting else candidates[-1]
        candidates.remove((value, key))
        cells[key] = Cell(value, HIDDEN, k)
        hidden_sum += value
        complements += 1
    return Protected(cells, total_cell)
