"""The demo's project groups (上产项目组) and measures (措施): 茨榆坨采油厂 set up eight groups this
year, each led by a member of the plant's leadership, the Party secretary's among them. Their
measures run month by month through the year; last year's measures, before the groups, belong to
no group. Loaded after the production demo, whose wells and daily rows the measures' incremental
oil is computed from.

The report's figures come out of the data: by 30 June (or today, earlier in the year) the
secretary's group has done 39 fewer operations (井次) than it planned, and its measures have
added 6,400 t more oil than planned. The done measures and their dates are generated; their
actual increments are then computed from the wells' daily rows by the rule every page uses
(rules.measure_increment), and the planned increments are set, measure by measure, to the sizes
the plant would have planned, scaled so that the group's plan to date falls 6,400 t short of what
it achieved. Measures go in through the measures importer, as a plant would load them."""
import datetime as dt
import time
from dataclasses import dataclass, field
from random import Random

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ronghe.core import clock
from ronghe.org.demo.loader import system_actor
from ronghe.org.models import Person, Position, Unit
from ronghe.production import selectors, services_projects
from ronghe.production.importers_projects import MeasureImporter, month_cell
from ronghe.production.models import Measure, ProjectGroup, Well

SEED = 2026
PLANT_CODE = "CYT"  # 茨榆坨采油厂, the plant of the report
FEWER_OPERATIONS = 39
MORE_OIL_T = 6400
GROUP_NAMES = ["稠油热采上产项目组", "老井挖潜项目组", "新井投产上产项目组", "压裂增油项目组", "注水提效项目组",
               "低产低效井治理项目组", "长停井恢复项目组", "躺井治理项目组"]
# type: (label in the sheet, typical planned increment t, cost range 万元, share of the measures)
KINDS = {
    "fracturing": ("压裂", 420, (60, 120), 0.18),
    "acidizing": ("酸化", 160, (15, 30), 0.17),
    "perforation": ("补孔", 220, (10, 20), 0.15),
    "workover": ("大修", 260, (30, 60), 0.12),
    "pump_change": ("换泵", 90, (5, 10), 0.2),
    "parameters": ("调参", 50, (0.5, 2), 0.18),
}
MEASURES_PER_GROUP_MONTH = (3, 6)
SECRETARY_MONTHLY = 16  # the secretary's group plans this many a month, enough for 39 to fall behind


@dataclass
class ProjectsDemoReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def report_day(today: dt.date) -> dt.date:
    """The day the report's half-year figures are read: 30 June, or today earlier in the year."""
    return min(today, dt.date(today.year, 6, 30))


def load_projects_demo() -> ProjectsDemoReport:
    """Idempotent: nothing happens when the groups are there, or when the plant has no wells."""
    plant = Unit.objects.filter(code=PLANT_CODE, abolished_on=None).first()
    if plant is None or not Well.objects.filter(unit__path__startswith=plant.path, daily__isnull=False).exists():
        return ProjectsDemoReport(False, _("The production demo is not loaded, so neither are its project groups."))
    today = clock.today()
    if ProjectGroup.objects.filter(unit=plant, year=today.year).exists():
        return ProjectsDemoReport(False, _("The project groups demo is already loaded; nothing changed."))
    started = time.monotonic()
    with transaction.atomic():
        _Projects(system_actor(), plant, today).load()
    counts = {"project_groups": ProjectGroup.objects.count(), "measures": Measure.objects.count()}
    return ProjectsDemoReport(True, _("The project groups demo is loaded."), counts, time.monotonic() - started)


class _Projects:
    def __init__(self, actor, plant, today):
        self.actor, self.plant, self.today = actor, plant, today
        self.rng = Random(SEED)
        self.year = today.year

    def load(self):
        wells = list(Well.objects.filter(unit__path__startswith=self.plant.path, kind=Well.Kind.OIL,
                                         status=Well.Status.OPEN, producing_since__lt=dt.date(self.year - 1, 1, 1))
                     .select_related("unit").order_by("code"))
        groups = self.groups(wells)
        rows = self.measures(groups, wells)
        self.import_rows(rows)
        self.plan_increments(groups, rows)
        self.import_rows(rows)

    def leaders(self):
        """The plant's leadership: its head and deputies, its Party committee's secretaries."""
        positions = (Position.objects.filter(Q(unit=self.plant) | Q(party_org__unit=self.plant))
                     .select_related("person").order_by("sort_order", "id"))
        secretary = [p.person for p in positions if p.kind == Position.Kind.SECRETARY][:1]
        people = list(dict.fromkeys([*secretary, *(p.person for p in positions)]))
        if not people:
            raise ValueError(f"{self.plant} has no leadership to lead the project groups")
        return people

    def groups(self, wells):
        leaders = self.leaders()
        staff = list(Person.objects.filter(unit__path__startswith=self.plant.path, is_active=True)
                     .exclude(pk__in=[p.pk for p in leaders]).order_by("employee_no")[:200])
        share = max(1, len(wells) // len(GROUP_NAMES))
        out = []
        for index, name in enumerate(GROUP_NAMES):
            leader = leaders[index % len(leaders)]
            members = self.rng.sample(staff, min(len(staff), self.rng.randint(4, 7)))
            own = wells[index * share:(index + 1) * share] or wells
            out.append(services_projects.project_group_create(
                actor=self.actor, unit=self.plant, name=name, leader=leader, year=self.year, members=members,
                wells=own, targets=_("Led by %(leader)s; measures on %(n)d wells.") % {"leader": leader.name,
                                                                                      "n": len(own)}))
        return out

    def measures(self, groups, wells) -> list[dict]:
        """Rows of the measures sheet: this year's per group and month, last year's without a group.
        The first group is the secretary's; by the report day it has done 39 fewer than planned."""
        rng, today, cut = self.rng, self.today, report_day(self.today)
        rows, used = [], set()
        kinds = list(KINDS)
        weights = [KINDS[k][3] for k in kinds]

        def add(group, well_pool, month, done_on, fixed_well=None, fixed_kind=None) -> bool:
            for _attempt in range(20):
                well = fixed_well or rng.choice(well_pool)
                kind = fixed_kind or rng.choices(kinds, weights)[0]
                if (well.code, kind, month) not in used:
                    used.add((well.code, kind, month))
                    low, high = KINDS[kind][2]
                    rows.append({"well": well, "kind": kind, "month": month, "done_on": done_on, "group": group,
                                 "cost": round(rng.uniform(low, high), 1)})
                    return True
            return False

        def done_day(month, latest):
            day = month + dt.timedelta(days=rng.randint(3, 27))
            return day if day <= latest and day >= month else None

        for number, group in enumerate(groups):
            pool = list(group.wells.all().select_related("unit")) or wells
            for m in range(1, 13):
                month = dt.date(self.year, m, 1)
                if month > today:
                    break
                count = SECRETARY_MONTHLY if number == 0 else rng.randint(*MEASURES_PER_GROUP_MONTH)
                for _n in range(count):
                    add(group, pool, month, done_day(month, today - dt.timedelta(days=1)))
        # The secretary's group fractures this year's new wells as they are put on production
        # (压裂投产): with no producing day before, all their oil is the measures' (rules).
        for well in Well.objects.filter(unit__path__startswith=self.plant.path, kind=Well.Kind.OIL,
                                        producing_since__gte=dt.date(self.year, 1, 1),
                                        producing_since__lt=cut).order_by("code"):
            if add(groups[0], None, well.producing_since.replace(day=1), well.producing_since, well, "fracturing"):
                rows[-1]["on_start"] = True
        self._fall_behind([r for r in rows if r["group"] == groups[0] and not r.get("on_start")], cut)
        for m in range(1, 13):
            month = dt.date(self.year - 1, m, 1)
            for _n in range(rng.randint(8, 14)):
                add(None, wells, month, done_day(month, dt.date(self.year - 1, 12, 31)))
        return rows

    def _fall_behind(self, rows, cut):
        """Of the secretary's measures planned by the report day, exactly 39 are not done by then:
        the latest planned ones wait (done after it, when today allows, or not yet)."""
        planned = sorted((r for r in rows if r["month"] <= cut), key=lambda r: (r["month"], r["well"].code, r["kind"]))
        behind = planned[-FEWER_OPERATIONS:]
        for row in planned:
            if row not in behind and (row["done_on"] is None or row["done_on"] > cut):
                row["done_on"] = min(cut, row["month"] + dt.timedelta(days=self.rng.randint(2, 20)))
        for row in behind:
            later = cut + dt.timedelta(days=self.rng.randint(5, 60))
            row["done_on"] = later if later < self.today else None

    def plan_increments(self, groups, rows):
        """The planned increment of each measure: its type's typical size, scaled per group so the
        plan is near what was achieved; for the secretary's group, so that by the report day the
        measures' actual oil exceeds the plan by 6,400 t."""
        by_key = {(m.well_id, m.kind, m.planned_month): m for m in Measure.objects.filter(
            well__unit__path__startswith=self.plant.path)}
        measures = [by_key[(r["well"].pk, r["kind"], r["month"])] for r in rows]
        cut = report_day(self.today)
        at_cut = selectors.increments(measures, cut)
        now = selectors.increments(measures, self.today)
        for group in [*groups, None]:
            members = [(r, m) for r, m in zip(rows, measures, strict=True) if r["group"] == group]
            typical = {id(r): KINDS[r["kind"]][1] * self.rng.uniform(0.8, 1.2) for r, _m in members}
            if group == groups[0]:
                planned = [(r, m) for r, m in members if r["month"] <= cut]
                achieved = sum(at_cut[m.pk].increment_t for _r, m in planned if at_cut[m.pk])
                target = achieved - MORE_OIL_T
                if target > len(planned):
                    _share(planned, typical, target, exact=True)
                else:  # too little oil in the data for the report's figure: plan by the types' sizes
                    _share(planned, typical, sum(typical[id(r)] for r, _m in planned))
                later = [(r, m) for r, m in members if r["month"] > cut]
                _share(later, typical, sum(typical[id(r)] for r, _m in later))
            else:
                achieved = sum(now[m.pk].increment_t for _r, m in members if now[m.pk])
                scale = self.rng.uniform(0.85, 1.1) * max(achieved, 0) / (sum(typical.values()) or 1)
                _share(members, typical, sum(typical.values()) * scale if scale else sum(typical.values()))
        for group in groups:
            mine = [r for r in rows if r["group"] == group]
            services_projects.project_group_update(
                actor=self.actor, group=group, target_measures=len(mine),
                target_increment_t=round(sum(r["planned"] for r in mine), -1))

    def import_rows(self, rows):
        sheet = [{"井号": r["well"].code, "措施类型": KINDS[r["kind"]][0], "计划月份": month_cell(r["month"]),
                  "实施日期": r["done_on"], "计划增油(t)": r.get("planned"), "费用(万元)": r["cost"],
                  "项目组": r["group"].name if r["group"] else ""} for r in rows]
        result = MeasureImporter(actor=self.actor).run_rows(sheet, "demo-measures.xlsx")
        if not result.ok:
            raise ValueError("\n".join(result.as_text_lines()[:20]))


def _share(members, typical, total, exact=False):
    """`total` shared among the measures in proportion to their typical sizes, in whole tons but
    for the last share, which takes the exact rest when `exact` (so the sum is `total` itself)."""
    if not members:
        return
    weight = sum(typical[id(r)] for r, _m in members) or 1
    given = 0
    for r, _m in members[:-1]:
        r["planned"] = max(0, round(total * typical[id(r)] / weight))
        given += r["planned"]
    rest = total - given
    members[-1][0]["planned"] = max(0.0, rest if exact else round(rest))
