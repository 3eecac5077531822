from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe.core.scoping import ScopedQuerySet


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
