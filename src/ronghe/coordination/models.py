"""Coordination requests (协调事项 / 诉求): a problem raised upward — from a task, a unit or a
meeting — that the addressed unit must answer clearly (明确答复), or forward; the raiser
accepts the answer or reopens the request, and an unanswered request escalates to the next
level once its answer is overdue."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ronghe.core import attachments
from ronghe.core.scoping import ScopedQuerySet, scope_for


class Category(models.TextChoices):
    PRODUCTION = "production", _("Production and technology (生产技术)")
    MARKET = "market", _("Market and business (市场业务)")
    FUNDING = "funding", _("Funding and costs (资金成本)")
    STAFFING = "staffing", _("Staffing and posts (人员编制)")
    EQUIPMENT = "equipment", _("Equipment and materials (设备物资)")
    POLICY = "policy", _("Policy and rules (政策制度)")
    OTHER = "other", _("Other (其他)")


class RequestQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """Role scope over any of the units the request hangs off, plus — for reading — the
        requests a person raised or that are addressed to them by name."""
        scope = scope_for(user, action)
        q = scope.q_for(self.model) if not scope.empty else Q(pk__in=[])
        if q is None:
            return self
        if action == "view" and user is not None and user.is_authenticated:
            q |= Q(raised_by_id=user.pk)
            if user.person_id:
                q |= Q(raised_by_person_id=user.person_id) | Q(to_person_id=user.person_id)
        return self.filter(q)


class Request(models.Model):
    """One coordination request. Both sides see it: the raising unit's scope and the scope of
    every unit it has been addressed, forwarded or escalated to."""

    class State(models.TextChoices):
        OPEN = "open", _("Open (待答复)")
        FORWARDED = "forwarded", _("Forwarded (已转办)")
        ESCALATED = "escalated", _("Escalated (已上报)")
        REOPENED = "reopened", _("Reopened (重新办理)")
        ANSWERED = "answered", _("Answered (已答复)")
        CLOSED = "closed", _("Closed (已办结)")

    # States in which the unit now handling the request owes an answer.
    AWAITING_ANSWER = (State.OPEN, State.FORWARDED, State.ESCALATED, State.REOPENED)

    number = models.CharField(_("Number (编号)"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.OTHER)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="coordination_requests_raised")
    raised_by_person = models.ForeignKey("org.Person", verbose_name=_("raised by (person)"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="coordination_requests_raised")
    from_unit = models.ForeignKey("org.Unit", verbose_name=_("raised by unit"), on_delete=models.PROTECT,
                                  related_name="coordination_requests_raised")
    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="coordination_requests")
    to_unit = models.ForeignKey("org.Unit", verbose_name=_("addressed to"), on_delete=models.PROTECT,
                                related_name="coordination_requests_received")
    to_person = models.ForeignKey("org.Person", verbose_name=_("addressed to (person)"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="coordination_requests_received")
    # The unit that owes the answer now: the addressee, the unit it was forwarded to, or the
    # level it was escalated to. Always one of to_unit / forwarded_to / escalated_to_unit.
    handling_unit = models.ForeignKey("org.Unit", verbose_name=_("handled by"), on_delete=models.PROTECT,
                                      related_name="coordination_requests_handled")
    raised_on = models.DateField(_("raised on"), db_index=True)
    answer_due = models.DateField(_("answer due"), db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN, db_index=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_by_unit = models.ForeignKey("org.Unit", verbose_name=_("answered by unit"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    forwarded_to = models.ForeignKey("org.Unit", verbose_name=_("forwarded to"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="coordination_requests_forwarded")
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_to_unit = models.ForeignKey("org.Unit", verbose_name=_("escalated to"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="coordination_requests_escalated")
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    reopen_reason = models.TextField(_("reason reopened"), blank=True)
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RequestQuerySet.as_manager()

    scope_unit_path = ("from_unit__path", "to_unit__path", "forwarded_to__path", "escalated_to_unit__path")
    scope_unit_id = ("from_unit_id", "to_unit_id", "forwarded_to_id", "escalated_to_unit_id")

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["state", "answer_due"])]
        constraints = [
            models.CheckConstraint(condition=Q(answer_due__gte=models.F("raised_on")),
                                   name="coordination_answer_due_after_raised"),
        ]
        verbose_name = _("coordination request")
        verbose_name_plural = _("coordination requests")

    def __str__(self):
        return f"{self.number} {self.title}"

    def clean(self):
        errors = {}
        if self.raised_on and self.answer_due and self.answer_due < self.raised_on:
            errors["answer_due"] = _("The answer cannot be due before the request is raised.")
        if self.from_unit_id and self.from_unit_id == self.to_unit_id:
            errors["to_unit"] = _("A unit cannot address a request to itself.")
        if errors:
            raise ValidationError(errors)

    @property
    def awaiting_answer(self) -> bool:
        return self.state in self.AWAITING_ANSWER


class Event(models.Model):
    """One step of a request's life, for its timeline: who did what, when, and to which unit."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised (提出)")
        EDITED = "edited", _("Edited (修改)")
        ANSWERED = "answered", _("Answered (答复)")
        FORWARDED = "forwarded", _("Forwarded (转办)")
        ESCALATED = "escalated", _("Escalated (上报)")
        CLOSED = "closed", _("Accepted and closed (确认办结)")
        REOPENED = "reopened", _("Reopened (重新办理)")
        ATTACHED = "attached", _("File attached (上传附件)")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    text = models.TextField(_("text"), blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = tuple(f"request__{lookup}" for lookup in Request.scope_unit_path)
    scope_unit_id = tuple(f"request__{lookup}" for lookup in Request.scope_unit_id)

    class Meta:
        ordering = ["on", "at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self):
        return f"{self.on} {self.get_kind_display()}"


def attachment_path(instance, filename):
    return f"coordination/{instance.request_id}/{filename}"


class Attachment(attachments.Attachment):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)

    scope_unit_path = tuple(f"request__{lookup}" for lookup in Request.scope_unit_path)
    scope_unit_id = tuple(f"request__{lookup}" for lookup in Request.scope_unit_id)
