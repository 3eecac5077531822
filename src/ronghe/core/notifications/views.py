"""The inbox (a user's own notifications) and the pages where unit admins manage their
webhook channels."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ronghe.core.forms import add_service_errors
from ronghe.core.notifications import categories, selectors, services
from ronghe.core.notifications.forms import WebhookChannelForm

PAGE_SIZE = 50


def _local(request, target) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                            require_https=request.is_secure())


def inbox_list(request):
    unread_only = request.GET.get("unread") == "1"
    category = request.GET.get("category", "")
    if category not in categories.CATEGORIES:
        category = ""
    notifications = selectors.inbox(request.user, unread_only=unread_only, category=category)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.category_label = categories.label(notification.category)
    return render(request, "core/inbox.html", {
        "page_obj": page, "unread_only": unread_only, "category": category,
        "categories": categories.choices(), "can_manage_channels": selectors.can_manage_channels(request.user),
    })


@require_POST
def inbox_read(request, pk):
    """Mark one notification read; with `open`, go on to what it is about."""
    notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.POST.get("open"):
        return redirect(notification.link if _local(request, notification.link) else "inbox_list")
    if request.htmx:
        notification.category_label = categories.label(notification.category)
        return render(request, "core/inbox_row.html", {
            "n": notification, "oob": True, "unread": selectors.unread_count(request.user)})
    return redirect("inbox_list")


@require_POST
def inbox_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, ngettext("%(count)d notification marked as read.",
                                           "%(count)d notifications marked as read.", count) % {"count": count})
    return redirect("inbox_list")


# --- webhook channels ------------------------------------------------------------------------------

def _channel_manager(request):
    if not selectors.can_manage_channels(request.user):
        raise Http404


def webhook_channel_list(request):
    _channel_manager(request)
    channels = selectors.channels(request.user)
    unit = request.GET.get("unit", "").strip()
    if unit:
        channels = channels.filter(unit__code=unit)
    page = Paginator(channels, PAGE_SIZE).get_page(request.GET.get("page"))
    for channel in page.object_list:
        channel.masked_url = services.masked_url(channel.url)
        channel.category_labels = [categories.label(c) for c in channel.categories]
    return render(request, "core/inbox_channels.html", {"page_obj": page, "unit": unit})


def webhook_channel_create(request):
    _channel_manager(request)
    form = WebhookChannelForm(request.POST or None, actor=request.user,
                              initial={"unit": request.GET.get("unit", ""), "enabled": True})
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.webhook_channel_create(actor=request.user, **form.channel_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The channel “%(name)s” was created. Send it a test message.") % {
                "name": channel.name})
            return redirect("webhook_channel_edit", pk=channel.pk)
    return render(request, "core/inbox_channel_form.html", {"form": form, "channel": None})


def webhook_channel_edit(request, pk):
    channel = get_object_or_404(selectors.channels(request.user), pk=pk)
    form = WebhookChannelForm(request.POST or None, actor=request.user, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_channel_update(actor=request.user, channel=channel, **form.channel_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The channel “%(name)s” was saved.") % {"name": channel.name})
            return redirect("webhook_channel_edit", pk=channel.pk)
    return render(request, "core/inbox_channel_form.html", {
        "form": form, "channel": channel, "deliveries": selectors.recent_deliveries(channel)})


@require_POST
def webhook_channel_test(request, pk):
    channel = get_object_or_404(selectors.channels(request.user), pk=pk)
    error = services.webhook_channel_test(actor=request.user, channel=channel)
    if error:
        messages.error(request, _("The robot did not take the test message: %(error)s") % {"error": error})
    else:
        messages.success(request, _("The test message was sent; check the group."))
    return redirect("webhook_channel_edit", pk=channel.pk)
