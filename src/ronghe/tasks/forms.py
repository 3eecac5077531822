"""Forms of the Five-Ones pages. They only collect and type the input: every rule is checked by
tasks.services, whose ValidationError is put back on the form. People are named as in the
decomposition table: 工号, 姓名 or 姓名(工号)."""
import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ronghe.core import clock
from ronghe.core.forms import Form
from ronghe.core.workdays import Calendar
from ronghe.org.forms import NodeChoiceField
from ronghe.org.models import Person, Unit
from ronghe.tasks.exporters import problem_text
from ronghe.tasks.models import Cycle, Milestone, Plan, Task

NAME_AND_NUMBER = re.compile(r"^(?P<name>[^()（）]+?)\s*[(（]\s*(?P<no>[^()（）]+?)\s*[)）]$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
LINE_SEPARATORS = re.compile(r"[\r\n；;]+")


def person_label(person) -> str:
    return f"{person.name}({person.employee_no})"


def find_person(people, text: str):
    """The one active person among `people` that `text` names, or a ValidationError."""
    text = text.strip()
    match = NAME_AND_NUMBER.match(text)
    if match:
        found = list(people.filter(employee_no=match["no"], name=match["name"].strip())[:2])
    else:
        found = list(people.filter(employee_no=text)[:1]) or list(people.filter(name=text)[:2])
    if not found:
        raise ValidationError(_("No such person within your scope: “%(text)s”.") % {"text": text})
    if len(found) > 1:
        raise ValidationError(_("Several people are called “%(text)s”; give the employee number, "
                                "e.g. 姓名(工号).") % {"text": text})
    return found[0]


def parse_day(text: str) -> dt.date:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s” is not a date of the form YYYY-MM-DD.") % {"value": text})


class PersonField(forms.CharField):
    """A person typed as 工号, 姓名 or 姓名(工号), chosen among `people` (the editor's scope);
    the page offers suggestions as one types."""

    def __init__(self, *, people=None, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", gettext_lazy("Employee number, name, or 姓名(工号)."))
        super().__init__(**kwargs)
        self.people = people if people is not None else Person.objects.none()
        self.widget.attrs.update({"data-person-input": "", "autocomplete": "off", "list": "people-options"})

    def prepare_value(self, value):
        return person_label(value) if isinstance(value, Person) else value

    def clean(self, value):
        text = super().clean(value)
        return find_person(self.people, text) if text else None


class TeamField(forms.CharField):
    """The special leading group (专项领导小组): one member a line, “工号或姓名 role”."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, people=None, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("One member a line: employee number or name, then the role, "
                                                    "e.g. “E000123 组长”."))
        super().__init__(required=False, **kwargs)
        self.people = people if people is not None else Person.objects.none()

    def clean(self, value):
        text = super().clean(value)
        members, errors = [], []
        for number, line in enumerate((line.strip() for line in (text or "").splitlines()), start=1):
            if not line:
                continue
            who, _space, role = line.partition(" ")
            try:
                person = find_person(self.people, who)
            except ValidationError as exc:
                errors.append(_("Line %(line)s: %(error)s") % {"line": number, "error": " ".join(exc.messages)})
                continue
            members.append((person, role.strip()[:64]))
        if errors:
            raise ValidationError(errors)
        return members


class MilestonesField(forms.CharField):
    """The timetable (节点): one milestone a line, “2026-03-31 完成方案审批”."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("One milestone a line: the date, then what is done by then, "
                                                    "e.g. “2026-03-31 完成方案审批”."))
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        milestones, errors = [], []
        for number, line in enumerate((line.strip() for line in LINE_SEPARATORS.split(text or "")), start=1):
            if not line:
                continue
            day, _space, description = line.partition(" ")
            try:
                due = parse_day(day)
            except ValidationError as exc:
                errors.append(_("Line %(line)s: %(error)s") % {"line": number, "error": " ".join(exc.messages)})
                continue
            if not description.strip():
                errors.append(_("Line %(line)s: say what is done by %(day)s.") % {"line": number, "day": day})
                continue
            milestones.append((due, description.strip()[:300]))
        if errors:
            raise ValidationError(errors)
        return sorted(milestones)


def _visible_units(user):
    return Unit.objects.restrict(user).filter(abolished_on=None).only("pk", "code", "name", "depth", "path")


def _with_current(queryset, *objects):
    """Keep values already chosen selectable, even when they lie outside the editor's scope."""
    ids = [obj.pk for obj in objects if obj is not None]
    if not ids:
        return queryset.order_by("path") if queryset.model is Unit else queryset
    model = queryset.model
    combined = model.objects.filter(pk__in=queryset.values("pk")) | model.objects.filter(pk__in=ids)
    return combined.order_by("path") if model is Unit else combined


THRESHOLD_FIELDS = ["ack_yellow_days", "ack_red_days", "report_grace_days", "lag_yellow_points", "lag_red_points",
                    "due_soon_days"]


class PlanForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Plan.Kind.choices)
    unit = NodeChoiceField(Unit.objects.none(), label=gettext_lazy("Owner unit"))
    leader = PersonField(label=gettext_lazy("Leader in charge (分管领导)"), required=False)
    parent_task = forms.ModelChoiceField(Task.objects.none(), label=gettext_lazy("Decomposes task"), required=False,
                                         help_text=gettext_lazy("For a sub-plan (子方案): the key task it breaks down."))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False)
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    ack_yellow_days = forms.IntegerField(label=gettext_lazy("Unacknowledged → yellow (working days)"), min_value=0)
    ack_red_days = forms.IntegerField(label=gettext_lazy("Unacknowledged → red (working days)"), min_value=0)
    report_grace_days = forms.IntegerField(label=gettext_lazy("Report grace (working days)"), min_value=0)
    lag_yellow_points = forms.IntegerField(label=gettext_lazy("Schedule lag → yellow (points)"), min_value=0)
    lag_red_points = forms.IntegerField(label=gettext_lazy("Schedule lag → red (points)"), min_value=0)
    due_soon_days = forms.IntegerField(label=gettext_lazy("Due soon (working days)"), min_value=0)
    archived = forms.BooleanField(label=gettext_lazy("Archived"), required=False)
    side = THRESHOLD_FIELDS  # shown apart, in the thresholds card

    def __init__(self, *args, user, plan=None, tasks=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        source = plan or Plan()
        for name in ("name", "kind", "year", "description", "archived", *THRESHOLD_FIELDS):
            initial.setdefault(name, getattr(source, name))
        if plan is not None:
            initial.setdefault("unit", plan.unit.code)
            initial.setdefault("leader", plan.leader)
            initial.setdefault("parent_task", plan.parent_task_id)
        else:
            initial.setdefault("year", clock.today().year)
        super().__init__(*args, **kwargs)
        units = Unit.objects.restrict(user, "change").filter(abolished_on=None)
        self.fields["unit"].queryset = _with_current(units, plan.unit if plan else None)
        self.fields["leader"].people = _with_current(Person.objects.restrict(user).filter(is_active=True),
                                                     plan.leader if plan else None)
        self.fields["parent_task"].queryset = _with_current(
            tasks if tasks is not None else Task.objects.none(), plan.parent_task if plan else None
        ).select_related("plan").order_by("plan_id", "path")
        self.fields["parent_task"].label_from_instance = lambda task: f"{task.plan.name} · {task}"
        if plan is None:
            del self.fields["archived"]

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        if data.get("year") is None:
            data.pop("year")
        return data


class TaskForm(Form):
    """A new task of a plan, with its team, milestones and co-operating units."""

    parent = forms.ModelChoiceField(Task.objects.none(), label=gettext_lazy("Parent task"), required=False)
    number = forms.CharField(label=gettext_lazy("Number (序号)"), max_length=32, required=False,
                             help_text=gettext_lazy("E.g. 1, 1.2, 1.2.3."))
    name = forms.CharField(label=gettext_lazy("Task"), max_length=300)
    goal = forms.CharField(label=gettext_lazy("Goal (目标)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=gettext_lazy("Measures (措施)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    leader = PersonField(label=gettext_lazy("Leader in charge (分管领导)"))
    lead_unit = NodeChoiceField(Unit.objects.none(), label=gettext_lazy("Lead unit (牵头部门)"))
    co_units = forms.ModelMultipleChoiceField(Unit.objects.none(), to_field_name="code", required=False,
                                              label=gettext_lazy("Co-operating units (配合部门)"),
                                              widget=forms.SelectMultiple(attrs={"size": 6}))
    responsible = PersonField(label=gettext_lazy("Responsible person (责任人)"))
    team = TeamField(label=gettext_lazy("Special leading group (专项领导小组)"))
    start_date = forms.DateField(label=gettext_lazy("Start date"), required=False, widget=forms.DateInput)
    deadline = forms.DateField(label=gettext_lazy("Deadline (完成时限)"), widget=forms.DateInput)
    cycle = forms.ChoiceField(label=gettext_lazy("Reporting cycle"), choices=Cycle.choices, initial=Cycle.MONTHLY)
    milestones = MilestonesField(label=gettext_lazy("Milestones (节点)"))
    priority = forms.ChoiceField(label=gettext_lazy("Priority"), choices=Task.Priority.choices,
                                 initial=Task.Priority.NORMAL)
    source = forms.CharField(label=gettext_lazy("Source"), max_length=300, required=False,
                             help_text=gettext_lazy("E.g. the meeting decision it comes from."))
    sort_order = forms.IntegerField(label=gettext_lazy("Sort order"), required=False)
    # Who and when, shown beside what the task is.
    side = ["leader", "lead_unit", "co_units", "responsible", "team", "start_date", "deadline", "cycle", "milestones"]

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.restrict(user).filter(is_active=True)
        for name in ("leader", "responsible", "team"):
            self.fields[name].people = people
        units = _visible_units(user).order_by("path")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["co_units"].label_from_instance = lambda unit: f"{'　' * unit.depth}{unit.name}"
        self.fields["parent"].queryset = Task.objects.restrict(user).filter(plan=plan).order_by("path")

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["sort_order"] = data["sort_order"] or 0
        return data


class TaskEditForm(Form):
    """What a task says; the deadline only while it is a draft (then only by an extension)."""

    number = TaskForm.base_fields["number"]
    name = TaskForm.base_fields["name"]
    goal = TaskForm.base_fields["goal"]
    measures = TaskForm.base_fields["measures"]
    leader = PersonField(label=gettext_lazy("Leader in charge (分管领导)"))
    lead_unit = NodeChoiceField(Unit.objects.none(), label=gettext_lazy("Lead unit (牵头部门)"))
    co_units = forms.ModelMultipleChoiceField(Unit.objects.none(), to_field_name="code", required=False,
                                              label=gettext_lazy("Co-operating units (配合部门)"),
                                              widget=forms.SelectMultiple(attrs={"size": 6}))
    responsible = PersonField(label=gettext_lazy("Responsible person (责任人)"))
    team = TeamField(label=gettext_lazy("Special leading group (专项领导小组)"))
    start_date = TaskForm.base_fields["start_date"]
    deadline = TaskForm.base_fields["deadline"]
    cycle = TaskForm.base_fields["cycle"]
    milestones = MilestonesField(label=gettext_lazy("Milestones (节点)"))
    priority = TaskForm.base_fields["priority"]
    source = TaskForm.base_fields["source"]
    sort_order = TaskForm.base_fields["sort_order"]
    side = TaskForm.side
    PLAIN = ("number", "name", "goal", "measures", "leader", "lead_unit", "responsible", "start_date", "deadline",
             "cycle", "priority", "source", "sort_order")

    def __init__(self, *args, user, task, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("lead_unit", task.lead_unit.code)
        for name in self.PLAIN:
            initial.setdefault(name, getattr(task, name))
        team = list(task.team.select_related("person").order_by("pk"))
        co_units = list(task.co_units.all())
        self.existing_milestones = list(task.milestones.all())
        initial.setdefault("team", "\n".join(f"{person_label(m.person)} {m.role}".strip() for m in team))
        initial.setdefault("co_units", [u.code for u in co_units])
        initial.setdefault("milestones", "\n".join(f"{m.due:%Y-%m-%d} {m.description}"
                                                   for m in self.existing_milestones))
        super().__init__(*args, **kwargs)
        people = Person.objects.restrict(user).filter(is_active=True)
        self.fields["leader"].people = _with_current(people, task.leader)
        self.fields["responsible"].people = _with_current(people, task.responsible)
        self.fields["team"].people = _with_current(people, *(m.person for m in team))
        self.fields["lead_unit"].queryset = _with_current(_visible_units(user), task.lead_unit)
        self.fields["co_units"].queryset = _with_current(_visible_units(user), *co_units)
        self.fields["co_units"].label_from_instance = lambda unit: f"{'　' * unit.depth}{unit.name}"
        self.task = task
        if task.state != Task.State.DRAFT:
            del self.fields["deadline"]

    def changes(self):
        """Only the plain fields that differ, so the audit shows what was edited."""
        data = {name: value for name, value in self.cleaned_data.items() if name in self.PLAIN}
        data["sort_order"] = data["sort_order"] or 0
        return {name: value for name, value in data.items() if getattr(self.task, name) != value}

    def milestone_plan(self):
        """The typed milestones as [(milestone or None, due, description)]: a line matching an
        existing milestone keeps it (same line, else same wording, else same date), so that
        a milestone already done keeps its done date; the rest are new."""
        wanted = list(self.cleaned_data["milestones"])
        free = list(self.existing_milestones)
        plan = [None] * len(wanted)
        for same in (lambda m, due, text: (m.due, m.description) == (due, text),
                     lambda m, due, text: m.description == text,
                     lambda m, due, text: m.due == due):
            for index, (due, text) in enumerate(wanted):
                if plan[index] is None:
                    match = next((m for m in free if same(m, due, text)), None)
                    if match is not None:
                        free.remove(match)
                        plan[index] = match
        return [(milestone, due, text) for milestone, (due, text) in zip(plan, wanted, strict=True)]


# --- the steps of a task's life ------------------------------------------------------------------

class DatedForm(Form):
    """A step that happened on a date: today unless the user records it later."""

    on = forms.DateField(label=gettext_lazy("Date"), required=False, widget=forms.DateInput,
                         help_text=gettext_lazy("The day it happened; today unless given."))

    def __init__(self, *args, task=None, status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = clock.today()
        self.task, self.status = task, status
        self.order_fields([name for name in self.fields if name != "on"] + ["on"])


class ConfirmForm(Form):
    def __init__(self, *args, task=None, status=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReportForm(DatedForm):
    percent = forms.IntegerField(label=gettext_lazy("Percent complete"), min_value=0, max_value=100)
    text = forms.CharField(label=gettext_lazy("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=pgettext_lazy("task", "Problems"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=gettext_lazy("What stands in the way, if anything."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.status is not None:
            self.fields["percent"].initial = self.status.percent_complete


class MilestoneDoneForm(DatedForm):
    milestone = forms.ModelChoiceField(Milestone.objects.none(), label=gettext_lazy("Milestone"))
    evidence = forms.CharField(label=gettext_lazy("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.task is not None:
            self.fields["milestone"].queryset = self.task.milestones.filter(done_on=None)
        self.fields["milestone"].label_from_instance = lambda m: f"{m.due:%Y-%m-%d} {m.description}"


class ReasonForm(DatedForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(ConfirmForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("What is still missing; the responsible side sees it."))


class CompletionForm(DatedForm):
    evidence = forms.CharField(label=gettext_lazy("Evidence of completion"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=gettext_lazy("Documents issued, results reached, where they are kept."))


class EvaluateForm(ConfirmForm):
    evaluation = forms.ChoiceField(label=gettext_lazy("Evaluation (评价)"), choices=Task.Evaluation.choices,
                                   widget=forms.RadioSelect)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionRequestForm(DatedForm):
    new_deadline = forms.DateField(label=gettext_lazy("New deadline"), widget=forms.DateInput)
    percent = forms.IntegerField(label=gettext_lazy("Current percent complete"), min_value=0, max_value=100)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.status is not None:
            self.fields["percent"].initial = self.status.percent_complete


class ExtensionDecideForm(DatedForm):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", gettext_lazy("Approve: the deadline moves")),
                                          ("reject", gettext_lazy("Reject: the deadline stays"))])
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


REPLY_WITHIN_WORKING_DAYS = 3


class ChaseForm(ConfirmForm):
    """催办 by hand; the message starts from what is wrong with the task today."""

    message = forms.CharField(label=gettext_lazy("What is required"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("The responsible person reads it; it is printed on the "
                                                     "supervision notice (督办单)."))
    reply_by = forms.DateField(label=gettext_lazy("Reply by"), widget=forms.DateInput)
    to_heads = forms.BooleanField(label=gettext_lazy("Also to the head of the lead unit"), required=False)
    to_leader = forms.BooleanField(label=gettext_lazy("Also to the leader in charge (分管领导)"), required=False)

    def __init__(self, *args, task=None, status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_by"].initial = Calendar().add_working_days(clock.today(), REPLY_WITHIN_WORKING_DAYS)
        if status is not None and status.failure_modes:
            problems = "；".join(problem_text(mode, task) for mode in status.failure_modes)
            self.fields["message"].initial = _("%(problems)s. Report what has been done, what remains and when it "
                                               "will be done.") % {"problems": problems}
        else:
            self.fields["message"].initial = _("Report the progress of the task, what remains and when it will "
                                               "be done.")


class BulletinForm(Form):
    """What a bulletin (通报) covers: a plan, a lead unit's subtree, a period; and who issues it."""

    plan = forms.ModelChoiceField(label=gettext_lazy("Plan"), queryset=Plan.objects.none(), required=False,
                                  empty_label=gettext_lazy("All plans"))
    unit = forms.CharField(label=gettext_lazy("Lead unit (with its subtree)"), required=False,
                           help_text=gettext_lazy("Code or name of the unit; empty for all."))
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput)
    as_of = forms.DateField(label=gettext_lazy("To (as of)"), required=False, widget=forms.DateInput)
    title = forms.CharField(label=pgettext_lazy("document", "Title"), required=False, max_length=200)
    issuer = forms.CharField(label=gettext_lazy("Issuing unit"), required=False, max_length=100,
                             help_text=gettext_lazy("E.g. the reform office or the Organisation Department."))

    def __init__(self, *args, plans=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans if plans is not None else Plan.objects.none()
        self.units = units if units is not None else Unit.objects.none()

    def clean_unit(self):
        text = self.cleaned_data["unit"].strip()
        if not text:
            return None
        found = list(self.units.filter(code=text)[:1]) or list(self.units.filter(name=text, abolished_on=None)[:2])
        if not found:
            raise ValidationError(_("No such unit within your scope: “%(text)s”.") % {"text": text})
        if len(found) > 1:
            raise ValidationError(_("Several units are called “%(text)s”; give the code.") % {"text": text})
        return found[0]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("as_of") and data["date_from"] > data["as_of"]:
            self.add_error("date_from", _("The period cannot start after it ends."))
        return data
