"""Spreadsheet importers of production data: wells (油井) and unit plans (产量/利润计划). Daily
production, at millions of rows, has its own streaming importer (daily_import).

Wells are keyed by 井号, plans by (单位编码, 年度, 月份): a row whose key exists updates it,
otherwise it creates one. Only columns present in the file are written. Every unit named must
lie within the importer's scope, and so must every well updated."""
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core.scoping import IMPORT, scope_for
from ronghe.core.tabular import CHOICE, DATE, DECIMAL, INT, Column, Importer, register
from ronghe.core.tabular.bulk import update_by_pk
from ronghe.org.models import Unit
from ronghe.production import totals
from ronghe.production.models import UnitPlan, Well


class Reach:
    """The actor's IMPORT scope, checked in memory; no actor (a command without --user) is the
    system itself, unrestricted."""

    def __init__(self, actor):
        scope = None if actor is None else scope_for(actor, IMPORT)
        self.scope = scope
        self.everything = scope is None or scope.everything

    def unit(self, unit) -> bool:
        if self.everything:
            return True
        return unit.pk in self.scope.unit_ids or any(unit.path.startswith(p) for p in self.scope.unit_paths)


def _units_by_code(records, key):
    codes = {r[key] for r in records if r.ok(key) and r[key]}
    return {u.code: u for u in Unit.objects.filter(code__in=codes)}


def _audit_unit(units):
    """The lowest unit above every unit the batch touched."""
    paths = [u.path.strip("/").split("/") for u in units]
    common = None
    for segments in zip(*paths, strict=False):
        if len(set(segments)) != 1:
            break
        common = segments[0]
    return Unit.objects.filter(pk=int(common)).first() if common else None


WELL_KINDS = (("oil", "油井", "oil well"), ("gas", "气井", "gas well"), ("injection", "注水井", "injection well"))
WELL_STATUSES = (("open", "开井", "producing"), ("shut", "关井", "shut in"), ("abandoned", "报废", "abandoned"))
WELL_DATES = ("producing_since", "designed_on", "drilled_on")


@register
class WellImporter(Importer):
    kind = "wells"
    title = gettext_lazy("Wells (油井)")
    sheet_title = "油井"
    key = "code"
    audit_object_type = "production.well"
    columns = [
        Column("code", "井号", ("well", "code", "well_code"), required=True, max_length=40, example="LH-1-101",
               help=gettext_lazy("The well's number, unique in the company.")),
        Column("unit", "单位编码", ("unit", "unit_code"), required=True, max_length=64, example="XLT-Z1-B1",
               help=gettext_lazy("Code of the unit (team or plant) producing the well; within your scope.")),
        Column("kind", "井别", ("kind", "type"), CHOICE, choices=WELL_KINDS, example="油井",
               help=gettext_lazy("油井, 气井 or 注水井; 油井 when empty.")),
        Column("status", "状态", ("status",), CHOICE, choices=WELL_STATUSES, example="开井",
               help=gettext_lazy("开井, 关井 or 报废; 开井 when empty.")),
        Column("producing_since", "投产日期", ("producing_since", "put on production"), DATE, example="2026-03-05",
               help=gettext_lazy("The day the well was put on production; a well is new in that year.")),
        Column("designed_on", "设计日期", ("designed_on",), DATE, example="2025-10-08"),
        Column("drilled_on", "完钻日期", ("drilled_on",), DATE, example="2026-01-20"),
        Column("block", "区块", ("block",), max_length=60, example="兴隆台"),
    ]

    def validate(self, records):
        self.reach = Reach(self.actor)
        self.units = _units_by_code(records, "unit")
        codes = [r["code"] for r in records if r.ok("code") and r["code"]]
        self.existing = {w.code: w for w in Well.objects.filter(code__in=codes).select_related("unit")}
        self.rows = []
        for record in records:
            code = record["code"]
            unit = None
            if record.ok("unit") and record["unit"]:
                unit = self.units.get(record["unit"])
                if unit is None or not self.reach.unit(unit):
                    self.error(record, "unit", _("No unit “%(code)s” within your scope.") % {"code": record["unit"]})
                    unit = None
            if not record.ok("code") or not code:
                continue
            well = self.existing.get(code)
            if well is not None and not self.reach.unit(well.unit):
                self.error(record, "code", _("Well “%(code)s” belongs to a unit outside your scope.") % {"code": code})
                continue
            if unit is None:
                continue
            old_unit = well.unit if well is not None else None
            before = None if well is None else {name: getattr(well, name) for name in self.fields()}
            well = well or Well(code=code)
            well.unit = unit
            for key in self.fields():
                if key != "unit" and self.has(key) and record.ok(key):
                    value = record[key]
                    if key in ("kind", "status") and not value:
                        value = Well._meta.get_field(key).default
                    setattr(well, key, value)
            try:
                well.full_clean(validate_unique=False)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.error(record, field if field in self._by_key else "", " ".join(messages))
                continue
            self.rows.append((well, before, old_unit))

    @staticmethod
    def fields():
        return ["unit", "kind", "status", "block", *WELL_DATES]

    def save(self, records):
        new = [well for well, before, _old in self.rows if before is None]
        changed = [(well, old) for well, before, old in self.rows
                   if before is not None and before != {n: getattr(well, n) for n in self.fields()}]
        Well.objects.bulk_create(new, batch_size=2000)
        update_by_pk(Well, [w for w, _old in changed], self.fields())
        moves = defaultdict(list)
        for well, old in changed:
            if old.pk != well.unit_id:
                moves[(old, well.unit)].append(well.pk)
        for (old, new_unit), ids in moves.items():
            totals.refresh_for_move(ids, old, new_unit)
        return {"created": len(new), "updated": len(changed), "unchanged": len(self.rows) - len(new) - len(changed)}

    def audit_scope(self):
        units = {well.unit for well, _before, _old in self.rows}
        return {"unit": _audit_unit(units)} if units else {}


def _month(value):
    if value is not None and not 0 <= value <= 12:
        raise ValidationError(_("A month from 1 to 12, or 0 (or empty) for the whole year."))


PLAN_VALUES = ("oil_plan_t", "profit_plan", "profit_actual", "new_wells_plan")


@register
class UnitPlanImporter(Importer):
    kind = "unit_plans"
    title = gettext_lazy("Unit plans (产量/利润计划)")
    sheet_title = "计划"
    audit_object_type = "production.unitplan"
    columns = [
        Column("unit", "单位编码", ("unit", "unit_code"), required=True, max_length=64, example="XLT",
               help=gettext_lazy("Code of the unit the plan is for; within your scope.")),
        Column("year", "年度", ("year",), INT, required=True, min_value=2000, example=2026),
        Column("month", "月份", ("month",), INT, validators=(_month,), example=0,
               help=gettext_lazy("1 to 12 for a month; 0 or empty for the whole year (全年).")),
        Column("oil_plan_t", "原油计划(t)", ("oil_plan", "oil_plan_t", "原油计划"), DECIMAL, min_value=0,
               example=120000),
        Column("profit_plan", "利润计划(万元)", ("profit_plan", "利润计划"), DECIMAL, example=35000),
        Column("profit_actual", "利润实际(万元)", ("profit_actual", "利润实际"), DECIMAL,
               help=gettext_lazy("Actual profit of a past month (or year).")),
        Column("new_wells_plan", "新井计划(口)", ("new_wells_plan", "新井计划"), INT, min_value=0, example=90),
    ]

    def validate(self, records):
        reach = Reach(self.actor)
        self.units = _units_by_code(records, "unit")
        seen, keys = {}, []
        for record in records:
            unit = None
            if record.ok("unit") and record["unit"]:
                unit = self.units.get(record["unit"])
                if unit is None or not reach.unit(unit):
                    self.error(record, "unit", _("No unit “%(code)s” within your scope.") % {"code": record["unit"]})
                    unit = None
            if unit is None or not record.ok("year", "month"):
                continue
            key = (unit.pk, record["year"], record["month"] or 0)
            if key in seen:
                self.error(record, "month", _("The same unit, year and month appear more than once in the file "
                                              "(also row %(row)d).") % {"row": seen[key]})
                continue
            seen[key] = record.row
            keys.append((record, unit, key))
        years = {k[1] for _r, _u, k in keys}
        existing = {(p.unit_id, p.year, p.month): p for p in UnitPlan.objects.filter(
            unit__in={u for _r, u, _k in keys}, year__in=years)}
        self.rows = []
        for record, unit, key in keys:
            plan = existing.get(key)
            before = None if plan is None else {n: getattr(plan, n) for n in PLAN_VALUES}
            plan = plan or UnitPlan(unit=unit, year=key[1], month=key[2])
            for name in PLAN_VALUES:
                if self.has(name) and record.ok(name):
                    value = record[name]
                    setattr(plan, name, float(value) if value is not None and name != "new_wells_plan" else value)
            self.rows.append((plan, before))

    def save(self, records):
        new = [plan for plan, before in self.rows if before is None]
        changed = [plan for plan, before in self.rows
                   if before is not None and before != {n: getattr(plan, n) for n in PLAN_VALUES}]
        UnitPlan.objects.bulk_create(new, batch_size=2000)
        update_by_pk(UnitPlan, changed, list(PLAN_VALUES))
        return {"created": len(new), "updated": len(changed), "unchanged": len(self.rows) - len(new) - len(changed)}

    def audit_scope(self):
        units = {plan.unit for plan, _before in self.rows}
        return {"unit": _audit_unit(units)} if units else {}
