"""Template helpers shared by every page: dates in the reader's language, the navigation the
user may use, and plain rendering of audited values."""
import datetime as dt
import re

from django import template
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ronghe.core.audit_labels import action_label as _action_label
from ronghe.core.modules import contributions
from ronghe.core.scoping import IMPORT, MANAGE_ROLES, VIEW, scope_for

register = template.Library()

EMPTY = "—"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_date(value):
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    return None


def _chinese():
    return (translation.get_language() or "").lower().startswith("zh")


@register.filter
def action_label(action):
    """An audit action ("unit.rename") in the user's words."""
    return _action_label(action)


@register.filter
def cndate(value):
    """A date as 2026年3月5日 in Chinese, in the locale's long form otherwise. Accepts dates,
    datetimes and ISO strings (as kept in audit snapshots); a masked or empty value passes through."""
    if value in (None, ""):
        return EMPTY
    parsed = _as_date(value)
    if parsed is None:
        return value
    day = parsed.date() if isinstance(parsed, dt.datetime) else parsed
    if _chinese():
        return f"{day.year}年{day.month}月{day.day}日"
    return formats.date_format(day, "DATE_FORMAT")


@register.filter
def cndatetime(value):
    """A moment as 2026年3月5日 14:05 in Chinese (local time), the locale's form otherwise."""
    parsed = _as_date(value)
    if not isinstance(parsed, dt.datetime):
        return cndate(value)
    return f"{cndate(parsed)} {parsed:%H:%M}"


@register.filter
def shown(value):
    """An audited or optional value for display: empty ones as a dash, booleans in words."""
    if value is None or value == "":
        return EMPTY
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and ISO_DATE.match(value):
        return cndate(value)
    return value


@register.simple_tag
def module_nav(user, section):
    """The sidebar entries the business modules contribute (core.modules), for `user`, with the
    one for the current page (`section`: its URL name) marked active."""
    items = []
    for item in contributions("nav"):
        if item.shown_to != "everyone" and scope_for(user, VIEW).empty:
            continue
        items.append({"url": reverse(item.url_name), "label": item.label, "icon": item.icon,
                      "active": section.startswith(item.sections)})
    return items


@register.simple_tag
def nav_permissions(user):
    """Which parts of the navigation `user` can use; each scope is computed once per request."""
    view = scope_for(user, VIEW)
    return {
        "units": view.everything or bool(view.unit_paths or view.unit_ids),
        "party_orgs": not view.empty,
        "people": not view.empty,
        "audit": not view.empty,
        "import": not scope_for(user, IMPORT).empty,
        "users": not scope_for(user, MANAGE_ROLES).empty,
    }
