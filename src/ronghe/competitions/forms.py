"""Forms of the competition pages. Units are chosen by code among those under the organiser
that the user may see; participants, indicators and periods among the competition's own."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.competitions import sources
from ronghe.competitions.models import Competition, Indicator, unit_label
from ronghe.core.forms import Form
from ronghe.core.templatetags.ronghe import cndate


class CompetitionForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organiser = forms.ChoiceField(label=_("Organiser unit (主办单位)"))
    kind = forms.ChoiceField(label=_("Participants are"), choices=Competition.Kind.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput)
    cadence = forms.ChoiceField(label=_("Scoring period"), choices=Competition.Cadence.choices)
    description = forms.CharField(label=_("Rules and slogan (竞赛规则)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units, competition=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if competition is not None:
            initial.update(name=competition.name, organiser=competition.organiser.code, kind=competition.kind,
                           starts_on=competition.starts_on, ends_on=competition.ends_on, cadence=competition.cadence,
                           description=competition.description)
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["organiser"].choices = [(u.code, u.name) for u in units]
        if competition is not None and competition.participants.exists():
            self.fields["kind"].disabled = True

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["organiser"] = self.units[data["organiser"]]
        return data


class ParticipantForm(Form):
    unit = forms.ChoiceField(label=_("Unit or team"), required=False)
    project_group = forms.ChoiceField(label=_("Project group (上产项目组)"), required=False)
    carrier = forms.ChoiceField(label=_("Party-member carrier (党员载体)"), required=False)

    def __init__(self, *args, units=(), groups=(), carriers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.groups = {str(g.pk): g for g in groups}
        self.carriers = {str(c.pk): c for c in carriers}
        self.fields["carrier"].choices = [("", "—")] + [(str(c.pk), f"{c.name}（{c.unit.name}）") for c in carriers]
        self.fields["unit"].choices = [("", "—")] + [(u.code, unit_label(u)) for u in units]
        self.fields["project_group"].choices = [("", "—")] + [(str(g.pk), f"{g.name}（{g.unit.name}）")
                                                              for g in groups]

    def service_kwargs(self) -> dict:
        return {"unit": self.units.get(self.cleaned_data["unit"]),
                "project_group": self.groups.get(self.cleaned_data["project_group"]),
                "carrier": self.carriers.get(self.cleaned_data["carrier"])}


class IndicatorForm(Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    source = forms.ChoiceField(label=_("Data source"))
    weight = forms.FloatField(label=_("Weight (满分)"), min_value=0.01)
    normalisation = forms.ChoiceField(label=_("Normalisation"), choices=Indicator.Normalisation.choices)
    higher_is_better = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)
    target = forms.FloatField(label=_("Target (plan)"), required=False)
    unit_label = forms.CharField(label=_("Unit of measure"), max_length=20, required=False)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(Indicator.MANUAL, _("Entered by hand or imported (手工录入)"))] + [
            (s.code, s.label) for s in sources.for_kind(kind)]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["unit_label"] = data["unit_label"] or None
        return data


class AwardKindForm(Form):
    name = forms.CharField(label=_("Award"), max_length=60, initial="流动红旗")
    top = forms.IntegerField(label=_("Ranks awarded"), min_value=1, max_value=100, initial=1)


def period_choices(periods):
    return [(p.start.isoformat(), f"{cndate(p.start)} – {cndate(p.end)}") for p in periods]


class ReadingForm(Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    participant = forms.ChoiceField(label=_("Participant"))
    period_start = forms.ChoiceField(label=_("Period"))
    value = forms.FloatField(label=_("Value"))
    plan = forms.FloatField(label=_("Plan value"), required=False)
    evidence = forms.CharField(label=_("Evidence (佐证)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicators, participants, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {str(i.pk): i for i in indicators}
        self.participants = {str(p.pk): p for p in participants}
        self.fields["indicator"].choices = [(str(i.pk), i.name) for i in indicators]
        self.fields["participant"].choices = [(str(p.pk), p.label) for p in participants]
        self.fields["period_start"].choices = period_choices(periods)


class AdjustmentForm(Form):
    participant = forms.ChoiceField(label=_("Participant"))
    period_start = forms.ChoiceField(label=_("Period"))
    points = forms.FloatField(label=_("Points (+ bonus, − deduction)"))
    reason = forms.CharField(label=_("Reason"), max_length=300)
    evidence = forms.CharField(label=_("Evidence (佐证)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, participants, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = {str(p.pk): p for p in participants}
        self.fields["participant"].choices = [(str(p.pk), p.label) for p in participants]
        self.fields["period_start"].choices = period_choices(periods)


class PublishForm(Form):
    period_start = forms.DateField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for publishing again"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(Form):
    file = forms.FileField(label=_("Spreadsheet (xlsx, xls or csv)"))
