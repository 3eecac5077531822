"""Forms of the 三会一课 pages. They collect and type the input; orglife.services checks every
rule and its ValidationError is put back on the form. The attendance list is one choice per
member of the organisation (出席 / 请假 / 缺席, or not expected)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.core import clock
from ronghe.core.forms import Form
from ronghe.org.forms import NodeChoiceField
from ronghe.org.models import PartyOrg, Person
from ronghe.orglife.models import Attendance, Kind, Rule
from ronghe.orglife.rules import Frequency

NOT_EXPECTED = ""
ATTENDANCE_CHOICES = [*Attendance.Status.choices, (NOT_EXPECTED, _("Not expected"))]


def attendance_key(person) -> str:
    return f"att_{person.pk}"


class PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="employee_no", required=False, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.employee_no}）"


class RecordForm(Form):
    party_org = NodeChoiceField(PartyOrg.objects.none(), label=_("Party organisation"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    host = PersonChoiceField(Person.objects.none(), label=_("Host (主持人)"))
    lecturer = PersonChoiceField(Person.objects.none(), label=_("Lecturer (授课人)"),
                                 help_text=_("Required for a Party lesson."))
    makeup_for = forms.DateField(label=_("Make-up for (补开)"), required=False, widget=forms.DateInput,
                                 help_text=_("For a meeting held late: a day of the period it makes up for."))
    minutes = forms.CharField(label=_("Minutes (会议记录)"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, orgs, people, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_org"].queryset = orgs
        self.fields["host"].queryset = people
        self.fields["lecturer"].queryset = people
        self.fields["held_on"].initial = clock.today()
        self.members = list(members)
        for person in self.members:
            self.fields[attendance_key(person)] = forms.ChoiceField(
                label=person.name, choices=ATTENDANCE_CHOICES, required=False, initial=Attendance.Status.PRESENT,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def attendance_fields(self):
        return [(person, self[attendance_key(person)]) for person in self.members]

    def attendance(self):
        """(person, status) of everyone expected, from the cleaned form."""
        return [(person, self.cleaned_data[attendance_key(person)]) for person in self.members
                if self.cleaned_data.get(attendance_key(person))]

    def record_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("party_org", "kind", "held_on", "topic", "host", "lecturer",
                                              "makeup_for")} | {"location": data["location"] or "",
                                                                "minutes": data["minutes"] or ""}


class PhotoForm(Form):
    image = forms.FileField(label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class DeleteForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RuleForm(forms.ModelForm):
    frequency = forms.ChoiceField(label=_("At least once a"), choices=[
        (Frequency.MONTH.value, _("month")), (Frequency.QUARTER.value, _("quarter"))])

    class Meta:
        model = Rule
        fields = ["frequency", "min_count", "exempt_below_members", "active"]
