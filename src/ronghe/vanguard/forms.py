"""Forms of the carrier and problem-ledger pages. They collect and type the input, looking up
units, Party organisations and people inside the editor's reach; every rule is checked by
vanguard.services, whose ValidationError is put back on the form."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core import clock
from ronghe.core.forms import Form
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.org.models import Person, Unit
from ronghe.vanguard import selectors
from ronghe.vanguard.models import Carrier, CarrierRecognition, Problem, Rating

SEPARATORS = re.compile(r"[\s,，、；;]+")


def _units(user):
    return Unit.objects.restrict(user, CHANGE).filter(abolished_on=None)


def _reachable_code(user, unit) -> str:
    """The unit's code when the editor may name it; blank otherwise (they reach the row through
    its Party organisation, and a blank unit keeps it where it is)."""
    return unit.code if _units(user).filter(pk=unit.pk).exists() else ""


class CodeField(forms.CharField):
    """A unit or Party organisation typed as its code, found among `nodes` (the editor's reach)."""

    def __init__(self, *, nodes=None, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)
        self.nodes = nodes

    def prepare_value(self, value):
        return getattr(value, "code", value)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        node = self.nodes.filter(code=code.strip()).first()
        if node is None:
            raise ValidationError(_("No unit or party organisation with code “%(code)s” within your reach.") % {
                "code": code})
        return node


class PeopleField(forms.CharField):
    """People typed as employee numbers (工号), separated by spaces, commas or 、."""

    def __init__(self, *, people=None, single=False, **kwargs):
        kwargs.setdefault("max_length", 4000)
        super().__init__(**kwargs)
        self.people, self.single = people, single

    def prepare_value(self, value):
        if isinstance(value, Person):
            return value.employee_no
        if isinstance(value, (list, tuple)):
            return " ".join(p.employee_no if isinstance(p, Person) else str(p) for p in value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        numbers = [n for n in SEPARATORS.split(text) if n]
        if self.single and len(numbers) > 1:
            raise ValidationError(_("Give one employee number."))
        found = {p.employee_no: p for p in self.people.filter(employee_no__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationError(_("No Party member or person with employee number %(numbers)s within your scope.")
                                  % {"numbers": "、".join(missing)})
        people = [found[n] for n in dict.fromkeys(numbers)]
        if self.single:
            return people[0] if people else None
        return people


class CarrierForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Carrier kind"), choices=Carrier.Kind.choices)
    party_org = CodeField(label=gettext_lazy("Party organisation code"),
                          help_text=gettext_lazy("Attached to the unit or to one above it."))
    unit = CodeField(label=gettext_lazy("Unit code"), required=False,
                     help_text=gettext_lazy("The unit the Party organisation is attached to when blank."))
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Carrier.Category.choices)
    production_related = forms.BooleanField(label=gettext_lazy("Tied to production"), required=False)
    established_on = forms.DateField(label=gettext_lazy("Established on"), widget=forms.DateInput)
    commitment = forms.CharField(label=gettext_lazy("Commitment (承诺)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    targets = forms.CharField(label=gettext_lazy("Targets (目标)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    lead = PeopleField(label=gettext_lazy("Lead (employee number)"), required=False, single=True)
    members = PeopleField(label=gettext_lazy("Other members (employee numbers)"), required=False,
                          help_text=gettext_lazy("Party members, separated by spaces or commas."))

    def __init__(self, *args, user, carrier=None, **kwargs):
        if carrier is not None:
            kwargs.setdefault("initial", {
                "name": carrier.name, "kind": carrier.kind, "unit": _reachable_code(user, carrier.unit),
                "party_org": carrier.party_org.code, "category": carrier.category,
                "production_related": carrier.production_related, "established_on": carrier.established_on,
                "commitment": carrier.commitment, "targets": carrier.targets})
        else:
            kwargs.setdefault("initial", {"established_on": clock.today(), "production_related": True,
                                          "category": Carrier.Category.PRODUCTION})
        super().__init__(*args, **kwargs)
        self.fields["unit"].nodes = _units(user)
        self.fields["party_org"].nodes = selectors.host_party_orgs(user, CHANGE)
        members = selectors.party_members(user)
        self.fields["lead"].people = self.fields["members"].people = members
        if carrier is not None:
            del self.fields["lead"], self.fields["members"]
            self.fields["unit"].help_text = gettext_lazy("Blank keeps the carrier's unit.")


class MembersForm(Form):
    lead = PeopleField(label=gettext_lazy("Lead (employee number)"), required=False, single=True)
    members = PeopleField(label=gettext_lazy("Other members (employee numbers)"), required=False,
                          widget=forms.Textarea(attrs={"rows": 3}),
                          help_text=gettext_lazy("Party members, separated by spaces or commas."))

    def __init__(self, *args, user, carrier, **kwargs):
        seats = list(carrier.members.select_related("person"))
        kwargs.setdefault("initial", {
            "lead": next((s.person for s in seats if s.is_lead), None),
            "members": [s.person for s in seats if not s.is_lead]})
        super().__init__(*args, **kwargs)
        self.fields["lead"].people = self.fields["members"].people = selectors.party_members(user)


class RetireForm(Form):
    on = forms.DateField(label=gettext_lazy("Retired on"), widget=forms.DateInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": clock.today()})
        super().__init__(*args, **kwargs)


class ReviewForm(Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=gettext_lazy("Rating"), choices=Rating.choices)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=gettext_lazy("Reviewed on"), widget=forms.DateInput)

    def __init__(self, *args, **kwargs):
        today = clock.today()
        kwargs.setdefault("initial", {"year": today.year - 1 if today.month < 7 else today.year, "on": today})
        super().__init__(*args, **kwargs)


class RecognitionForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CarrierRecognition.Kind.choices)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=CarrierRecognition.Level.choices)
    title = forms.CharField(label=gettext_lazy("Title of the naming or commendation"), max_length=200)
    granted_on = forms.DateField(label=gettext_lazy("Granted on"), widget=forms.DateInput)
    granted_by = forms.CharField(label=gettext_lazy("Granted by"), max_length=200, required=False)
    document_no = forms.CharField(label=gettext_lazy("Document number"), max_length=100, required=False)


CARRIER_ID = re.compile(r"#(\d+)\s*$")


def carrier_label(carrier) -> str:
    """How the picker names a carrier, and what a chosen suggestion puts in the field: its name,
    its unit and, after #, its id, which the server reads back."""
    return f"{carrier.name}（{carrier.unit.name}）#{carrier.pk}"


class CarrierPicker(forms.TextInput):
    """A text input that asks for suggestions as one types (htmx, after a pause) and offers them
    in a datalist: the few carriers matching, instead of every carrier in reach in one list."""

    def __init__(self):
        super().__init__(attrs={
            "list": "carrier-options", "autocomplete": "off", "hx-get": reverse_lazy("vanguard_carrier_options"),
            "hx-trigger": "input changed delay:250ms", "hx-target": "#carrier-options", "hx-swap": "innerHTML",
            "placeholder": gettext_lazy("Type a carrier's name or its unit's code or name")})

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, attrs, renderer) + mark_safe('<datalist id="carrier-options"></datalist>')


class CarrierField(forms.CharField):
    """A carrier among `carriers` (set by the form): the one whose id a chosen suggestion carries
    (or a bare id), else the only one bearing the name typed."""

    widget = CarrierPicker

    def __init__(self, **kwargs):
        super().__init__(max_length=300, **kwargs)
        self.carriers = Carrier.objects.none()

    def prepare_value(self, value):
        if isinstance(value, Carrier):
            return carrier_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found = self.carriers.select_related("unit").filter(pk=int(value)).first()
            return carrier_label(found) if found else ""
        return value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        number = CARRIER_ID.search(text) or re.fullmatch(r"(\d+)", text)
        if number:
            found = list(self.carriers.filter(pk=int(number.group(1))))
        else:
            found = list(self.carriers.filter(name=text)[:2])
        if len(found) != 1:
            raise ValidationError(_("No active carrier “%(text)s” within your reach: choose one of the suggestions.")
                                  % {"text": text})
        return found[0]


class ConfirmForm(Form):
    pass


class ProblemForm(Form):
    title = forms.CharField(label=gettext_lazy("Problem title"), max_length=200)
    unit = CodeField(label=gettext_lazy("Unit code"), required=False,
                     help_text=gettext_lazy("The carrier's unit when blank."))
    carrier = CarrierField(label=gettext_lazy("Carrier"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Problem.Category.choices)
    difficulty = forms.ChoiceField(label=gettext_lazy("Difficulty"), choices=Problem.Difficulty.choices)
    raised_by = PeopleField(label=gettext_lazy("Raised by (employee number)"), single=True)
    raised_on = forms.DateField(label=gettext_lazy("Raised on"), widget=forms.DateInput)
    description = forms.CharField(label=gettext_lazy("Problem description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    workers = PeopleField(label=gettext_lazy("People working on it (employee numbers)"), required=False)

    def __init__(self, *args, user, problem=None, carrier=None, **kwargs):
        if problem is not None:
            kwargs.setdefault("initial", {
                "title": problem.title, "unit": _reachable_code(user, problem.unit), "carrier": problem.carrier_id,
                "category": problem.category, "difficulty": problem.difficulty, "raised_by": problem.raised_by,
                "raised_on": problem.raised_on, "description": problem.description,
                "workers": list(problem.workers.all())})
        else:
            initial = {"raised_on": clock.today(), "difficulty": Problem.Difficulty.ORDINARY}
            if carrier is not None:
                initial["carrier"] = carrier.pk
            if getattr(user, "person_id", None):
                initial["raised_by"] = user.person.employee_no
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["unit"].nodes = _units(user)
        if problem is not None:
            self.fields["unit"].help_text = gettext_lazy("Blank keeps the problem's unit.")
        carriers = selectors.carriers(user, CHANGE).filter(status=Carrier.Status.ACTIVE).order_by("unit__path", "name")
        if carrier is not None:
            carriers = carriers.filter(pk=carrier.pk)
        self.fields["carrier"].carriers = carriers
        people = Person.objects.restrict(user, VIEW).filter(is_active=True)
        self.fields["raised_by"].people = self.fields["workers"].people = people


class DatedForm(Form):
    on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": clock.today()})
        super().__init__(*args, **kwargs)


class SolveForm(DatedForm):
    solution = forms.CharField(label=gettext_lazy("Solution"), widget=forms.Textarea(attrs={"rows": 3}))
    oil_t = forms.DecimalField(label=gettext_lazy("Oil (t)"), min_value=0, max_digits=12, decimal_places=2,
                               initial=0)
    gas_m3 = forms.DecimalField(label=gettext_lazy("Gas (m³)"), min_value=0, max_digits=14, decimal_places=2,
                                initial=0)
    cost_saved = forms.DecimalField(label=gettext_lazy("Cost saved (¥)"), min_value=0, max_digits=14,
                                    decimal_places=2, initial=0)
    other_benefit = forms.CharField(label=gettext_lazy("Other benefit"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["solution", "on", "oil_t", "gas_m3", "cost_saved", "other_benefit"]


class VerifyForm(DatedForm):
    note = forms.CharField(label=gettext_lazy("Verification note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(Form):
    note = forms.CharField(label=gettext_lazy("Why the solution is not accepted"),
                           widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(DatedForm):
    reason = forms.CharField(label=gettext_lazy("Why it is closed unsolved"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
