"""Forms of the project groups and measures pages. Units are chosen by code, leaders and members
named by employee number, wells by 井号 and groups by id; each is looked up by
production.services_projects, as the API's bodies are, so the scope and the error naming the
field (in the user's language) are the same rule on both."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, pgettext_lazy

from ronghe.core.forms import Form
from ronghe.core.tabular import CellError
from ronghe.production import selectors_projects, services_projects
from ronghe.production.importers_projects import parse_month
from ronghe.production.models import Measure

_SEPARATORS = re.compile(r"[\s,，、;；]+")
_BLANK = ("", "---------")


def _codes(text) -> list[str]:
    return [c for c in _SEPARATORS.split(text or "") if c]


class PickField(forms.CharField):
    """A select whose value is checked by the service's lookup rather than against the options
    drawn, so a value outside the scope is refused by the same rule and words as in the API."""
    widget = forms.Select


def _looked_up(lookup, field, *args):
    """What the service's lookup finds; its refusal, raised on `field`, as that field's error."""
    try:
        return lookup(*args, field)
    except ValidationError as exc:
        raise forms.ValidationError(exc.error_dict[field]) from None


class GroupForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    unit = PickField(label=gettext_lazy("Unit"))
    leader = PickField(label=gettext_lazy("Leader"),
                       help_text=gettext_lazy("A member of the unit's leadership (班子成员)."))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    target_measures = forms.IntegerField(label=gettext_lazy("Target measures (井次)"), min_value=0, required=False)
    target_increment_t = forms.FloatField(label=gettext_lazy("Target incremental oil (t)"), min_value=0,
                                          required=False)
    targets = forms.CharField(label=gettext_lazy("Targets"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    members = forms.CharField(label=pgettext_lazy("project group", "Members"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=gettext_lazy("Employee numbers, separated by spaces or commas."))
    wells = forms.CharField(label=gettext_lazy("Wells"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=gettext_lazy("Well numbers (井号), separated by spaces or commas."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Callables: the options are read when the select is drawn, not on every form made.
        self.fields["unit"].widget.choices = lambda: [
            _BLANK, *((u.code, f"{u.name}（{u.code}）") for u in selectors_projects.unit_choices(user))]
        self.fields["leader"].widget.choices = lambda: [
            _BLANK, *((p.employee_no, str(p)) for p in selectors_projects.leader_choices(user))]

    def clean_unit(self):
        return _looked_up(services_projects.unit_by_code, "unit", self.user, self.cleaned_data["unit"])

    def clean_leader(self):
        return _looked_up(services_projects.person_by_number, "leader", self.user, self.cleaned_data["leader"])

    def clean_members(self):
        return _looked_up(services_projects.people_by_numbers, "members", self.user,
                          _codes(self.cleaned_data["members"]))

    def clean_wells(self):
        return _looked_up(services_projects.wells_by_codes, "wells", self.user, _codes(self.cleaned_data["wells"]))


class MonthInput(forms.TextInput):
    input_type = "month"


class MeasureForm(Form):
    well = forms.CharField(label=gettext_lazy("Well number (井号)"), max_length=40)
    kind = forms.ChoiceField(label=gettext_lazy("Measure type"), choices=Measure.Kind.choices)
    planned_month = forms.CharField(label=gettext_lazy("Planned month"), widget=MonthInput)
    done_on = forms.DateField(label=pgettext_lazy("measure", "Done on"), required=False, widget=forms.DateInput)
    group = PickField(label=gettext_lazy("Project group"), required=False)
    planned_increment_t = forms.FloatField(label=gettext_lazy("Planned incremental oil (t)"), min_value=0,
                                           required=False)
    cost = forms.FloatField(label=gettext_lazy("Cost (万元)"), min_value=0, required=False)
    validity_days = forms.IntegerField(label=gettext_lazy("Validity window (days)"), min_value=1, max_value=3650,
                                       initial=365)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["group"].widget.choices = lambda: [
            _BLANK, *((g.pk, f"{g.name}（{g.year}）") for g in selectors_projects.group_choices(user))]

    def clean_well(self):
        return _looked_up(services_projects.well_by_code, "well", self.user, self.cleaned_data["well"])

    def clean_group(self):
        return _looked_up(services_projects.group_by_id, "group", self.user, self.cleaned_data["group"])

    def clean_planned_month(self):
        try:
            return parse_month(self.cleaned_data["planned_month"])
        except CellError as exc:
            raise forms.ValidationError(str(exc)) from None
