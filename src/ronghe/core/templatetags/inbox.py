"""The unread badge of the top bar: one count query per page, and only where it is shown."""
from django import template

from ronghe.core.notifications import selectors

register = template.Library()


@register.simple_tag
def inbox_unread(user) -> int:
    return selectors.unread_count(user)
