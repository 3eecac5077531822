"""The demo's project groups (上产项目组) and measures (措施): 茨榆坨采油厂 set up eight groups this
year, each led by a member of the plant's leadership, the Party secretary's among them. Their
measures run month by month through the year; last year's measures, before the groups, belong to
no group. Loaded after the production demo, whose wells and daily rows the measures' incremental
oil is computed from.

The report's figures come out of the data: by 30 June (or today, earlier in the year) the
secretary's group has done 39 fewer operations (井次) than it planned, and its measures have
added 6,400 t more oil than planned; the other groups' differences cancel out, so the plant's
totals read the same. The measures (wells, types, months, done dates) are planned before the
daily rows are generated (`measure_plan`: seeded, from the wells in the database), and the
production demo gives each done measure's well a lasting uplift from the day after it was done
(`plant_uplifts`), so the oil the measures add is in the wells' daily rows. Their actual
increments are computed from those rows by the rule every page uses (rules.measure_increment);
the planned increments are then set, measure by measure, to the sizes the plant would have
planned, scaled so that the plan to date falls 6,400 t short of what was achieved. Measures go in
through the measures importer, as a plant would load them."""
import datetime as dt
import time
from collections import defaultdict
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
# type: (label in the sheet, typical planned increment t, cost range 万元, share of the measures,
#        uplift: how much of its own output the well gains from the day after the measure)
KINDS = {
    "fracturing": ("压裂", 420, (60, 120), 0.18, 2.0),
    "acidizing": ("酸化", 160, (15, 30), 0.17, 0.8),
    "perforation": ("补孔", 220, (10, 20), 0.15, 1.0),
    "workover": ("大修", 260, (30, 60), 0.12, 1.2),
    "pump_change": ("换泵", 90, (5, 10), 0.2, 0.4),
    "parameters": ("调参", 50, (0.5, 2), 0.18, 0.2),
}
MEASURES_PER_GROUP_MONTH = (3, 6)
WELLS_PER_MEASURE = 4  # the other groups plan one a month for every four of their wells at most
OTHER_GROUPS_SPREAD = 0.15  # the other groups' oil above or below plan, as a share of what they achieved
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


def demo_plant():
    return Unit.objects.filter(code=PLANT_CODE, abolished_on=None).first()


def plant_uplifts(today: dt.date) -> dict[int, list[tuple[dt.date, float]]]:
    """For the production demo, before it writes the daily rows: well id → (done day, share of
    its own output it gains) of each measure the projects demo will record as done."""
    plant = demo_plant()
    out = defaultdict(list)
    done = [r for r in (measure_plan(plant, today) if plant else []) if r["done_on"] and not r["on_start"]]
    for row in sorted(done, key=lambda r: (r["done_on"], r["well"].code, r["kind"])):
        # Returns diminish: a well's k-th measure adds a k-th of what its type adds to a fresh well.
        earlier = out[row["well"].pk]
        earlier.append((row["done_on"], KINDS[row["kind"]][4] / (len(earlier) + 1)))
    return dict(out)


def load_projects_demo() -> ProjectsDemoReport:
    """Idempotent: nothing happens when the groups are there, or when the plant has no wells."""
    plant = demo_plant()
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


def _old_wells(plant, year) -> list[Well]:
    """The plant's open oil wells producing since before last year: those measures are done on."""
    return list(Well.objects.filter(unit__path__startswith=plant.path, kind=Well.Kind.OIL, status=Well.Status.OPEN,
                                    producing_since__lt=dt.date(year - 1, 1, 1)).select_related("unit")
                .order_by("code"))


def _pools(wells) -> list[list[Well]]:
    """The wells of each group: the secretary's group works on the first half of the plant's old
    wells (it does the most measures), the other groups share the rest out in order."""
    half = (len(wells) + 1) // 2
    rest = wells[half:] or wells
    share = max(1, len(rest) // (len(GROUP_NAMES) - 1))
    return [wells[:half], *(rest[i * share:(i + 1) * share] or rest for i in range(len(GROUP_NAMES) - 1))]


def measure_plan(plant, today: dt.date) -> list[dict]:
    """Rows of the measures sheet, the same on every call for the same wells and day: this year's
    per group (by its index in GROUP_NAMES) and month, last year's without a group. The first
    group is the secretary's; by the report day it has done 39 fewer than planned."""
    rng, year, cut = Random(SEED), today.year, report_day(today)
    wells = _old_wells(plant, year)
    if not wells:
        return []
    pools = _pools(wells)
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
                             "cost": round(rng.uniform(low, high), 1), "on_start": fixed_well is not None})
                return True
        return False

    def done_day(month, latest):
        day = month + dt.timedelta(days=rng.randint(3, 27))
        return day if day <= latest and day >= month else None

    for number, pool in enumerate(pools):
        most = max(1, len(pool) // WELLS_PER_MEASURE)
        for m in range(1, 13):
            month = dt.date(year, m, 1)
            if month > today:
                break
            count = SECRETARY_MONTHLY if number == 0 else min(most, rng.randint(*MEASURES_PER_GROUP_MONTH))
            for _n in range(count):
                add(number, pool, month, done_day(month, today - dt.timedelta(days=1)))
    # The secretary's group fractures this year's new wells as they are put on production
    # (压裂投产): with no producing day before, all their oil is the measures' (rules).
    for well in Well.objects.filter(unit__path__startswith=plant.path, kind=Well.Kind.OIL,
                                    producing_since__gte=dt.date(year, 1, 1), producing_since__lt=cut).order_by("code"):
        add(0, None, well.producing_since.replace(day=1), well.producing_since, well, "fracturing")
    _fall_behind([r for r in rows if r["group"] == 0 and not r["on_start"]], cut, today, rng)
    for m in range(1, 13):
        month = dt.date(year - 1, m, 1)
        for _n in range(rng.randint(8, 14)):
            add(None, wells, month, done_day(month, dt.date(year - 1, 12, 31)))
    return rows


def _fall_behind(rows, cut, today, rng):
    """Of the secretary's measures planned by the report day, exactly 39 are not done by then:
    the latest planned ones wait (done after it, when today allows, or not yet)."""
    planned = sorted((r for r in rows if r["month"] <= cut), key=lambda r: (r["month"], r["well"].code, r["kind"]))
    behind = planned[-FEWER_OPERATIONS:]
    for row in planned:
        if row not in behind and (row["done_on"] is None or row["done_on"] > cut):
            row["done_on"] = min(cut, row["month"] + dt.timedelta(days=rng.randint(2, 20)))
    for row in behind:
        later = cut + dt.timedelta(days=rng.randint(5, 60))
        row["done_on"] = later if later < today else None


class _Projects:
    def __init__(self, actor, plant, today):
        self.actor, self.plant, self.today = actor, plant, today
        self.rng = Random(SEED + 1)
        self.year = today.year

    def load(self):
        rows = measure_plan(self.plant, self.today)
        groups = self.groups(_pools(_old_wells(self.plant, self.year)))
        for row in rows:
            row["group"] = groups[row["group"]] if row["group"] is not None else None
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

    def groups(self, pools):
        leaders = self.leaders()
        staff = list(Person.objects.filter(unit__path__startswith=self.plant.path, is_active=True)
                     .exclude(pk__in=[p.pk for p in leaders]).order_by("employee_no")[:200])
        out = []
        for index, (name, own) in enumerate(zip(GROUP_NAMES, pools, strict=True)):
            leader = leaders[index % len(leaders)]
            members = self.rng.sample(staff, min(len(staff), self.rng.randint(4, 7)))
            out.append(services_projects.project_group_create(
                actor=self.actor, unit=self.plant, name=name, leader=leader, year=self.year, members=members,
                wells=own, targets=_("Led by %(leader)s; measures on %(n)d wells.") % {"leader": leader.name,
                                                                                      "n": len(own)}))
        return out

    def plan_increments(self, groups, rows):
        """The planned increment of each measure: its type's typical size, scaled per group so that
        by the report day the secretary's group's measures exceed their plan by 6,400 t and the
        other groups' lie above or below theirs by amounts that cancel out."""
        by_key = {(m.well_id, m.kind, m.planned_month): m for m in Measure.objects.filter(
            well__unit__path__startswith=self.plant.path)}
        measures = [by_key[(r["well"].pk, r["kind"], r["month"])] for r in rows]
        cut = report_day(self.today)
        at_cut = selectors.increments(measures, cut)
        now = selectors.increments(measures, self.today)
        typical = {id(r): KINDS[r["kind"]][1] * self.rng.uniform(0.8, 1.2) for r in rows}
        by_group = {group: [(r, m) for r, m in zip(rows, measures, strict=True) if r["group"] == group]
                    for group in [*groups, None]}
        achieved = {group: sum(at_cut[m.pk].increment_t for r, m in members if r["month"] <= cut and at_cut[m.pk])
                    for group, members in by_group.items() if group is not None}
        over = {groups[0]: MORE_OIL_T, **self._spread(groups[1:], achieved)}
        for group in groups:
            planned = [(r, m) for r, m in by_group[group] if r["month"] <= cut]
            later = [(r, m) for r, m in by_group[group] if r["month"] > cut]
            sizes = sum(typical[id(r)] for r, _m in planned)
            target = achieved[group] - over[group]
            if target > len(planned):
                _share(planned, typical, target, exact=True)
            else:  # too little oil in the data for the figure: plan by the types' sizes
                _share(planned, typical, sizes)
            scale = max(target, 0) / sizes if sizes and target > len(planned) else 1.0
            _share(later, typical, sum(typical[id(r)] for r, _m in later) * scale)
        last_year = by_group[None]
        done = sum(now[m.pk].increment_t for _r, m in last_year if now[m.pk])
        sizes = sum(typical[id(r)] for r, _m in last_year)
        _share(last_year, typical, max(done, 0) * self.rng.uniform(0.85, 1.1) if done > 0 else sizes)
        for group in groups:
            mine = [r for r, _m in by_group[group]]
            services_projects.project_group_update(
                actor=self.actor, group=group, target_measures=len(mine),
                target_increment_t=round(sum(r["planned"] for r in mine), -1))

    def _spread(self, groups, achieved) -> dict:
        """Whole tons each group's oil lies above (or below) its plan by, summing to nothing: random
        shares of what each achieved, less their mean share (so none is off by more than twice the
        spread), the rounding's rest on the group that achieved most."""
        sizes = {g: max(achieved[g], 0.0) for g in groups}
        raw = {g: self.rng.uniform(-1, 1) * OTHER_GROUPS_SPREAD * sizes[g] for g in groups}
        whole = sum(sizes.values())
        if not whole:
            return {g: 0 for g in groups}
        mean = sum(raw.values()) / whole
        out = {g: round(raw[g] - mean * sizes[g]) for g in groups}
        out[max(groups, key=lambda g: sizes[g])] -= sum(out.values())
        return out

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
