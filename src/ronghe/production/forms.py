"""Forms of the project groups and measures pages. Units are chosen by code, people by employee
number and wells by 井号, each looked up within the user's scope."""
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ronghe.core.forms import Form
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.core.tabular import CellError
from ronghe.org.models import Person, Unit
from ronghe.production import selectors
from ronghe.production.importers_projects import parse_month
from ronghe.production.models import Measure

_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _codes(text) -> list[str]:
    return [c for c in _SEPARATORS.split(text or "") if c]


class GroupForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none(), to_field_name="code")
    leader = forms.ModelChoiceField(label=gettext_lazy("Leader"), queryset=Person.objects.none(),
                                    to_field_name="employee_no",
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
        self.fields["unit"].queryset = selectors.units(user, CHANGE).order_by("path")
        self.fields["leader"].queryset = (Person.objects.restrict(user, VIEW).filter(positions__isnull=False)
                                          .distinct().order_by("name", "employee_no"))
        self.fields["unit"].label_from_instance = lambda u: f"{u.name}（{u.code}）"

    def clean_members(self):
        codes = _codes(self.cleaned_data["members"])
        found = {p.employee_no: p for p in Person.objects.restrict(self.user, VIEW).filter(employee_no__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(_("No such person within your scope: %(codes)s") % {"codes": "、".join(missing)})
        return [found[c] for c in dict.fromkeys(codes)]

    def clean_wells(self):
        codes = _codes(self.cleaned_data["wells"])
        found = {w.code: w for w in selectors.wells(self.user).filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(_("No such well within your scope: %(codes)s") % {"codes": "、".join(missing)})
        return [found[c] for c in dict.fromkeys(codes)]


class MonthInput(forms.TextInput):
    input_type = "month"


class MeasureForm(Form):
    well = forms.CharField(label=gettext_lazy("Well number (井号)"), max_length=40)
    kind = forms.ChoiceField(label=gettext_lazy("Measure type"), choices=Measure.Kind.choices)
    planned_month = forms.CharField(label=gettext_lazy("Planned month"), widget=MonthInput)
    done_on = forms.DateField(label=pgettext_lazy("measure", "Done on"), required=False, widget=forms.DateInput)
    group = forms.ModelChoiceField(label=gettext_lazy("Project group"), queryset=None, required=False)
    planned_increment_t = forms.FloatField(label=gettext_lazy("Planned incremental oil (t)"), min_value=0,
                                           required=False)
    cost = forms.FloatField(label=gettext_lazy("Cost (万元)"), min_value=0, required=False)
    validity_days = forms.IntegerField(label=gettext_lazy("Validity window (days)"), min_value=1, max_value=3650,
                                       initial=365)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["group"].queryset = selectors.groups(user).order_by("-year", "name")
        self.fields["group"].label_from_instance = lambda g: f"{g.name}（{g.year}）"

    def clean_well(self):
        well = selectors.wells(self.user, CHANGE).filter(code=self.cleaned_data["well"].strip()).first()
        if well is None:
            raise forms.ValidationError(_("No well “%(code)s” within your scope.") % {"code": self.cleaned_data["well"]})
        return well

    def clean_planned_month(self):
        try:
            return parse_month(self.cleaned_data["planned_month"])
        except CellError as exc:
            raise forms.ValidationError(str(exc)) from None
