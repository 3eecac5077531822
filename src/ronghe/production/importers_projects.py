"""The measures sheet (措施表): 井号*, 措施类型*, 计划月份*, 实施日期, 计划增油(t), 费用(万元), 项目组.

A row is keyed by (井号, 措施类型, 计划月份): when the well has a measure of that type planned for
that month, the row updates it (its done date, plan, cost and group; only columns present in the
file are written); otherwise it creates one. So an exported sheet re-imports unchanged, and a
sheet of planned measures imported again later with 实施日期 filled in records them as done.

计划月份 is written 2026-03, 2026年3月 or as any date of the month. 项目组 names a project group
of the well's unit (or a unit above it) for the planned month's year. Every well must lie within
the importer's scope (IMPORT), like every measure the file changes; 实施日期 may not be in the
future nor before the well was put on production."""
import datetime as dt
import re
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core import clock
from ronghe.core.tabular import CHOICE, DATE, DECIMAL, TEXT, CellError, Column, Importer, register
from ronghe.core.tabular.bulk import update_by_pk
from ronghe.core.tabular.columns import parse_date
from ronghe.production.importers import Reach
from ronghe.production.models import Measure, ProjectGroup, Well

KIND_CHOICES = (
    ("fracturing", "压裂", "fracturing"), ("acidizing", "酸化", "acidizing"), ("perforation", "补孔", "perforation"),
    ("workover", "大修", "workover"), ("pump_change", "换泵", "pump change"), ("parameters", "调参", "parameters"),
    ("other", "其他", "other"),
)
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?\s*$")
UPDATED = ("done_on", "planned_increment_t", "cost", "group_id")


def parse_month(raw) -> dt.date:
    """2026-03, 2026/3, 2026年3月 or any date of the month → the month's first day."""
    if isinstance(raw, (dt.date, dt.datetime)):
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        return day.replace(day=1)
    match = _MONTH.match(str(raw))
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
        raise CellError(_("Not a month; write it as 2026-03."))
    try:
        return parse_date(raw).replace(day=1)
    except CellError:
        raise CellError(_("Not a month; write it as 2026-03.")) from None


def month_cell(value: dt.date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


@register
class MeasureImporter(Importer):
    kind = "measures"
    title = gettext_lazy("Measures (措施)")
    sheet_title = "措施"
    audit_object_type = "production.measure"
    columns = [
        Column("well", "井号", ("well", "well_code"), required=True, max_length=40, example="CY1-001",
               help=gettext_lazy("Number of a well within your scope.")),
        Column("kind", "措施类型", ("kind", "type"), CHOICE, required=True, choices=KIND_CHOICES, example="压裂"),
        Column("planned_month", "计划月份", ("planned_month", "month"), TEXT, required=True, example="2026-03",
               help=gettext_lazy("The month the measure is planned for: 2026-03 or 2026年3月.")),
        Column("done_on", "实施日期", ("done_on", "done"), DATE, example="2026-03-18",
               help=gettext_lazy("The day it was done; empty while it is only planned.")),
        Column("planned_increment_t", "计划增油(t)", ("planned_increment_t", "计划增油"), DECIMAL, min_value=0,
               example=300),
        Column("cost", "费用(万元)", ("cost", "费用"), DECIMAL, min_value=0, example=45),
        Column("group", "项目组", ("group", "project_group"), TEXT, max_length=120,
               help=gettext_lazy("Name of a project group of the well's unit for that year.")),
    ]

    def validate(self, records):
        reach = Reach(self.actor)
        codes = {r["well"] for r in records if r.ok("well") and r["well"]}
        wells = {w.code: w for w in Well.objects.filter(code__in=codes).select_related("unit")}
        groups = defaultdict(list)
        for group in ProjectGroup.objects.filter(name__in={r["group"] for r in records if r["group"]}).select_related(
                "unit"):
            groups[(group.name, group.year)].append(group)
        today = clock.today()
        parsed = []
        for record in records:
            well = wells.get(record["well"]) if record.ok("well") else None
            if record.ok("well") and (well is None or not reach.unit(well.unit)):
                self.error(record, "well", _("No well “%(code)s” within your scope.") % {"code": record["well"]})
                well = None
            month = None
            if record.ok("planned_month"):
                try:
                    month = parse_month(record["planned_month"])
                except CellError as exc:
                    self.error(record, "planned_month", str(exc))
            done_on = record["done_on"] if record.ok("done_on") else None
            if done_on and done_on > today:
                self.error(record, "done_on", _("The date cannot be in the future."))
            if done_on and well and well.producing_since and done_on < well.producing_since:
                self.error(record, "done_on", _("A measure cannot be done before the well was put on production."))
            group = None
            if record["group"] and well and month:
                found = [g for g in groups[(record["group"], month.year)] if well.unit.path.startswith(g.unit.path)]
                if len(found) != 1:
                    self.error(record, "group", _("No single project group “%(name)s” of the well's unit in "
                                                  "%(year)d.") % {"name": record["group"], "year": month.year})
                else:
                    group = found[0]
            if well and month and record.ok("kind"):
                parsed.append((record, well, month, group))
        keys = {(w.pk, r["kind"], m) for r, w, m, _g in parsed}
        existing = {}
        for measure in Measure.objects.filter(well__in={w for _r, w, _m, _g in parsed}).select_related("well__unit"):
            key = (measure.well_id, measure.kind, measure.planned_month)
            if key in keys:
                existing.setdefault(key, measure)
        seen = {}
        self.rows = []
        for record, well, month, group in parsed:
            key = (well.pk, record["kind"], month)
            if key in seen:
                self.error(record, "planned_month", _("The same well, type and month appear more than once in the "
                                                      "file (also row %(row)d).") % {"row": seen[key]})
                continue
            seen[key] = record.row
            measure = existing.get(key)
            before = None if measure is None else tuple(getattr(measure, n) for n in UPDATED)
            measure = measure or Measure(well=well, kind=record["kind"], planned_month=month)
            if self.has("done_on") and record.ok("done_on"):
                measure.done_on = record["done_on"]
            for name in ("planned_increment_t", "cost"):
                if self.has(name) and record.ok(name):
                    setattr(measure, name, float(record[name]) if record[name] is not None else None)
            if self.has("group"):
                measure.group = group
            self.rows.append((measure, before))

    def save(self, records):
        new = [m for m, before in self.rows if before is None]
        changed = [m for m, before in self.rows
                   if before is not None and before != tuple(getattr(m, n) for n in UPDATED)]
        Measure.objects.bulk_create(new, batch_size=2000)
        update_by_pk(Measure, changed, list(UPDATED))
        return {"created": len(new), "updated": len(changed), "unchanged": len(self.rows) - len(new) - len(changed)}
