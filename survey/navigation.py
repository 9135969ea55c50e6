"""The links packages register instead of naming each other in templates: the entries of the
main menu and of the administration's tabs, the actions on a response's pages and the
downloads of a round on the dashboards. A blueprint registers its own when it is registered
(`record_once`); base.html, admin/_nav.html, the response pages and the dashboards list what
is registered, so survey never names dashboards or exports and dashboards never name exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_login import current_user

MAIN_MENU = "main"
ADMIN_MENU = "admin"


def _always(_: object) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    """An entry of a menu, shown to the users `visible` accepts. It is the current page when the
    request is in `blueprint`, or, with no blueprint, at `endpoint` itself. Entries of a menu
    go by `order`, then in the order they were registered."""

    endpoint: str
    label: str
    blueprint: str | None
    visible: Callable[[object], bool]  # given the current user
    menu: str = MAIN_MENU
    order: int = 50

    def is_current(self, request) -> bool:
        if self.blueprint is None:
            return request.endpoint == self.endpoint
        return request.blueprint == self.blueprint


@dataclass(frozen=True)
class ResponseAction:
    """A link on a response's pages; `endpoint` takes `response_id`. Whoever may see the
    response may follow it (the endpoint checks access itself)."""

    endpoint: str
    label: str


@dataclass(frozen=True)
class RoundAction:
    """A download of a round on the analysts' dashboard pages; `endpoint` takes `round_id` and
    the pages' filters (the endpoint checks access itself). `about` tells screen-reader users
    what the file is, before the round's title; `offered` says for which rounds it exists."""

    endpoint: str
    label: str
    about: str
    offered: Callable[[object], bool] = _always  # given the round


def add_nav_item(app: Flask, item: NavItem) -> None:
    app.extensions.setdefault("nav_items", []).append(item)


def add_response_action(app: Flask, action: ResponseAction) -> None:
    app.extensions.setdefault("response_actions", []).append(action)


def add_round_action(app: Flask, action: RoundAction) -> None:
    app.extensions.setdefault("round_actions", []).append(action)


def _registered(kind: str) -> list:
    """The registered links of `kind` whose endpoint exists in this app."""
    return [link for link in current_app.extensions.get(kind, [])
            if link.endpoint in current_app.view_functions]


def init_app(app: Flask) -> None:
    @app.context_processor
    def nav_items() -> dict:
        def visible_items(menu: str = MAIN_MENU) -> list[NavItem]:
            if not current_user.is_authenticated:
                return []
            items = [item for item in _registered("nav_items")
                     if item.menu == menu and item.visible(current_user)]
            return sorted(items, key=lambda item: item.order)  # stable: ties keep their order
        return {"nav_items": visible_items}

    @app.context_processor
    def response_actions() -> dict:
        def registered_actions() -> list[ResponseAction]:
            return _registered("response_actions")
        return {"response_actions": registered_actions}

    @app.context_processor
    def round_actions() -> dict:
        def offered_actions(round_) -> list[RoundAction]:
            return [action for action in _registered("round_actions") if action.offered(round_)]
        return {"round_actions": offered_actions}
