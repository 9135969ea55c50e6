"""Main-menu entries and per-response actions that other packages add (dashboards, exports)
without survey's templates knowing them: a blueprint registers its entry, base.html lists the
menu entries the user may see, the response pages link the response actions."""

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


@dataclass(frozen=True)
class ResponseAction:
    """A link on a response's pages; `endpoint` takes `response_id`. Whoever may see the
    response may follow it (the endpoint checks access itself)."""

    endpoint: str
    label: str


def add_nav_item(app: Flask, item: NavItem) -> None:
    app.extensions.setdefault("nav_items", []).append(item)


def add_response_action(app: Flask, action: ResponseAction) -> None:
    app.extensions.setdefault("response_actions", []).append(action)


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

    @app.context_processor
    def response_actions() -> dict:
        def registered_actions() -> list[ResponseAction]:
            return [action for action in current_app.extensions.get("response_actions", [])
                    if action.endpoint in current_app.view_functions]
        return {"response_actions": registered_actions}
