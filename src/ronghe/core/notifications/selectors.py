"""Reads for the inbox and the channel pages, already scoped: a user's own notifications, and
the webhook channels of the units they may change."""
from django.db.models import BooleanField, Case, Value, When

from ronghe.core.models import Notification, WebhookChannel
from ronghe.core.scoping import CHANGE, scope_for
from ronghe.org.models import Unit

RECENT_DELIVERIES = 20


def inbox(user, *, unread_only=False, category=""):
    """The user's notifications, unread first, newest first within each."""
    qs = Notification.objects.restrict(user)
    if unread_only:
        qs = qs.unread()
    if category:
        qs = qs.filter(category=category)
    unread = Case(When(read_at__isnull=True, then=Value(True)), default=Value(False), output_field=BooleanField())
    return qs.annotate(is_unread=unread).order_by("-is_unread", "-created_at", "-id")


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.restrict(user).unread().count()


def can_manage_channels(user) -> bool:
    """Whether the user may change some unit, and so manage its webhook channels."""
    scope = scope_for(user, CHANGE)
    return scope.everything or bool(scope.unit_paths or scope.unit_ids)


def manageable_units(user):
    return Unit.objects.restrict(user, CHANGE).filter(abolished_on__isnull=True).order_by("path")


def channels(user):
    return WebhookChannel.objects.restrict(user, CHANGE).select_related("unit")


def recent_deliveries(channel, limit=RECENT_DELIVERIES):
    return channel.deliveries.order_by("-created_at", "-id")[:limit]
