"""The officials' menu. Each app registers its entries in its AppConfig.ready()."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 100
    visible: object = None  # optional callable(user) -> bool


_ITEMS: dict[str, NavItem] = {}


def register(label, url_name: str, roles, order: int = 100, visible=None) -> None:
    _ITEMS[url_name] = NavItem(
        label=label, url_name=url_name, roles=frozenset(roles), order=order, visible=visible
    )


def items_for(user) -> list[dict]:
    """Menu entries for the user's role; an entry may add a visibility check of its own."""
    if not getattr(user, "is_authenticated", False) or not user.role:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in sorted(_ITEMS.values(), key=lambda i: i.order)
        if user.role in item.roles and (item.visible is None or item.visible(user))
    ]
