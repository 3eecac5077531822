"""Writes of the project groups (上产项目组) and their measures (措施): one transaction each,
validated, audited, and checked against the actor's scope before and after the change."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ronghe.core import audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.scoping import CHANGE, VIEW, allows
from ronghe.org.models import Person, Position, Unit
from ronghe.production.models import Measure, ProjectGroup, Well

GROUP_FIELDS = ["name", "unit", "leader", "year", "target_measures", "target_increment_t", "targets"]
MEASURE_FIELDS = ["group", "well", "kind", "planned_month", "done_on", "planned_increment_t", "cost",
                  "validity_days", "note"]


def is_unit_leader(person, unit) -> bool:
    """Whether `person` holds a leadership position in `unit` or in a Party organisation
    attached to it (the plant's 班子成员)."""
    return Position.objects.filter(Q(unit=unit) | Q(party_org__unit=unit), person=person).exists()


# --- lookups of what forms and the API send: codes and ids, each resolved within the actor's scope and
# an unknown one refused on the field that named it, in the actor's language ---------------------------

def unit_by_code(actor, code, field="unit") -> Unit:
    """The current unit of this code that the actor may change."""
    code = (code or "").strip()
    unit = Unit.objects.restrict(actor, CHANGE).filter(code=code, abolished_on=None).first() if code else None
    if unit is None:
        raise ValidationError({field: _("No unit with code “%(code)s” within your scope.") % {"code": code}})
    return unit


def group_by_id(actor, group_id, field="group") -> ProjectGroup | None:
    """The project group of this id the actor may see; None for none."""
    if group_id in (None, ""):
        return None
    try:
        group = ProjectGroup.objects.restrict(actor, VIEW).select_related("unit").filter(pk=int(group_id)).first()
    except (TypeError, ValueError):
        group = None
    if group is None:
        raise ValidationError({field: _("No project group %(id)s within your scope.") % {"id": group_id}})
    return group


def people_by_numbers(actor, numbers, field="members") -> list:
    """The people of these employee numbers within the actor's scope, in the order given, once
    each; a number nobody in scope has is an error on `field`."""
    numbers = list(dict.fromkeys(n.strip() for n in numbers if n and n.strip()))
    found = {p.employee_no: p for p in Person.objects.restrict(actor, VIEW).filter(employee_no__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationError({field: _("No such person within your scope: %(codes)s") % {"codes": "、".join(missing)}})
    return [found[n] for n in numbers]


def person_by_number(actor, number, field="leader") -> Person:
    """The one person of this employee number within the actor's scope."""
    found = people_by_numbers(actor, [number or ""], field)
    if not found:
        raise ValidationError({field: _("A value is required.")})
    return found[0]


def wells_by_codes(actor, codes, field="wells") -> list:
    """The wells of these 井号 within the actor's scope, in the order given, once each."""
    codes = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    found = {w.code: w for w in Well.objects.restrict(actor, VIEW).select_related("unit").filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({field: _("No such well within your scope: %(codes)s") % {"codes": "、".join(missing)}})
    return [found[c] for c in codes]


def well_by_code(actor, code, field="well") -> Well:
    """The one well of this 井号 within the actor's scope."""
    found = wells_by_codes(actor, [code or ""], field)
    if not found:
        raise ValidationError({field: _("A value is required.")})
    return found[0]


def _group_after(group) -> dict:
    return {**audit.snapshot(group, GROUP_FIELDS),
            "members": sorted(group.members.values_list("employee_no", flat=True)),
            "wells": sorted(group.wells.values_list("code", flat=True))}


def _check_group(actor, group, members, wells):
    if not allows(actor, CHANGE, group.unit):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    if group.leader_id and not is_unit_leader(group.leader, group.unit):
        raise ValidationError({"leader": _("The leader must be a member of the unit's leadership.")})
    if ProjectGroup.objects.filter(unit=group.unit, year=group.year, name=group.name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("The unit already has a project group of this name in that year.")})
    if members is not None:
        visible = set(Person.objects.restrict(actor, VIEW).filter(pk__in=[p.pk for p in members])
                      .values_list("pk", flat=True))
        if any(p.pk not in visible for p in members):
            raise ValidationError({"members": _("No such person within your scope.")})
    if wells is not None:
        outside = [w.code for w in wells if not w.unit.path.startswith(group.unit.path)]
        if outside:
            raise ValidationError({"wells": _("These wells are not produced by the group's unit: %(wells)s")
                                   % {"wells": "、".join(outside)}})


@transaction.atomic
def project_group_create(*, actor, unit, name, leader, year, members=(), wells=(), target_measures=None,
                         target_increment_t=None, targets="") -> ProjectGroup:
    group = ProjectGroup(unit=unit, name=name, leader=leader, year=year, target_measures=target_measures,
                         target_increment_t=target_increment_t, targets=targets)
    members, wells = list(members), list(wells)
    _check_group(actor, group, members, wells)
    group.full_clean()
    group.save()
    group.members.set(members)
    group.wells.set(wells)
    audit.record(actor=actor, action="project_group.create", obj=group, after=_group_after(group), unit=unit)
    return group


@transaction.atomic
def project_group_update(*, actor, group, members=None, wells=None, **changes) -> ProjectGroup:
    """Change the group's fields; `members`, when given, are the members the actor may see (any
    the actor may not see stay), `wells` all its wells."""
    group = ProjectGroup.objects.select_for_update().select_related("unit", "leader").get(pk=group.pk)
    if not allows(actor, CHANGE, group.unit):
        raise OutOfScope()
    unknown = set(changes) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = _group_after(group)
    for name, value in changes.items():
        setattr(group, name, value)
    members = list(members) if members is not None else None
    wells = list(wells) if wells is not None else (list(group.wells.select_related("unit")) if "unit" in changes
                                                     else None)
    _check_group(actor, group, members, wells)
    group.full_clean()
    group.save()
    if members is not None:
        # Members the actor may not see were neither shown to them nor theirs to remove.
        unseen = group.members.exclude(pk__in=Person.objects.restrict(actor, VIEW).values("pk"))
        group.members.set([*members, *unseen])
    if wells is not None:
        group.wells.set(wells)
    audit.record(actor=actor, action="project_group.update", obj=group, before=before, after=_group_after(group),
                 unit=group.unit)
    return group


@transaction.atomic
def project_group_delete(*, actor, group) -> None:
    """Only a group without measures goes; one with measures keeps its history."""
    if not allows(actor, CHANGE, group.unit):
        raise OutOfScope()
    if group.measures.exists():
        raise ValidationError({"measures": _(
            "A group with measures cannot be deleted; move or delete its measures first.")})
    audit.record(actor=actor, action="project_group.delete", obj=group, before=_group_after(group), unit=group.unit)
    group.delete()


def _check_measure(actor, measure):
    well = Well.objects.select_related("unit").get(pk=measure.well_id)
    if not allows(actor, CHANGE, well):
        raise ValidationError({"well": _("No such well within your scope.")})
    if measure.group_id:
        group = ProjectGroup.objects.select_related("unit").get(pk=measure.group_id)
        if not allows(actor, VIEW, group):
            raise ValidationError({"group": _("No such project group within your scope.")})
        if not well.unit.path.startswith(group.unit.path):
            raise ValidationError({"well": _("The well is not produced by the group's unit.")})
    if measure.done_on:
        if measure.done_on > clock.today():
            raise ValidationError({"done_on": _("The date cannot be in the future.")})
        if well.producing_since and measure.done_on < well.producing_since:
            raise ValidationError({"done_on": _("A measure cannot be done before the well was put on production.")})
    return well


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def measure_create(*, actor, well, kind, planned_month, group=None, done_on=None, planned_increment_t=None,
                   cost=None, validity_days=365, note="") -> Measure:
    measure = Measure(well=well, kind=kind, planned_month=first_of_month(planned_month), group=group,
                      done_on=done_on, planned_increment_t=planned_increment_t, cost=cost,
                      validity_days=validity_days, note=note)
    well = _check_measure(actor, measure)
    measure.full_clean()
    measure.save()
    audit.record(actor=actor, action="measure.create", obj=measure, after=audit.snapshot(measure, MEASURE_FIELDS),
                 unit=well.unit)
    return measure


@transaction.atomic
def measure_update(*, actor, measure, **changes) -> Measure:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if not allows(actor, CHANGE, measure):
        raise OutOfScope()
    unknown = set(changes) - set(MEASURE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = audit.snapshot(measure, MEASURE_FIELDS)
    for name, value in changes.items():
        setattr(measure, name, first_of_month(value) if name == "planned_month" and value else value)
    well = _check_measure(actor, measure)
    measure.full_clean()
    measure.save()
    audit.record(actor=actor, action="measure.update", obj=measure, before=before,
                 after=audit.snapshot(measure, MEASURE_FIELDS), unit=well.unit)
    return measure


@transaction.atomic
def measure_delete(*, actor, measure) -> None:
    if not allows(actor, CHANGE, measure):
        raise OutOfScope()
    audit.record(actor=actor, action="measure.delete", obj=measure, before=audit.snapshot(measure, MEASURE_FIELDS),
                 unit=measure.well.unit)
    measure.delete()
