"""Navigation entries by role, fed to base.html as plain dicts.

An area adds its entries when its blueprint module is imported:

    from web.nav import nav_item
    nav_item("assess.dashboard", _l("My assessments"), roles=("sme_user",), order=20)

Entries whose endpoint is not registered are skipped, so the menu follows
what the app actually serves. `roles=None` means every signed-in person;
`public=True` shows the entry to visitors who are not signed in as well. `when` (a function
of the signed-in person) narrows it further, e.g. to the staff of an organisation kind:
`when=lambda user: any(o.kind == "centre" for o in user.organisations)`.
"""
from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    roles: tuple[str, ...] | None
    order: int
    public: bool
    when: object = None


_ITEMS: dict[str, NavItem] = {}


def nav_item(endpoint, label, roles=None, order=50, public=False, when=None) -> None:
    """Register (or replace) one menu entry."""
    _ITEMS[endpoint] = NavItem(endpoint, label, tuple(roles) if roles else None, order, public,
                               when)


def nav_for_current_user(app) -> list[dict]:
    """The menu for whoever is asking: [{"endpoint", "url", "label", "current"}]."""
    signed_in = bool(current_user and current_user.is_authenticated)
    items = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.endpoint)):
        if item.endpoint not in app.view_functions:
            continue
        if not signed_in and not item.public:
            continue
        if signed_in and item.roles and not current_user.has_role(*item.roles):
            continue
        if item.when is not None and not (signed_in and item.when(current_user)):
            continue
        items.append({"endpoint": item.endpoint, "url": url_for(item.endpoint),
                      "label": str(item.label),
                      "current": request.endpoint == item.endpoint})
    return items
