"""Forms of the coordination pages. They collect and type the input; every rule is checked by
coordination.services, whose ValidationError is put back on the form."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ronghe.coordination.models import Category, Request
from ronghe.core.attachments import check_upload
from ronghe.core.forms import Form
from ronghe.org.forms import NodeChoiceField, changeable
from ronghe.org.models import Person, Unit
from ronghe.tasks.forms import find_person

# The units offered as suggestions: the page may name only units the user can already see
# (those in scope, their ancestors, and the units of the requests the user sees); any other
# unit, a headquarters department say, is addressed by its code.
SUGGESTED_DEPTH = 2


def known_units(user):
    from django.db.models import Q

    from ronghe.coordination.models import Request
    from ronghe.core.scoping import VIEW, scope_for

    scope = scope_for(user, VIEW)
    units = Unit.objects.filter(abolished_on=None)
    if not scope.everything:
        ancestors = {int(part) for path in scope.unit_paths for part in path.split("/") if part}
        visible = Request.objects.restrict(user, VIEW)
        units = units.filter(Q(pk__in=Unit.objects.restrict(user, VIEW).values("pk")) | Q(pk__in=ancestors)
                             | Q(pk__in=visible.values("to_unit_id")) | Q(pk__in=visible.values("from_unit_id"))
                             | Q(pk__in=visible.values("handling_unit_id")))
    return units.filter(depth__lte=SUGGESTED_DEPTH).only("pk", "code", "name", "depth", "path").order_by("path")


class UnitCodeField(forms.CharField):
    """An active unit named by its code; the page suggests the units the user knows."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", _("Unit code, e.g. of a headquarters department; suggestions as you type."))
        super().__init__(**kwargs)
        self.widget.attrs["list"] = "unit-suggestions"

    def clean(self, value):
        code = super().clean(value).strip()
        if not code:
            return None
        unit = Unit.objects.filter(code=code, abolished_on=None).first()
        if unit is None:
            raise ValidationError(_("No active unit has the code “%(code)s”.") % {"code": code})
        return unit


class _AddresseeMixin:
    def clean(self):
        data = super().clean()
        text = (data.get("to_person_text") or "").strip()
        data["to_person"] = None
        unit = data.get("to_unit") or getattr(self, "fixed_to_unit", None)
        if text and unit is not None:
            try:
                data["to_person"] = find_person(Person.objects.filter(unit=unit, is_active=True), text)
            except ValidationError as exc:
                self.add_error("to_person_text", exc)
        return data


class RaiseForm(_AddresseeMixin, Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What needs co-ordinating"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    from_unit = NodeChoiceField(Unit.objects.none(), label=_("Raised by unit"))
    to_unit = UnitCodeField(label=_("Addressed to"))
    to_person_text = forms.CharField(label=_("Addressed to (person)"), max_length=100, required=False,
                                     help_text=_("Optional: employee number, name, or 姓名(工号) in that unit."))
    answer_due = forms.DateField(label=_("Answer due"), required=False, widget=forms.DateInput,
                                 help_text=_("Leave empty for 5 working days from today."))
    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[check_upload])

    def __init__(self, *args, user, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.suggestions = known_units(user)
        if task is not None:
            # Raised from a task: its lead unit raises it.
            del self.fields["from_unit"]
        else:
            self.fields["from_unit"].queryset = changeable(Unit, user)


class EditForm(_AddresseeMixin, Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What needs co-ordinating"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    to_person_text = forms.CharField(label=_("Addressed to (person)"), max_length=100, required=False)
    answer_due = forms.DateField(label=_("Answer due"), widget=forms.DateInput)

    def __init__(self, *args, request: Request, **kwargs):
        initial = {"title": request.title, "description": request.description, "category": request.category,
                   "answer_due": request.answer_due,
                   "to_person_text": f"{request.to_person.name}({request.to_person.employee_no})"
                   if request.to_person_id else ""}
        super().__init__(*args, initial=initial, **kwargs)
        self.fixed_to_unit = request.to_unit


class AnswerForm(Form):
    answer = forms.CharField(label=_("Answer (明确答复)"), widget=forms.Textarea(attrs={"rows": 4}))


class ForwardForm(Form):
    to_unit = UnitCodeField(label=_("Forward to"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(Form):
    reason = forms.CharField(label=_("Why the answer is not enough"), widget=forms.Textarea(attrs={"rows": 3}))
    answer_due = forms.DateField(label=_("New answer date"), required=False, widget=forms.DateInput,
                                 help_text=_("Leave empty for 5 working days from today."))


class EscalateForm(Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachForm(Form):
    file = forms.FileField(label=_("File"), validators=[check_upload])
