"""Forms of the organisation pages. They only collect and type the input: every rule is checked
by org.services, whose ValidationError is put back on the form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ronghe.core import clock
from ronghe.core.forms import Form, StyledFormMixin
from ronghe.core.scoping import CHANGE
from ronghe.org.models import PartyOrg, Person, Position, Unit


class NodeChoiceField(forms.ModelChoiceField):
    """A unit or party org chosen by code, indented by depth (give it a queryset in tree order)."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name}（{obj.code}）"


def changeable(model, user):
    """The active nodes `user` may change, in tree order (a subtree follows its root)."""
    return (model.objects.restrict(user, CHANGE).filter(abolished_on=None)
            .only("pk", "code", "name", "depth", "path").order_by("path"))


class DatedChangeForm(Form):
    """Every change of a tree has an effective date and a reason."""

    effective_date = forms.DateField(label=_("Effective date"), widget=forms.DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = clock.today()
        # The date and reason close the form, after the fields proper.
        self.order_fields([f for f in self.fields if f not in ("effective_date", "reason")] + ["effective_date", "reason"])


class UnitCreateForm(DatedChangeForm):
    code = forms.CharField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = NodeChoiceField(Unit.objects.none(), label=_("Parent unit"))
    level = forms.ChoiceField(label=_("Level"), choices=Unit.Level.choices, initial=Unit.Level.SECTION)
    kind = forms.ChoiceField(label=_("Unit type"), choices=[("", "—"), *Unit.Kind.choices], required=False)
    staffing = forms.IntegerField(label=_("Management staffing (管理人员编制)"), min_value=0, required=False)
    established_on = forms.DateField(label=_("Established on"), required=False, widget=forms.DateInput)
    sort_order = forms.IntegerField(label=_("Sort order"), initial=0, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = changeable(Unit, user)
        self.fields["parent"].required = not user.is_superuser

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["sort_order"] = data["sort_order"] or 0
        return data


class PartyOrgCreateForm(DatedChangeForm):
    code = forms.CharField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Organisation type"), choices=PartyOrg.Kind.choices, initial=PartyOrg.Kind.BRANCH)
    parent = NodeChoiceField(PartyOrg.objects.none(), label=_("Parent party organisation"))
    unit = NodeChoiceField(Unit.objects.none(), label=_("Unit"))
    established_on = forms.DateField(label=_("Established on"), required=False, widget=forms.DateInput)
    renewed_on = forms.DateField(label=_("Term renewed on (换届日期)"), required=False, widget=forms.DateInput)
    sort_order = forms.IntegerField(label=_("Sort order"), initial=0, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = changeable(PartyOrg, user)
        self.fields["parent"].required = not user.is_superuser
        self.fields["unit"].queryset = changeable(Unit, user)

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["sort_order"] = data["sort_order"] or 0
        return data


class UnitEditForm(DatedChangeForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Unit.Level.choices)
    kind = forms.ChoiceField(label=_("Unit type"), choices=[("", "—"), *Unit.Kind.choices], required=False)
    staffing = forms.IntegerField(label=_("Management staffing (管理人员编制)"), min_value=0, required=False)
    established_on = forms.DateField(label=_("Established on"), required=False, widget=forms.DateInput)
    sort_order = forms.IntegerField(label=_("Sort order"), required=False)

    def __init__(self, *args, user, node, **kwargs):
        kwargs.setdefault("initial", {k: getattr(node, k) for k in
                                      ("name", "level", "kind", "staffing", "established_on", "sort_order")})
        super().__init__(*args, **kwargs)

    def changes(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("effective_date", "reason")}
        data["sort_order"] = data["sort_order"] or 0
        return data


class PartyOrgEditForm(DatedChangeForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Organisation type"), choices=PartyOrg.Kind.choices)
    unit = NodeChoiceField(Unit.objects.none(), label=_("Unit"))
    established_on = forms.DateField(label=_("Established on"), required=False, widget=forms.DateInput)
    renewed_on = forms.DateField(label=_("Term renewed on (换届日期)"), required=False, widget=forms.DateInput)
    sort_order = forms.IntegerField(label=_("Sort order"), required=False)

    def __init__(self, *args, user, node, **kwargs):
        initial = {k: getattr(node, k) for k in ("name", "kind", "established_on", "renewed_on", "sort_order")}
        kwargs.setdefault("initial", {**initial, "unit": node.unit.code})
        super().__init__(*args, **kwargs)
        # The current unit stays selectable even when the editor may not change that unit itself.
        self.fields["unit"].queryset = (changeable(Unit, user) | Unit.objects.filter(pk=node.unit_id)).distinct().order_by("path")

    def changes(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("effective_date", "reason")}
        data["sort_order"] = data["sort_order"] or 0
        return data


class RenameForm(DatedChangeForm):
    name = forms.CharField(label=_("New name"), max_length=200)

    def __init__(self, *args, user, node, **kwargs):
        kwargs.setdefault("initial", {"name": node.name})
        super().__init__(*args, **kwargs)


class MoveForm(DatedChangeForm):
    new_parent = NodeChoiceField(Unit.objects.none(), label=_("New parent"))

    def __init__(self, *args, user, node, **kwargs):
        super().__init__(*args, **kwargs)
        model = type(node)
        self.fields["new_parent"].queryset = changeable(model, user).exclude(path__startswith=node.path)
        self.fields["new_parent"].required = not user.is_superuser


class MergeForm(DatedChangeForm):
    into = NodeChoiceField(Unit.objects.none(), label=_("Merge into"),
                           help_text=_("Sub-organisations, people and members move to the target; this one ends."))

    def __init__(self, *args, user, node, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = changeable(type(node), user).exclude(path__startswith=node.path)


class AbolishForm(DatedChangeForm):
    def __init__(self, *args, user, node, **kwargs):
        super().__init__(*args, **kwargs)


PERSON_FIELDS = ["employee_no", "name", "gender", "birth_date", "unit", "post", "title", "mobile", "email",
                 "political_status", "is_active"]
MEMBERSHIP_FIELDS = ["party_org", "joined_on", "confirmed_on", "party_post"]
PERSONAL_FIELDS = ["mobile", "birth_date"]


class PersonForm(StyledFormMixin, forms.ModelForm):
    """Create or edit a person with their Party membership. Personal fields (手机, 出生日期) are
    left out for an editor who may not see them, so they are neither shown nor overwritten."""

    unit = NodeChoiceField(Unit.objects.none(), label=_("Unit"))
    party_org = NodeChoiceField(PartyOrg.objects.none(), label=_("Party organisation"), required=False,
                                help_text=_("Required for Party members (中共党员 / 中共预备党员)."))
    joined_on = forms.DateField(label=_("Joined the Party on"), required=False, widget=forms.DateInput)
    confirmed_on = forms.DateField(label=_("Full membership on"), required=False, widget=forms.DateInput)
    party_post = forms.CharField(label=_("Party post (党内职务)"), max_length=64, required=False)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"birth_date": forms.DateInput}

    def __init__(self, *args, user, personal_visible=True, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            membership = getattr(instance, "membership", None)
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("unit", instance.unit.code)
            if membership is not None:
                initial.setdefault("party_org", membership.party_org.code)
                initial.setdefault("joined_on", membership.joined_on)
                initial.setdefault("confirmed_on", membership.confirmed_on)
                initial.setdefault("party_post", membership.party_post)
        super().__init__(*args, **kwargs)
        units = changeable(Unit, user)
        party_orgs = changeable(PartyOrg, user)
        if instance is not None and instance.pk:
            del self.fields["employee_no"]
            units = (units | Unit.objects.filter(pk=instance.unit_id)).distinct().order_by("path")
            if membership is not None:
                party_orgs = (party_orgs | PartyOrg.objects.filter(pk=membership.party_org_id)).distinct().order_by(
                    "path")
        else:
            del self.fields["is_active"]
        self.fields["unit"].queryset = units
        self.fields["party_org"].queryset = party_orgs
        if not personal_visible:
            for name in PERSONAL_FIELDS:
                del self.fields[name]

    def _post_clean(self):
        # The service validates the model (full_clean) and reports its errors on this form.
        pass

    def service_kwargs(self):
        return dict(self.cleaned_data)


class PositionForm(Form):
    """A leader of a unit or party org, named by employee number."""

    employee_no = forms.CharField(label=_("Employee number"), max_length=32)
    kind = forms.ChoiceField(label=_("Kind"), choices=Position.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=64, required=False,
                            help_text=_("As written, e.g. 厂长, 党委书记, 分管生产副厂长."))
    sort_order = forms.IntegerField(label=_("Sort order"), required=False)
