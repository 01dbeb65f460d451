"""The one pattern of generated usernames: `<unit slug>.<role suffix>`.

The unit slug is the unit's short name in lowercase ASCII without spaces ("Tràng Đà" ->
`trangda`); a town, city or town-level district (thị trấn, thành phố, thị xã) takes the
prefix `tt`, `tp` or `tx`, because it usually shares its name with the district or
province around it ("Thị trấn Sơn Dương" -> `ttsonduong`, "Huyện Sơn Dương" -> `sonduong`).
The role suffix says what the account does (`canbo`, `lanhdao`, `huyen`, `soyte`). The demo
accounts follow the same pattern (`trangda.canbo`, `ttsonduong.lanhdao`).

Two units of one level in one province with the same slug ("Xã Tân Thành" and "Xã Tân
Thanh") both take their GSO code as well (`tanthanh-02263.canbo`), so that a username
never depends on which of them was given accounts first: the same unit and role always
give the same name.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from accounts.models import Role
from units.models import Unit

ROLE_SUFFIX = {
    Role.COMMUNE_OFFICER: "canbo",
    Role.COMMUNE_LEADER: "lanhdao",
    Role.DISTRICT_STAFF: "huyen",
    Role.PROVINCE_HEALTH: "soyte",
    Role.SYSTEM_ADMIN: "quantri",
}

# Unit-type words whose units often share a name with the unit around them.
TYPE_PREFIX = {"thị trấn": "tt", "thành phố": "tp", "thị xã": "tx"}


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters and digits only: "Tràng Đà" -> "trangda"."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def unit_slug(unit: Unit) -> str:
    """The unit's part of a username, without the GSO code: "ttsonduong", "trangda"."""
    name = unicodedata.normalize("NFC", unit.name).lower()
    prefix = next((p for word, p in TYPE_PREFIX.items() if name.startswith(word)), "")
    # A province keeps its bare name: "Thành phố Hà Nội" is `hanoi.soyte`.
    if unit.level == Unit.Level.PROVINCE:
        prefix = ""
    return prefix + ascii_slug(unit.short_name or unit.name)


def shared_slugs(units: Iterable[Unit]) -> set[tuple[str, str]]:
    """(level, slug) pairs borne by more than one of `units` (pass every unit of the
    province, not only those chosen, so that the answer does not depend on the choice)."""
    counts = Counter((unit.level, unit_slug(unit)) for unit in units)
    return {key for key, count in counts.items() if count > 1}


def username_for(unit: Unit, role: str, *, shared: set[tuple[str, str]], with_code=False) -> str:
    """The generated username of `role` in `unit`: `trangda.canbo`; with the GSO code
    (`tanthanh-02263.canbo`) when the slug is shared in the province or `with_code`."""
    slug = unit_slug(unit)
    if with_code or (unit.level, slug) in shared:
        slug = f"{slug}-{unit.code}"
    return f"{slug}.{ROLE_SUFFIX[Role(role)]}"
