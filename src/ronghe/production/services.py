"""Writes of production data: wells and unit plans, one transaction each, validated, audited and
kept within the actor's scope. Daily production is written only by the bulk importer
(daily_import); a well that changes unit has its unit-day totals moved with it."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.core import audit
from ronghe.core.errors import OutOfScope
from ronghe.core.scoping import CHANGE, allows
from ronghe.production import totals
from ronghe.production.models import UnitPlan, Well

WELL_FIELDS = ["code", "unit", "kind", "status", "block", "designed_on", "drilled_on", "producing_since"]
PLAN_FIELDS = ["unit", "year", "month", "oil_plan_t", "profit_plan", "profit_actual", "new_wells_plan"]
PLAN_VALUES = PLAN_FIELDS[3:]


def _unit_in_scope(actor, unit):
    if unit is None or not allows(actor, CHANGE, unit):
        raise ValidationError({"unit": _("No such unit within your scope.")})


@transaction.atomic
def well_create(*, actor, code, unit, kind=Well.Kind.OIL, status=Well.Status.OPEN, block="", designed_on=None,
                drilled_on=None, producing_since=None) -> Well:
    _unit_in_scope(actor, unit)
    well = Well(code=code.strip(), unit=unit, kind=kind, status=status, block=block, designed_on=designed_on,
                drilled_on=drilled_on, producing_since=producing_since)
    well.full_clean()
    well.save()
    audit.record(actor=actor, action="well.create", obj=well, after=audit.snapshot(well, WELL_FIELDS), unit=unit)
    return well


@transaction.atomic
def well_update(*, actor, well, **changes) -> Well:
    """Change a well's fields; a new unit must be one the actor may change too. Moving a well
    moves its production in the unit-day totals of both units' subtrees."""
    well = Well.objects.select_for_update().select_related("unit").get(pk=well.pk)
    if not allows(actor, CHANGE, well):
        raise OutOfScope()
    unknown = set(changes) - set(WELL_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(unknown)})
    before = audit.snapshot(well, WELL_FIELDS)
    old_unit = well.unit
    if "unit" in changes and changes["unit"] != old_unit:
        _unit_in_scope(actor, changes["unit"])
    for name, value in changes.items():
        setattr(well, name, value.strip() if name == "code" and isinstance(value, str) else value)
    well.full_clean()
    well.save(update_fields=list(changes) or None)
    after = audit.snapshot(well, WELL_FIELDS)
    if after == before:
        return well
    if not allows(actor, CHANGE, well):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    if well.unit_id != old_unit.pk:
        totals.refresh_for_move([well.pk], old_unit, well.unit)
    audit.record(actor=actor, action="well.update", obj=well, before=before, after=after, unit=well.unit)
    return well


@transaction.atomic
def unit_plan_save(*, actor, unit, year, month=0, **values) -> UnitPlan:
    """Create or change the plan of a unit for a year (month 0) or one of its months."""
    _unit_in_scope(actor, unit)
    unknown = set(values) - set(PLAN_VALUES)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(unknown)})
    plan = UnitPlan.objects.select_for_update().filter(unit=unit, year=year, month=month).first()
    before = audit.snapshot(plan, PLAN_FIELDS) if plan else None
    if plan is None:
        plan = UnitPlan(unit=unit, year=year, month=month)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    after = audit.snapshot(plan, PLAN_FIELDS)
    if after != before:
        audit.record(actor=actor, action="unit_plan.create" if before is None else "unit_plan.update", obj=plan,
                     before=before, after=after, unit=unit)
    return plan
