"""Every write to the organisation. One transaction each, validated, audited, and recorded as
an OrgChange with an effective date so that the trees can be shown as of any date."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from ronghe.core import audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.scoping import CHANGE, allows
from ronghe.org import signals, trees
from ronghe.org.models import OrgChange, PartyMembership, PartyOrg, Person, Position, TreeNode, Unit

UNIT_FIELDS = ["code", "name", "parent", "level", "kind", "staffing", "established_on", "abolished_on", "sort_order"]
PARTY_ORG_FIELDS = ["code", "name", "parent", "kind", "unit", "established_on", "renewed_on", "abolished_on",
                    "sort_order"]
PERSON_FIELDS = ["employee_no", "name", "gender", "birth_date", "unit", "post", "title", "mobile", "email",
                 "political_status", "is_active"]
MEMBERSHIP_FIELDS = ["party_org", "joined_on", "confirmed_on", "party_post"]


def node_fields(node: TreeNode) -> list[str]:
    return UNIT_FIELDS if isinstance(node, Unit) else PARTY_ORG_FIELDS


def node_state(node: TreeNode) -> dict:
    return audit.snapshot(node, node_fields(node))


def _audit_scope(node):
    if isinstance(node, Unit):
        return {"unit": node}
    return {"unit": node.unit, "party_org": node}


def _require(actor, action, obj):
    if not allows(actor, action, obj):
        raise OutOfScope()


def _check_effective_date(node, effective_date: dt.date):
    if effective_date > clock.today():
        raise ValidationError({"effective_date": _("The effective date cannot be in the future.")})
    last = node.changes.order_by("-effective_date", "-id").first() if node.pk else None
    if last and effective_date < last.effective_date:
        raise ValidationError({"effective_date": _(
            "The effective date cannot be before the last recorded change (%(date)s).") % {"date": last.effective_date}})


def _check_parent(node_model, parent, effective_date, actor):
    if parent is None:
        return
    if not allows(actor, CHANGE, parent):
        raise ValidationError({"parent": _("No such parent within your scope.")})
    if parent.abolished_on:
        raise ValidationError({"parent": _("“%(name)s” is abolished.") % {"name": parent.name}})
    first = parent.changes.order_by("effective_date").first()
    if first and first.effective_date > effective_date:
        raise ValidationError({"parent": _("“%(name)s” was only established on %(date)s.") % {
            "name": parent.name, "date": first.effective_date}})
    if node_model is PartyOrg and parent.kind == PartyOrg.Kind.GROUP:
        raise ValidationError({"parent": _("A Party group (党小组) cannot have sub-organisations.")})


def _record_change(*, actor, node, kind, effective_date, before, reason="", merged_into=None):
    state = node_state(node)
    change = OrgChange(kind=kind, effective_date=effective_date, state=state, before=before, reason=reason,
                       actor=actor if getattr(actor, "pk", None) else None)
    if isinstance(node, Unit):
        change.unit, change.merged_into_unit = node, merged_into
    else:
        change.party_org, change.merged_into_party_org = node, merged_into
    change.save()
    audit.record(actor=actor, action=f"{node._meta.model_name}.{kind}", obj=node, before=before, after=state,
                 message=reason, **_audit_scope(node))
    return change


def _set_path(node):
    node.path = trees.child_path(node.parent.path if node.parent_id else "", node.pk)
    node.depth = trees.depth_of(node.path)
    type(node).objects.filter(pk=node.pk).update(path=node.path, depth=node.depth)


def _create_node(model, *, actor, parent, effective_date, reason="", **fields):
    effective_date = effective_date or fields.get("established_on") or clock.today()
    if parent is None and not getattr(actor, "is_superuser", False):
        raise ValidationError({"parent": _("Only a system administrator can create a top-level organisation.")})
    _check_parent(model, parent, effective_date, actor)
    node = model(parent=parent, **fields)
    node.full_clean(exclude=["path"])
    if effective_date > clock.today():
        raise ValidationError({"effective_date": _("The effective date cannot be in the future.")})
    node.save()
    _set_path(node)
    _record_change(actor=actor, node=node, kind=OrgChange.Kind.ESTABLISH, effective_date=effective_date,
                   before=None, reason=reason)
    if parent is None:
        return node
    _require(actor, CHANGE, node)
    return node


@transaction.atomic
def unit_create(*, actor, code, name, parent=None, level=Unit.Level.OTHER, kind="", staffing=None,
                established_on=None, sort_order=0, effective_date=None, reason="") -> Unit:
    return _create_node(Unit, actor=actor, parent=parent, effective_date=effective_date, reason=reason, code=code,
                        name=name, level=level, kind=kind, staffing=staffing, established_on=established_on,
                        sort_order=sort_order)


@transaction.atomic
def party_org_create(*, actor, code, name, kind, unit, parent=None, established_on=None, renewed_on=None,
                     sort_order=0, effective_date=None, reason="") -> PartyOrg:
    if not allows(actor, CHANGE, unit):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    return _create_node(PartyOrg, actor=actor, parent=parent, effective_date=effective_date, reason=reason,
                        code=code, name=name, kind=kind, unit=unit, established_on=established_on,
                        renewed_on=renewed_on, sort_order=sort_order)


def _lock(node):
    return type(node).objects.select_for_update().get(pk=node.pk)


@transaction.atomic
def node_edit(*, actor, node: TreeNode, effective_date=None, reason="", **changes) -> TreeNode:
    """Change attributes other than the parent. A change of name alone is recorded as a rename."""
    _require(actor, CHANGE, node)
    node = _lock(node)
    effective_date = effective_date or clock.today()
    _check_effective_date(node, effective_date)
    allowed = set(node_fields(node)) - {"code", "parent", "abolished_on"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if isinstance(node, PartyOrg) and "unit" in changes and not allows(actor, CHANGE, changes["unit"]):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    before = node_state(node)
    for name, value in changes.items():
        setattr(node, name, value)
    node.full_clean(exclude=["path", "code"])
    changed = [k for k, v in node_state(node).items() if before[k] != v]
    if not changed:
        return node
    node.save(update_fields=[node._meta.get_field(k).name for k in changed])
    kind = OrgChange.Kind.RENAME if changed == ["name"] else OrgChange.Kind.EDIT
    _record_change(actor=actor, node=node, kind=kind, effective_date=effective_date, before=before, reason=reason)
    _require(actor, CHANGE, node)
    return node


def node_rename(*, actor, node, name, effective_date=None, reason=""):
    return node_edit(actor=actor, node=node, effective_date=effective_date, reason=reason, name=name)


def _move_subtree_paths(node, new_path):
    model = type(node)
    old_path = node.path
    depth_delta = trees.depth_of(new_path) - trees.depth_of(old_path)
    model.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    node.path, node.depth = new_path, trees.depth_of(new_path)


def _do_move(*, actor, node, new_parent, effective_date, reason):
    before = node_state(node)
    if new_parent is not None and trees.would_cycle(node.path, new_parent.path):
        raise ValidationError({"parent": _("A unit cannot be moved under itself or its own subtree.")})
    _check_parent(type(node), new_parent, effective_date, actor)
    node.parent = new_parent
    node.save(update_fields=["parent"])
    _move_subtree_paths(node, trees.child_path(new_parent.path if new_parent else "", node.pk))
    return _record_change(actor=actor, node=node, kind=OrgChange.Kind.MOVE, effective_date=effective_date,
                          before=before, reason=reason)


@transaction.atomic
def node_move(*, actor, node: TreeNode, new_parent, effective_date=None, reason="") -> TreeNode:
    _require(actor, CHANGE, node)
    node = _lock(node)
    effective_date = effective_date or clock.today()
    _check_effective_date(node, effective_date)
    if node.abolished_on:
        raise ValidationError(_("“%(name)s” is abolished.") % {"name": node.name})
    if new_parent is None and not getattr(actor, "is_superuser", False):
        raise ValidationError({"parent": _("Only a system administrator can create a top-level organisation.")})
    if (new_parent.pk if new_parent else None) == node.parent_id:
        return node
    old_parent = node.parent
    _do_move(actor=actor, node=node, new_parent=new_parent, effective_date=effective_date, reason=reason)
    _require(actor, CHANGE, node)
    if isinstance(node, Unit):
        signals.unit_moved.send(sender=Unit, actor=actor, unit=node, old_parent=old_parent, new_parent=new_parent)
    return node


def _active_children(node):
    return node.children.filter(abolished_on=None)


def _end(*, actor, node, effective_date, reason, kind, merged_into=None):
    before = node_state(node)
    node.abolished_on = effective_date
    node.save(update_fields=["abolished_on"])
    _record_change(actor=actor, node=node, kind=kind, effective_date=effective_date, before=before, reason=reason,
                   merged_into=merged_into)


@transaction.atomic
def node_abolish(*, actor, node: TreeNode, effective_date=None, reason="") -> TreeNode:
    """Abolish an empty node: its active sub-organisations and people must be moved first."""
    _require(actor, CHANGE, node)
    node = _lock(node)
    effective_date = effective_date or clock.today()
    _check_effective_date(node, effective_date)
    if node.abolished_on:
        raise ValidationError(_("“%(name)s” is already abolished.") % {"name": node.name})
    if _active_children(node).exists():
        raise ValidationError(_("“%(name)s” still has active sub-organisations; move or abolish them first.")
                              % {"name": node.name})
    if isinstance(node, Unit):
        if node.people.filter(is_active=True).exists():
            raise ValidationError(_("“%(name)s” still has people; move them first.") % {"name": node.name})
        if node.party_orgs.filter(abolished_on=None).exists():
            raise ValidationError(_("“%(name)s” still has active Party organisations attached.") % {"name": node.name})
    elif node.memberships.exists():
        raise ValidationError(_("“%(name)s” still has Party members; transfer them first.") % {"name": node.name})
    _end(actor=actor, node=node, effective_date=effective_date, reason=reason, kind=OrgChange.Kind.ABOLISH)
    return node


@transaction.atomic
def node_merge(*, actor, node: TreeNode, into: TreeNode, effective_date=None, reason="") -> TreeNode:
    """Merge `node` into `into`: its sub-organisations, people (or members) and attached Party
    organisations move to `into`, and `node` ends on the effective date."""
    _require(actor, CHANGE, node)
    if type(into) is not type(node) or not allows(actor, CHANGE, into):
        raise ValidationError({"into": _("No such target within your scope.")})
    node = _lock(node)
    effective_date = effective_date or clock.today()
    _check_effective_date(node, effective_date)
    if node.pk == into.pk or into.is_descendant_of(node):
        raise ValidationError({"into": _("A unit cannot be merged into itself or its own subtree.")})
    if node.abolished_on or into.abolished_on:
        raise ValidationError({"into": _("Both sides of a merge must be active.")})
    children = list(_active_children(node).order_by("pk"))
    for child in children:
        _check_effective_date(child, effective_date)
        _do_move(actor=actor, node=child, new_parent=into, effective_date=effective_date,
                 reason=_("Merged into %(name)s") % {"name": into.name})
    if isinstance(node, Unit):
        moved = node.people.update(unit=into)
        for party_org in node.party_orgs.filter(abolished_on=None).order_by("pk"):
            before = node_state(party_org)
            party_org.unit = into
            party_org.save(update_fields=["unit"])
            _record_change(actor=actor, node=party_org, kind=OrgChange.Kind.EDIT, effective_date=effective_date,
                           before=before, reason=_("Unit merged into %(name)s") % {"name": into.name})
    else:
        moved = node.memberships.update(party_org=into)
    _end(actor=actor, node=node, effective_date=effective_date,
         reason=reason or _("Merged into %(name)s; %(n)d people moved.") % {"name": into.name, "n": moved},
         kind=OrgChange.Kind.MERGE, merged_into=into)
    if isinstance(node, Unit):
        signals.units_merged.send(sender=Unit, actor=actor, unit=node, into=into, children=children)
    return node


# --- people -----------------------------------------------------------------------------------

def _person_scope(person):
    membership = getattr(person, "membership", None) if person.pk else None
    return {"unit": person.unit, "party_org": membership.party_org if membership else None}


def _validate_membership(person, party_org, actor, previous_party_org=None):
    # Keeping a member where they are needs no right over their org; putting them in one does.
    if party_org is not None and party_org != previous_party_org and not allows(actor, CHANGE, party_org):
        raise ValidationError({"party_org": _("No such Party organisation within your scope.")})
    if person.political_status in Person.PARTY_STATUSES and party_org is None:
        raise ValidationError({"party_org": _("A Party member must belong to a Party organisation.")})
    if party_org is not None and person.political_status not in Person.PARTY_STATUSES:
        raise ValidationError({"party_org": _("Only Party members belong to a Party organisation.")})
    if person.birth_date and person.birth_date > clock.today():
        raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})


def _save_membership(person, party_org, membership_fields):
    if party_org is None:
        PartyMembership.objects.filter(person=person).delete()
        return None
    membership, _created = PartyMembership.objects.update_or_create(
        person=person, defaults={"party_org": party_org, **membership_fields})
    membership.full_clean()
    return membership


def _person_state(person):
    state = audit.snapshot(person, PERSON_FIELDS)
    membership = PartyMembership.objects.filter(person=person).first()
    state.update(audit.snapshot(membership, MEMBERSHIP_FIELDS) if membership else {k: None for k in MEMBERSHIP_FIELDS})
    return state


@transaction.atomic
def person_create(*, actor, employee_no, name, unit, party_org=None, joined_on=None, confirmed_on=None,
                  party_post="", **fields) -> Person:
    if not allows(actor, CHANGE, unit):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    person = Person(employee_no=employee_no, name=name, unit=unit, **fields)
    person.full_clean()
    _validate_membership(person, party_org, actor)
    person.save()
    _save_membership(person, party_org, {"joined_on": joined_on, "confirmed_on": confirmed_on,
                                         "party_post": party_post})
    audit.record(actor=actor, action="person.create", obj=person, after=_person_state(person),
                 **_person_scope(person))
    _require(actor, CHANGE, person)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    _require(actor, CHANGE, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _person_state(person)
    membership_changes = {k: changes.pop(k) for k in list(changes) if k in MEMBERSHIP_FIELDS}
    if "unit" in changes and not allows(actor, CHANGE, changes["unit"]):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean()
    current = PartyMembership.objects.filter(person=person).first()
    membership = {k: getattr(current, k) for k in MEMBERSHIP_FIELDS} if current else {
        "party_org": None, "joined_on": None, "confirmed_on": None, "party_post": ""}
    membership.update(membership_changes)
    party_org = membership.pop("party_org")
    _validate_membership(person, party_org, actor, previous_party_org=current.party_org if current else None)
    person.save()
    _save_membership(person, party_org, membership)
    after = _person_state(person)
    if after != before:
        audit.record(actor=actor, action="person.update", obj=person, before=before, after=after,
                     **_person_scope(person))
    _require(actor, CHANGE, person)
    return person


# --- leadership positions -----------------------------------------------------------------------

@transaction.atomic
def position_assign(*, actor, person: Person, kind, title="", unit=None, party_org=None, sort_order=0) -> Position:
    target = unit or party_org
    if target is None or not allows(actor, CHANGE, target):
        raise ValidationError(_("No such organisation within your scope."))
    position = Position(person=person, kind=kind, title=title, unit=unit, party_org=party_org, sort_order=sort_order)
    position.full_clean()
    position.save()
    audit.record(actor=actor, action="position.assign", obj=position,
                 after=audit.snapshot(position, ["person", "kind", "title", "unit", "party_org"]),
                 unit=unit or party_org.unit, party_org=party_org)
    return position


@transaction.atomic
def position_remove(*, actor, position: Position) -> None:
    _require(actor, CHANGE, position)
    before = audit.snapshot(position, ["person", "kind", "title", "unit", "party_org"])
    audit.record(actor=actor, action="position.remove", obj=position, before=before,
                 unit=position.unit or position.party_org.unit, party_org=position.party_org)
    position.delete()
