"""Meetings that close the loop (会议): series with a recurrence rule, their meetings, who was
invited and who came, the agenda with its discussion and outcome, minutes, and the decisions
(议定事项) that become tasks with an owner and a deadline."""
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ronghe.core.scoping import VIEW, ScopedQuerySet, scope_for


class Kind(models.TextChoices):
    REFORM_OFFICE = "reform_office", _("Reform office meeting (改革办例会)")
    GEOLOGY_REVIEW = "geology_review", _("Geological measures review (地质措施论证会)")
    EXPLORATION_REVIEW = "exploration_review", _("Exploration review (勘探论证会)")
    DEVELOPMENT = "development", _("Development meeting (开发会)")
    OTHER = "other", _("Other meeting (其他会议)")


class Recurrence(models.TextChoices):
    HALF_MONTHLY = "half_monthly", _("Every half month (每半月)")
    MONTHLY = "monthly", _("Monthly (每月)")
    QUARTERLY = "quarterly", _("Quarterly (每季度)")
    AD_HOC = "ad_hoc", _("Ad hoc (不定期)")


class HolidayRule(models.TextChoices):
    NEXT_WORKING_DAY = "next", _("Move to the next working day (顺延至下一工作日)")
    PREVIOUS_WORKING_DAY = "previous", _("Move to the previous working day (提前至上一工作日)")
    KEEP = "keep", _("Keep the date (节假日照常)")


DAY = [MinValueValidator(1), MaxValueValidator(31)]


class MeetingSeries(models.Model):
    """A standing meeting (例会) of an organiser unit: its kind, recurrence rule, usual time and
    place, chair and invitees, the plans whose stuck tasks it reviews, and the plan its
    decisions become tasks of."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.OTHER)
    organiser_unit = models.ForeignKey("org.Unit", verbose_name=_("organiser unit"), on_delete=models.PROTECT,
                                       related_name="meeting_series")
    recurrence = models.CharField(_("recurrence"), max_length=16, choices=Recurrence.choices,
                                  default=Recurrence.MONTHLY)
    day = models.PositiveSmallIntegerField(_("day of the month"), default=1, validators=DAY,
                                           help_text=_("A day past the month's end means its last day."))
    second_day = models.PositiveSmallIntegerField(_("second day of the month"), null=True, blank=True,
                                                  validators=DAY, help_text=_("Half-monthly meetings only: a day of 16–31, 15 days after the first by default."))
    month_of_quarter = models.PositiveSmallIntegerField(
        _("month of the quarter"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("Quarterly meetings only: 1 for January, April, July and October."))
    holiday_rule = models.CharField(_("on a holiday"), max_length=8, choices=HolidayRule.choices,
                                    default=HolidayRule.NEXT_WORKING_DAY)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("start time"), default="09:00")
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120,
                                                        validators=[MinValueValidator(10), MaxValueValidator(720)])
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey("org.Person", verbose_name=_("chair"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    invitees = models.ManyToManyField("org.Person", verbose_name=_("invited people"), blank=True, related_name="+")
    units = models.ManyToManyField("org.Unit", verbose_name=_("attending units"), blank=True, related_name="+",
                                   help_text=_("Units whose Party secretaries the attendance statistics count."))
    plans = models.ManyToManyField("tasks.Plan", verbose_name=_("plans reviewed"), blank=True, related_name="+",
                                   help_text=_("Their red and blocked tasks are proposed for the agenda."))
    task_plan = models.ForeignKey("tasks.Plan", verbose_name=_("plan of decision tasks"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  help_text=_("Decisions become tasks of this plan; empty: a plan of the series "
                                              "per year."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "organiser_unit__path"
    scope_unit_id = "organiser_unit_id"

    class Meta:
        ordering = ["organiser_unit__path", "name", "id"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last date cannot be before the first.")
        if self.recurrence == Recurrence.HALF_MONTHLY:
            if self.day > 15:
                errors["day"] = _("A half-monthly meeting's first day is in the first half of the month (1–15).")
            elif self.second_day is None:
                self.second_day = self.day + 15
            if self.second_day is not None and self.second_day < 16:
                errors["second_day"] = _("Its second day is in the second half of the month (16–31).")
        elif self.second_day is not None:
            self.second_day = None
        if errors:
            raise ValidationError(errors)


class MeetingQuerySet(ScopedQuerySet):
    def restrict(self, user, action=VIEW):
        """Role scope over the organiser unit, plus — for reading — the meetings a person
        chairs or is invited to, wherever they are held."""
        scope = scope_for(user, action)
        q = scope.q_for(self.model) if not scope.empty else Q(pk__in=[])
        if q is None:
            return self
        person_id = getattr(user, "person_id", None) if user is not None and user.is_authenticated else None
        if action == VIEW and person_id:
            q |= Q(chair_id=person_id) | Q(attendance__person_id=person_id)
            return self.filter(pk__in=self.model.objects.filter(q).values("pk"))
        return self.filter(q)


class Meeting(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned (待召开)")
        HELD = "held", _("Held (已召开)")
        CANCELLED = "cancelled", _("Cancelled (已取消)")

    series = models.ForeignKey(MeetingSeries, verbose_name=_("series"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.OTHER)
    organiser_unit = models.ForeignKey("org.Unit", verbose_name=_("organiser unit"), on_delete=models.PROTECT,
                                       related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveSmallIntegerField(_("issue number (期)"), editable=False)
    # The date the rule gave, before a holiday moved it: what makes generation idempotent.
    scheduled_for = models.DateField(_("date by the rule"), null=True, blank=True, editable=False)
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey("org.Person", verbose_name=_("chair"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="meetings_chaired")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PLANNED, db_index=True)
    minutes = models.TextField(_("minutes (会议纪要)"), blank=True)
    notice_sent_at = models.DateTimeField(_("notice sent at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason cancelled"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    scope_unit_path = "organiser_unit__path"
    scope_unit_id = "organiser_unit_id"

    class Meta:
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "scheduled_for"], name="meeting_once_per_rule_date"),
            models.UniqueConstraint(fields=["series", "year", "number"], name="meeting_number_unique"),
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="meeting_ends_after_start"),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.title}（{self.issue}）"

    @property
    def issue(self) -> str:
        """〔2026〕第5期"""
        return f"〔{self.year}〕第{self.number}期"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The meeting ends after it starts.")})


class Attendance(models.Model):
    """One invited person of a meeting and whether they came (出席), sent their apologies (请假)
    or sent someone in their place (委托参会)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited (待确认)")
        PRESENT = "present", _("Present (出席)")
        ABSENT = "absent", _("Absent (缺席)")
        SUBSTITUTE = "substitute", _("Substitute sent (委托参会)")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("org.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=12, choices=Status.choices, default=Status.INVITED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    substitute = models.ForeignKey("org.Person", verbose_name=_("substitute"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_person")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.person.name} {self.get_status_display()}"

    def clean(self):
        errors = {}
        if self.status in (self.Status.ABSENT, self.Status.SUBSTITUTE) and not self.reason.strip():
            errors["reason"] = _("Say why the person is absent.")
        if self.status == self.Status.SUBSTITUTE and self.substitute_id is None:
            errors["substitute"] = _("Name who came in their place.")
        if self.status != self.Status.SUBSTITUTE and self.substitute_id is not None:
            errors["substitute"] = _("Only a person who sent a substitute has one.")
        if self.substitute_id is not None and self.substitute_id == self.person_id:
            errors["substitute"] = _("A person cannot substitute for themselves.")
        if errors:
            raise ValidationError(errors)


class AgendaItem(models.Model):
    """One item of a meeting's agenda: where it came from, what was said and what came of it."""

    class Source(models.TextChoices):
        TASK = "task", _("Stuck task (受阻/红灯任务)")
        REQUEST = "request", _("Coordination request (协调事项)")
        DECISION = "decision", _("Open decision (未办结议定事项)")
        MANUAL = "manual", _("Added by the organiser (自拟议题)")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet discussed (待议)")
        DECIDED = "decided", _("Decided (已形成议定事项)")
        RESOLVED = "resolved", _("Resolved at the meeting (当场解决)")
        NOTED = "noted", _("Noted (听取汇报)")
        DEFERRED = "deferred", _("Deferred (择期再议)")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(_("where from (来源)"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    title = models.CharField(_("item"), max_length=300)
    presenter = models.ForeignKey("org.Person", verbose_name=_("presenter"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    request = models.ForeignKey("coordination.Request", verbose_name=_("coordination request"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey("Decision", verbose_name=_("earlier decision"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="follow_ups")
    discussion = models.TextField(_("discussion"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField(_("outcome note"), blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "task"], condition=Q(task__isnull=False),
                                    name="agenda_task_once"),
            models.UniqueConstraint(fields=["meeting", "request"], condition=Q(request__isnull=False),
                                    name="agenda_request_once"),
            models.UniqueConstraint(fields=["meeting", "decision"], condition=Q(decision__isnull=False),
                                    name="agenda_decision_once"),
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title


class Decision(models.Model):
    """An agreed action (议定事项) with an owner, a lead unit and a deadline; it becomes a task in
    one step and comes back on the series' agenda until done."""

    class State(models.TextChoices):
        OPEN = "open", _("Open (办理中)")
        DONE = "done", _("Done (已办结)")
        DROPPED = "dropped", _("Dropped (已撤销)")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="decisions")
    seq = models.PositiveSmallIntegerField(_("serial number (序号)"), editable=False)
    text = models.TextField(_("decision"))
    owner = models.ForeignKey("org.Person", verbose_name=_("owner (责任人)"), on_delete=models.PROTECT,
                              related_name="meeting_decisions")
    lead_unit = models.ForeignKey("org.Unit", verbose_name=_("lead unit (牵头单位)"), on_delete=models.PROTECT,
                                  related_name="meeting_decisions")
    deadline = models.DateField(_("deadline"))
    task = models.OneToOneField("tasks.Task", verbose_name=_("task"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="meeting_decision")
    # A decision followed through a task is done when the task is; one without is closed here.
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_note = models.CharField(_("closing note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = ("meeting__organiser_unit__path", "lead_unit__path")
    scope_unit_id = ("meeting__organiser_unit_id", "lead_unit_id")

    class Meta:
        ordering = ["meeting__date", "meeting_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="decision_number_unique")]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.number} {self.text[:60]}"

    @property
    def number(self) -> str:
        """〔2026〕第5期-3"""
        return f"{self.meeting.issue}-{self.seq}"


class FeedToken(models.Model):
    """The secret in the address of a user's iCal feed. Calendar clients cannot log in, so the
    address is the credential: it reads that user's own meetings and nothing else, and only its
    hash is kept, so that a leaked database does not leak feeds."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"feed of {self.user}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
