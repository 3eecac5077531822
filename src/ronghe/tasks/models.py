"""The Five-Ones mechanism (五个一): plans decomposed into key tasks; each task has one
accountable leader, one team, one chart (its milestones), and is followed to the end."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ronghe.core.scoping import ScopedQuerySet, scope_for


class Cycle(models.TextChoices):
    WEEKLY = "weekly", _("Weekly (每周)")
    HALF_MONTHLY = "half_monthly", _("Half-monthly (每半月)")
    MONTHLY = "monthly", _("Monthly (每月)")
    QUARTERLY = "quarterly", _("Quarterly (每季度)")


class Plan(models.Model):
    """A master plan (总方案) or a sub-plan (子方案) that owns key tasks, with the thresholds its
    status lights use."""

    class Kind(models.TextChoices):
        MASTER = "master", _("Master plan (总方案)")
        SUB = "sub", _("Sub-plan (子方案)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.MASTER)
    parent_task = models.ForeignKey("Task", verbose_name=_("decomposes task"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="sub_plans")
    unit = models.ForeignKey("org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="plans")
    leader = models.ForeignKey("org.Person", verbose_name=_("leader in charge (分管领导)"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="plans_led")
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    # Thresholds of the status engine (working days, percentage points); defaults from the mechanism.
    ack_yellow_days = models.PositiveSmallIntegerField(_("unacknowledged → yellow (working days)"), default=2)
    ack_red_days = models.PositiveSmallIntegerField(_("unacknowledged → red (working days)"), default=5)
    report_grace_days = models.PositiveSmallIntegerField(_("report grace (working days)"), default=2)
    lag_yellow_points = models.PositiveSmallIntegerField(_("schedule lag → yellow (points)"), default=10)
    lag_red_points = models.PositiveSmallIntegerField(_("schedule lag → red (points)"), default=30)
    due_soon_days = models.PositiveSmallIntegerField(_("due soon (working days)"), default=3)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.ack_red_days < self.ack_yellow_days:
            errors["ack_red_days"] = _("Red cannot come before yellow.")
        if self.lag_red_points < self.lag_yellow_points:
            errors["lag_red_points"] = _("Red cannot come before yellow.")
        if self.parent_task_id and self.kind != self.Kind.SUB:
            errors["kind"] = _("A plan that decomposes a task is a sub-plan.")
        if errors:
            raise ValidationError(errors)


class TaskQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """Role scope over the lead unit, plus — for reading — the tasks a person leads, is
        responsible for or works on, and those of the unit subtree they belong to."""
        scope = scope_for(user, action)
        q = scope.q_for(self.model) if not scope.empty else Q(pk__in=[])
        if q is None:
            return self
        person_id = getattr(user, "person_id", None) if user is not None and user.is_authenticated else None
        if action == "view" and person_id:
            q |= Q(leader_id=person_id) | Q(responsible_id=person_id) | Q(team__person_id=person_id)
            q |= Q(lead_unit__path__startswith=user.person.unit.path)
            return self.filter(pk__in=self.model.objects.filter(q).values("pk"))
        return self.filter(q)


class Task(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft (草稿)")
        ISSUED = "issued", _("Issued (已下达)")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged (已签收)")
        IN_PROGRESS = "in_progress", _("In progress (推进中)")
        COMPLETION_SUBMITTED = "completion_submitted", _("Completion submitted (申请办结)")
        RETURNED = "returned", _("Returned (退办)")
        COMPLETED = "completed", _("Completed (已办结)")
        CLOSED = "closed", _("Closed and evaluated (已评价)")
        CANCELLED = "cancelled", _("Cancelled (已作废)")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")
        LOW = "low", _("Low")

    class Evaluation(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent (优)")
        GOOD = "good", _("Good (良)")
        FAIR = "fair", _("Fair (中)")
        POOR = "poor", _("Poor (差)")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="tasks")
    parent = models.ForeignKey("self", verbose_name=_("parent task"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    number = models.CharField(_("number (序号)"), max_length=32, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    name = models.CharField(_("task"), max_length=300)
    goal = models.TextField(_("goal (目标)"), blank=True)
    measures = models.TextField(_("measures (措施)"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    leader = models.ForeignKey("org.Person", verbose_name=_("leader in charge (分管领导)"), on_delete=models.PROTECT,
                               related_name="tasks_led")
    lead_unit = models.ForeignKey("org.Unit", verbose_name=_("lead unit (牵头部门)"), on_delete=models.PROTECT,
                                  related_name="tasks_led")
    co_units = models.ManyToManyField("org.Unit", verbose_name=_("co-operating units (配合部门)"), blank=True,
                                      related_name="tasks_supported")
    responsible = models.ForeignKey("org.Person", verbose_name=_("responsible person (责任人)"),
                                    on_delete=models.PROTECT, related_name="tasks_owned")
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline = models.DateField(_("deadline (完成时限)"))
    baseline_deadline = models.DateField(_("original deadline"), editable=False, null=True)
    cycle = models.CharField(_("reporting cycle"), max_length=16, choices=Cycle.choices, default=Cycle.MONTHLY)
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.DRAFT, db_index=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    completion_submitted_on = models.DateField(_("completion submitted on"), null=True, blank=True)
    completion_evidence = models.TextField(_("completion evidence"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    evaluation = models.CharField(_("evaluation (评价)"), max_length=12, choices=Evaluation.choices, blank=True)
    evaluation_note = models.TextField(_("evaluation note"), blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason cancelled"), blank=True)
    blocked_since = models.DateField(_("blocked since"), null=True, blank=True)
    blocked_reason = models.TextField(_("reason blocked"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    scope_unit_path = "lead_unit__path"
    scope_unit_id = "lead_unit_id"

    class Meta:
        ordering = ["plan_id", "path"]
        indexes = [models.Index(fields=["plan", "path"]), models.Index(fields=["deadline"])]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return f"{self.number} {self.name}".strip()

    def clean(self):
        if self.start_date and self.deadline and self.start_date > self.deadline:
            raise ValidationError({"deadline": _("The deadline cannot be before the start date.")})


class TeamMember(models.Model):
    """A member of the task's special leading group (专项领导小组)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey("org.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="task_teams")
    role = models.CharField(_("role in the team"), max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "person"], name="one_team_seat_per_person")]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return f"{self.person.name} {self.role}".strip()


class Milestone(models.Model):
    """A dated step of the task's chart (节点)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    due = models.DateField(_("due"))
    description = models.CharField(_("description"), max_length=300)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.due} {self.description}"


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("reported on"), db_index=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField(_("percent complete"))
    text = models.TextField(_("progress"))
    problems = models.TextField(_("problems"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="percent_at_most_100")]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return f"{self.reported_on} {self.percent}%"


class Extension(models.Model):
    """A deadline extension request (延期申请), decided by the leader in charge."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    new_deadline = models.DateField(_("new deadline"))
    percent = models.PositiveSmallIntegerField(_("current percent complete"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["requested_on", "id"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self):
        return f"{self.task} → {self.new_deadline}"


class CompletionReturn(models.Model):
    """One 退办: a submitted completion sent back by the supervisor, on a date, with its reason.
    The task keeps only the latest reason; these rows keep every return for the bulletin."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="returns")
    returned_on = models.DateField(_("returned on"), db_index=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("completion submitted on"), null=True, blank=True)
    reason = models.TextField(_("reason returned"))

    class Meta:
        ordering = ["returned_on", "id"]
        verbose_name = _("returned completion")
        verbose_name_plural = _("returned completions")

    def __str__(self):
        return f"{self.task} ← {self.returned_on}"


class ChaseQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """Whoever may see the task sees how it was chased."""
        return self.filter(task__in=Task.objects.restrict(user, action).values("pk"))


class Chase(models.Model):
    """A supervisor's chasing of a task by hand (催办), and the supervision notice (督办单) printed
    from it, numbered 督办〔year〕第N号 in one sequence a year."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="chases")
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("org.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT,
                               related_name="+")
    message = models.TextField(_("what is required"))
    reply_by = models.DateField(_("reply by"))
    recipients = models.ManyToManyField("org.Person", verbose_name=_("sent to"), related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ChaseQuerySet.as_manager()

    scope_unit_path = "task__lead_unit__path"
    scope_unit_id = "task__lead_unit_id"

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="one_chase_number_a_year")]
        verbose_name = _("supervision notice (督办单)")
        verbose_name_plural = _("supervision notices (督办单)")

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕第{self.serial}号"

    def clean(self):
        if self.issued_on and self.reply_by and self.reply_by < self.issued_on:
            raise ValidationError({"reply_by": _("The reply cannot be due before the notice is issued.")})
