"""Main-menu entries that other packages add (dashboards, exports) without survey's templates
knowing them: a blueprint registers its entry, base.html lists the ones the user may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    blueprint: str
    visible: Callable[[object], bool]  # given the current user


def add_nav_item(app: Flask, item: NavItem) -> None:
    app.extensions.setdefault("nav_items", []).append(item)


def init_app(app: Flask) -> None:
    @app.context_processor
    def nav_items() -> dict:
        def visible_items() -> list[NavItem]:
            if not current_user.is_authenticated:
                return []
            return [item for item in current_app.extensions.get("nav_items", [])
                    if item.endpoint in current_app.view_functions
                    and item.visible(current_user)]
        return {"extra_nav_items": visible_items}
