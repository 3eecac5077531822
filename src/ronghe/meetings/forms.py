"""Forms of the meetings pages. They collect and type the input; the rules are checked by
meetings.services, whose ValidationError is put back on the form. People are named as 工号,
姓名 or 姓名(工号), as on the task pages."""
import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ronghe.core import clock
from ronghe.core.forms import Form
from ronghe.core.scoping import VIEW
from ronghe.meetings.models import AgendaItem, Attendance, Decision, HolidayRule, Kind, Meeting, Recurrence
from ronghe.org.forms import NodeChoiceField, changeable
from ronghe.org.models import Person, Unit
from ronghe.tasks import selectors as task_selectors
from ronghe.tasks.forms import PersonField, find_person, person_label
from ronghe.tasks.models import Plan


def _people(user):
    return Person.objects.restrict(user, VIEW).filter(is_active=True)


def _visible_units(user):
    return Unit.objects.restrict(user, VIEW).filter(abolished_on=None).only("pk", "code", "name", "depth",
                                                                             "path").order_by("path")


class PeopleField(forms.CharField):
    """Several people, one a line (or separated by “、” or commas)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, people=None, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("One person a line: employee number, name, or 姓名(工号)."))
        super().__init__(required=False, **kwargs)
        self.people = people if people is not None else Person.objects.none()

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(person_label(p) if isinstance(p, Person) else str(p) for p in value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        found, errors = [], []
        for part in text.replace("、", "\n").replace(",", "\n").replace("，", "\n").splitlines():
            if part.strip():
                try:
                    found.append(find_person(self.people, part))
                except ValidationError as exc:
                    errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return list({p.pk: p for p in found}.values())


class SeriesForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices)
    organiser_unit = NodeChoiceField(Unit.objects.none(), label=gettext_lazy("Organiser unit"))
    recurrence = forms.ChoiceField(label=gettext_lazy("Recurrence"), choices=Recurrence.choices)
    day = forms.IntegerField(label=gettext_lazy("Day of the month"), min_value=1, max_value=31, initial=1)
    second_day = forms.IntegerField(label=gettext_lazy("Second day of the month"), min_value=16, max_value=31,
                                    required=False, help_text=gettext_lazy("Half-monthly meetings only."))
    month_of_quarter = forms.IntegerField(label=gettext_lazy("Month of the quarter"), min_value=1, max_value=3,
                                          initial=1, help_text=gettext_lazy("Quarterly meetings only: 1 for "
                                                                            "January, April, July and October."))
    holiday_rule = forms.ChoiceField(label=gettext_lazy("On a holiday"), choices=HolidayRule.choices)
    starts_on = forms.DateField(label=gettext_lazy("First date"), widget=forms.DateInput)
    ends_on = forms.DateField(label=gettext_lazy("Last date"), widget=forms.DateInput, required=False)
    start_time = forms.TimeField(label=gettext_lazy("Start time"), initial=dt.time(9),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=gettext_lazy("Duration (minutes)"), min_value=10, max_value=720,
                                          initial=120)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    chair = PersonField(label=gettext_lazy("Chair"), required=False)
    invitees = PeopleField(label=gettext_lazy("Invited people"))
    units = forms.ModelMultipleChoiceField(Unit.objects.none(), label=gettext_lazy("Attending units"),
                                           required=False, to_field_name="code",
                                           help_text=gettext_lazy("Units whose Party secretaries the attendance "
                                                                  "statistics count."))
    plans = forms.ModelMultipleChoiceField(Plan.objects.none(), label=gettext_lazy("Plans reviewed"),
                                           required=False, help_text=gettext_lazy(
                                               "Their red and blocked tasks are proposed for the agenda."))
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def __init__(self, *args, user, series=None, **kwargs):
        if series is not None:
            kwargs.setdefault("initial", {
                **{name: getattr(series, name) for name in (
                    "name", "kind", "recurrence", "day", "second_day", "month_of_quarter", "holiday_rule",
                    "starts_on", "ends_on", "start_time", "duration_minutes", "place", "chair", "active")},
                "organiser_unit": series.organiser_unit.code,
                "invitees": list(series.invitees.order_by("employee_no")),
                "units": [u.code for u in series.units.all()], "plans": [p.pk for p in series.plans.all()]})
        super().__init__(*args, **kwargs)
        self.fields["organiser_unit"].queryset = changeable(Unit, user)
        self.fields["units"].queryset = _visible_units(user)
        self.fields["units"].widget.attrs["size"] = 6
        self.fields["plans"].queryset = task_selectors.plans(user).filter(archived=False).order_by("-year", "name")
        self.fields["chair"].people = self.fields["invitees"].people = _people(user)
        if series is None:
            self.fields.pop("active")
            self.fields["starts_on"].initial = clock.today()


class MeetingForm(Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices)
    organiser_unit = NodeChoiceField(Unit.objects.none(), label=gettext_lazy("Organiser unit"))
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput)
    start_time = forms.TimeField(label=gettext_lazy("Start time"), initial=dt.time(9),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=gettext_lazy("End time"), initial=dt.time(11),
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    chair = PersonField(label=gettext_lazy("Chair"), required=False)
    invitees = PeopleField(label=gettext_lazy("Invited people"))

    def __init__(self, *args, user, meeting=None, **kwargs):
        if meeting is not None:
            kwargs.setdefault("initial", {
                **{name: getattr(meeting, name) for name in ("title", "kind", "date", "start_time", "end_time",
                                                             "place", "chair")},
                "organiser_unit": meeting.organiser_unit.code})
        super().__init__(*args, **kwargs)
        self.fields["organiser_unit"].queryset = changeable(Unit, user)
        self.fields["chair"].people = self.fields["invitees"].people = _people(user)
        if meeting is not None:
            self.fields.pop("invitees")
        else:
            self.fields["date"].initial = clock.today()


class AgendaItemForm(Form):
    title = forms.CharField(label=gettext_lazy("Item"), max_length=300)
    presenter = PersonField(label=gettext_lazy("Presenter"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].people = _people(user)


class ProposalForm(Form):
    """Take a proposed item onto the agenda."""

    task = forms.IntegerField(required=False, widget=forms.HiddenInput)
    request = forms.IntegerField(required=False, widget=forms.HiddenInput)
    decision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OutcomeForm(Form):
    discussion = forms.CharField(label=gettext_lazy("Discussion"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=AgendaItem.Outcome.choices)
    outcome_note = forms.CharField(label=gettext_lazy("Outcome note"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceForm(Form):
    status = forms.ChoiceField(label=gettext_lazy("Attendance"), choices=Attendance.Status.choices)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)
    substitute = PersonField(label=gettext_lazy("Substitute"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].people = _people(user)


class InviteForm(Form):
    people = PeopleField(label=gettext_lazy("Invite"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].people = _people(user)


class DecisionForm(Form):
    text = forms.CharField(label=pgettext_lazy("meeting", "Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = PersonField(label=gettext_lazy("Owner (责任人)"))
    lead_unit = NodeChoiceField(Unit.objects.none(), label=gettext_lazy("Lead unit (牵头单位)"))
    deadline = forms.DateField(label=gettext_lazy("Deadline"), widget=forms.DateInput)
    item = forms.ModelChoiceField(AgendaItem.objects.none(), label=gettext_lazy("Agenda item"), required=False)

    def __init__(self, *args, user, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].people = _people(user)
        self.fields["lead_unit"].queryset = _visible_units(user)
        self.fields["item"].queryset = meeting.agenda.order_by("position", "pk")


class MinutesForm(Form):
    minutes = forms.CharField(label=gettext_lazy("Minutes (会议纪要)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 12}))


class StateForm(Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=Meeting.State.choices)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)


class CloseForm(Form):
    state = forms.ChoiceField(label=gettext_lazy("Close as"), choices=[
        (Decision.State.DONE, Decision.State.DONE.label), (Decision.State.DROPPED, Decision.State.DROPPED.label)])
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class CreateTaskForm(Form):
    leader = PersonField(label=gettext_lazy("Leader in charge"), required=False,
                         help_text=gettext_lazy("Empty: the chair of the meeting."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].people = _people(user)


class StatsForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices, initial=Kind.GEOLOGY_REVIEW)
    date_from = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput)
    date_to = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError(_("The period ends before it starts."))
        return data



class RaiseRequestForm(Form):
    to_unit = NodeChoiceField(Unit.objects.none(), label=gettext_lazy("Addressed to"))
    to_person = PersonField(label=gettext_lazy("Person addressed"), required=False)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(label=gettext_lazy("What is asked"), widget=forms.Textarea(attrs={"rows": 4}))
    answer_due = forms.DateField(label=gettext_lazy("Answer due"), widget=forms.DateInput, required=False,
                                 help_text=gettext_lazy("Empty: in 5 working days."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = _visible_units(user)
        self.fields["to_person"].people = _people(user)
