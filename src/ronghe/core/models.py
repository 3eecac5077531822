from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe.core.scoping import VIEW, ScopedQuerySet


class AuditEntry(models.Model):
    """One change to business data: who, when, what, before and after.

    Written by services in the same transaction as the change. The unit / party org the object
    hung off at the time is kept so that audit pages can be scoped like everything else."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    party_org = models.ForeignKey("org.PartyOrg", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"
    scope_party_path = "party_org__path"
    scope_party_id = "party_org_id"

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def changed_fields(self):
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class CalendarDay(models.Model):
    """An override of China's official working-day calendar for one date: a holiday or a
    调休 working day that the bundled calendar library does not know yet."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date} {'workday' if self.is_working_day else 'holiday'}"


# --- notifications -------------------------------------------------------------------------------

class NotificationQuerySet(models.QuerySet):
    def restrict(self, user, action=VIEW):
        """A user only ever sees their own notifications, whatever roles they hold: an inbox is
        personal, not organisational, so the unit scope does not apply."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in a user's in-app inbox."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    category = models.CharField(_("category"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The unread badge on every page counts these rows only.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True),
                         name="notification_unread_idx"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class WebhookChannel(models.Model):
    """A group robot of a unit's WeCom or DingTalk group that receives notices of some categories."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot (企业微信群机器人)")
        DINGTALK = "dingtalk", _("DingTalk group robot (钉钉群机器人)")

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="webhook_channels")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True,
                              help_text=_("DingTalk only: the SEC… secret of a robot secured by signing (加签)."))
    enabled = models.BooleanField(_("enabled"), default=True)
    categories = models.JSONField(_("categories"), default=list, blank=True,
                                  help_text=_("None selected: the channel receives every category."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = _("webhook channel")
        verbose_name_plural = _("webhook channels")

    def __str__(self):
        return self.name

    def receives(self, category) -> bool:
        return not self.categories or category in self.categories


class Delivery(models.Model):
    """One message sent, or to be sent, to one recipient through the inbox or email, or to one
    webhook channel. Its key (rule, object, recipient or channel, day) is unique: that, and not
    a check before sending, is what keeps a reminder from going twice, even when two runs race."""

    class Medium(models.TextChoices):
        INBOX = "inbox", _("Inbox")
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(_("key"), max_length=255, unique=True)
    rule = models.CharField(_("rule"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    day = models.DateField(_("day"))
    category = models.CharField(_("category"), max_length=32)
    medium = models.CharField(_("medium"), max_length=16, choices=Medium.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(WebhookChannel, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="deliveries")
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    address = models.CharField(_("address"), max_length=254, blank=True)
    # What email and webhooks send, kept so that a failed delivery can be retried as it was.
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status_idx")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return self.key
