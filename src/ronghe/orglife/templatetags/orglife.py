"""Template filters of 三会一课: periods and matrix columns in words."""
from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

register = template.Library()


@register.filter
def period_label(key: str) -> str:
    """"2026-03" → 2026年3月, "2026-Q1" → 2026年第1季度 (in English: 3/2026, Q1 2026)."""
    year, _sep, part = str(key).partition("-")
    if part.startswith("Q"):
        return _("Q%(quarter)s %(year)s") % {"quarter": part[1:], "year": year}
    return _("%(month)s/%(year)s") % {"month": int(part), "year": year}


@register.filter
def column_label(key: str) -> str:
    """A matrix column's header: 3月, or 一季度 for a quarter."""
    _year, _sep, part = str(key).partition("-")
    if part.startswith("Q"):
        return _("Q%(quarter)s") % {"quarter": part[1:]}
    return _("Month %(month)s") % {"month": int(part)}


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


ACTIONS = {
    "orglife.create": pgettext_lazy("audit action", "Recorded"),
    "orglife.update": pgettext_lazy("audit action", "Updated"),
    "orglife.delete": pgettext_lazy("audit action", "Record removed"),
    "orglife.photo_add": pgettext_lazy("audit action", "Photo added"),
    "orglife.photo_remove": pgettext_lazy("audit action", "Photo removed"),
    "orglife.rule_update": pgettext_lazy("audit action", "Rule changed"),
}


@register.filter
def orglife_action(action: str) -> str:
    """An audit action of 三会一课 in the reader's words."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action
