"""What each business module contributes to the whole platform — URL prefixes, API routers,
navigation entries, scheduled jobs and demo data — declared as attributes of its AppConfig.

A module is added by listing it in INSTALLED_APPS: the URL conf, the API, the sidebar, the
scheduler and `load_demo` find it here, so no shared file grows a line per module.

AppConfig attributes (all optional):
- ``urls``: ``[(prefix, "dotted.urls.module"), ...]``, included in this order;
- ``api_routers``: ``[ApiRouter(...), ...]``;
- ``nav``: ``[NavItem(...), ...]``;
- ``jobs``: ``[Job(...), ...]`` (see core.scheduler);
- ``audit_actions``: ``{"<object>.<verb>": lazy label}``, the module's audit actions in words
  (core.audit_labels);
- ``demo``: ``"dotted.module:function"``, a function of no arguments that loads the module's
  demo into the demo oilfield and returns an object with ``message``, ``counts`` and ``seconds``.
"""
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class ApiRouter:
    prefix: str  # "/plans"
    router: str  # "ronghe.tasks.api:plans_router"
    tag: str  # the OpenAPI tag its operations carry
    description: str  # the tag's description in the API docs


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str  # a lazy translation
    icon: str  # a Tabler icon name without the "ti-" prefix
    sections: tuple  # the item is active on pages whose URL name starts with one of these
    # Who sees the item: "everyone" signed in, or anyone whose VIEW scope is not empty.
    shown_to: str = "everyone"


def contributions(attribute: str) -> list:
    """`attribute` of every installed app that declares it, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        found.extend(getattr(config, attribute, ()) or ())
    return found


def merged(attribute: str) -> dict:
    """The dicts named `attribute` of every installed app, merged."""
    out = {}
    for config in apps.get_app_configs():
        out.update(getattr(config, attribute, None) or {})
    return out


def load(dotted: str):
    """"package.module:attribute" → the attribute."""
    module, _, attribute = dotted.partition(":")
    return getattr(import_module(module), attribute)


def demo_loaders() -> list:
    return [load(config.demo) for config in apps.get_app_configs() if getattr(config, "demo", None)]
