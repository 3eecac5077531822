"""Load the production demo into the demo oilfield: eight wells on every 采油班 of its plants
(oil wells mostly, some gas and injection wells, a few shut in or abandoned), new wells put on
production this year and last, wells designed or drilled and waiting; daily production from
2025-01-01 to today whose company-level curve climbs ten hundred-ton steps from the base date
2025-03-01 (demo.curve); and every plant's and the company's plans for both years: annual and
monthly oil and profit, actual profit of the months gone, new wells.

Wells and plans go through the spreadsheet importers, daily production through the importer's
bulk path (COPY on PostgreSQL), all as the `system` user in one transaction."""
import datetime as dt
import re
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from random import Random

from django.db import connection, transaction
from django.utils.translation import gettext as _

from ronghe.core import clock
from ronghe.org.demo import oilfield as of
from ronghe.org.demo.loader import system_actor
from ronghe.org.models import Unit
from ronghe.production import bulk, totals
from ronghe.production.demo import curve
from ronghe.production.demo_projects import load_projects_demo, plant_uplifts
from ronghe.production.importers import UnitPlanImporter, WellImporter
from ronghe.production.models import DailyProduction, UnitPlan, Well

SEED = 2026
WELLS_PER_TEAM = 8
TEAM_CODE = re.compile(r"^(?P<plant>[A-Z]+)-Z(?P<area>\d+)-B(?P<team>\d+)$")
PROFIT_PER_T = 0.12  # 万元 of profit per ton of oil (1,200 yuan)
KIND_LABELS = {"oil": "油井", "gas": "气井", "injection": "注水井"}
STATUS_LABELS = {"open": "开井", "shut": "关井", "abandoned": "报废"}


@dataclass
class ProductionDemoReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def is_loaded() -> bool:
    return Well.objects.filter(code__startswith="LHD-").exists()


def load_production_demo() -> ProductionDemoReport:
    """Idempotent: nothing happens when the demo wells are there already, or when the demo
    oilfield is not (its plants' teams are what the wells belong to)."""
    if is_loaded():
        return ProductionDemoReport(False, _("The production demo is already loaded; nothing changed."))
    if not Unit.objects.filter(code=of.COMPANY_CODE, abolished_on=None).exists():
        return ProductionDemoReport(False, _("The demo oilfield is not loaded, so neither is the production demo."))
    started = time.monotonic()
    with transaction.atomic():
        _Loader(system_actor(), clock.today()).load()
        load_projects_demo()  # the project groups and measures (production views' part)
    counts = {"wells": Well.objects.count(), "daily_rows": DailyProduction.objects.count(),
              "unit_plans": UnitPlan.objects.count()}
    return ProductionDemoReport(True, _("The production demo is loaded."), counts, time.monotonic() - started)


class DemoLoadError(Exception):
    pass


@dataclass
class _Well:
    code: str
    team: Unit
    plant: str
    kind: str
    status: str
    block: str
    producing_since: dt.date | None
    designed_on: dt.date | None = None
    drilled_on: dt.date | None = None
    weight: float = 1.0
    end: dt.date | None = None


class _Loader:
    def __init__(self, actor, today):
        self.actor, self.today = actor, today
        self.rng = Random(SEED)
        self.plant_codes = [s.code for s in of.SECONDARY_UNITS if s.family == "plant"]

    def load(self):
        teams = self.teams()
        wells = self.wells(teams)
        self.import_wells(wells)
        oil_wells = [w for w in wells if w.kind == "oil" and w.producing_since]
        base = curve.base_level(len(oil_wells))
        actual = self.production(wells, base)
        self.import_plans(actual, wells, base)

    def teams(self):
        found = []
        for unit in Unit.objects.filter(abolished_on=None, code__contains="-Z").order_by("path"):
            match = TEAM_CODE.match(unit.code)
            if match and match["plant"] in self.plant_codes:
                found.append((match["plant"], int(match["area"]), unit))
        return found

    def wells(self, teams) -> list[_Well]:
        rng, year = self.rng, self.today.year
        out, numbers = [], defaultdict(int)
        for plant, area, team in teams:
            block = f"{plant}{area}块"
            for _number in range(WELLS_PER_TEAM):
                numbers[plant] += 1
                code = f"LHD-{plant}-{numbers[plant]:04d}"
                roll = rng.random()
                kind = "injection" if roll < 0.08 else ("gas" if roll < 0.1 else "oil")
                since = dt.date(rng.randint(1995, year - 2), rng.randint(1, 12), rng.randint(1, 28))
                well = _Well(code, team, plant, kind, "open", block, since, weight=rng.uniform(0.4, 1.6))
                new = rng.random()
                if kind == "oil" and new < 0.06:  # a new well of this year
                    well.producing_since = dt.date(year, 1, 1) + dt.timedelta(
                        days=rng.randint(0, max(0, (self.today - dt.date(year, 1, 1)).days - 5)))
                    well.weight = rng.uniform(1.4, 2.4)
                elif kind == "oil" and new < 0.11:  # last year's
                    well.producing_since = dt.date(year - 1, 1, 1) + dt.timedelta(days=rng.randint(0, 360))
                    well.weight = rng.uniform(1.2, 2.0)
                if well.producing_since.year >= year - 1:
                    well.drilled_on = well.producing_since - dt.timedelta(days=rng.randint(15, 60))
                    well.designed_on = well.drilled_on - dt.timedelta(days=rng.randint(90, 240))
                fate = rng.random()
                if kind == "oil" and well.producing_since.year < year - 1 and fate < 0.03:
                    well.status, well.end = "shut", curve.START + dt.timedelta(days=rng.randint(30, 600))
                elif kind == "oil" and well.producing_since.year < year - 1 and fate < 0.04:
                    well.status, well.end = "abandoned", curve.START + dt.timedelta(days=rng.randint(30, 400))
                out.append(well)
            # This year's wells still on their way: designed, or drilled and waiting to produce.
            for stage in ("designed", "drilled"):
                if rng.random() < 0.5:
                    numbers[plant] += 1
                    designed = min(self.today, dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 200)))
                    drilled = designed + dt.timedelta(days=rng.randint(60, 100)) if stage == "drilled" else None
                    if drilled and drilled > self.today:
                        drilled = None
                    out.append(_Well(f"LHD-{plant}-{numbers[plant]:04d}", team, plant, "oil", "shut", block, None,
                                     designed_on=designed, drilled_on=drilled))
        return out

    def import_wells(self, wells):
        result = WellImporter(actor=self.actor).run_rows(
            {"井号": w.code, "单位编码": w.team.code, "井别": KIND_LABELS[w.kind], "状态": STATUS_LABELS[w.status],
             "投产日期": w.producing_since, "设计日期": w.designed_on, "完钻日期": w.drilled_on, "区块": w.block}
            for w in wells)
        if not result.ok:
            raise DemoLoadError("\n".join(result.as_text_lines()[:20]))

    def production(self, wells, base) -> dict:
        """Write the days; returns the oil produced per (plant, year, month). The wells the
        project groups' measures will be done on gain from the day after each (demo_projects)."""
        ids = dict(Well.objects.filter(code__startswith="LHD-").values_list("code", "pk"))
        uplifts = plant_uplifts(self.today)
        specs, plant_of = [], {}
        for w in wells:
            if w.kind == "injection" or w.producing_since is None:
                continue
            pk = ids[w.code]
            plant_of[pk] = w.plant
            # Gas wells give a little condensate; their weight in the oil curve is small.
            weight = w.weight * (0.05 if w.kind == "gas" else 1.0)
            specs.append(curve.WellSpec(pk, weight, max(w.producing_since, curve.START), w.end,
                                        water_cut=self.rng.uniform(55, 90),
                                        gor=self.rng.uniform(800, 1500) if w.kind == "gas" else
                                        self.rng.uniform(20, 90),
                                        boosts=tuple((day, share * weight) for day, share in uplifts.get(pk, ()))))
        monthly = defaultdict(float)
        with tempfile.TemporaryFile("w+b") as spool:
            write = spool.write
            for text in curve.daily_lines(specs, curve.START, self.today, lambda d: curve.target(d, base), SEED):
                write(text.encode())
                pk, day, _hours, _liquid, oil, _rest = text.split("\t", 5)
                monthly[(plant_of[int(pk)], int(day[:4]), int(day[5:7]))] += float(oil)
            bulk.write(spool)
        # The rows are not committed yet, so autovacuum cannot see them: without statistics the
        # planner takes these tables for empty and picks nested loops for whatever reads them next
        # in this transaction (the competitions demo's indicators, a test's queries).
        with connection.cursor() as cursor:
            for table in (totals.WELL, totals.DAILY, totals.UNITDAY):
                totals.analyze(cursor, table)
        return monthly

    def import_plans(self, actual, wells, base):
        """Plans a little below what the plants produce in most months, above in some (so that
        双超 and its failures both show), actual profit for the months gone, new wells."""
        rng, today = self.rng, self.today
        rows, company = [], defaultdict(float)
        plants = sorted({w.plant for w in wells})
        plant_share = {p: sum(v for (q, _y, _m), v in actual.items() if q == p) for p in plants}
        whole = sum(plant_share.values()) or 1.0
        new_wells = defaultdict(int)
        for w in wells:
            if w.producing_since and w.producing_since.year == today.year or (
                    w.producing_since is None and w.designed_on):
                new_wells[w.plant] += 1
        for year in (today.year - 1, today.year):
            for plant in plants:
                monthly = []
                for month in range(1, 13):
                    first = dt.date(year, month, 1)
                    days = ((first.replace(month=month % 12 + 1, year=year + month // 12)) - first).days
                    expected = plant_share[plant] / whole * sum(
                        curve.target(first + dt.timedelta(days=d), base) for d in range(days))
                    plan = round(expected * rng.uniform(0.96, 1.02), -1)
                    monthly.append(plan)
                    row = {"单位编码": plant, "年度": year, "月份": month, "原油计划(t)": plan,
                           "利润计划(万元)": round(plan * PROFIT_PER_T, 1)}
                    produced = actual.get((plant, year, month))
                    if produced and (year, month) < (today.year, today.month):
                        row["利润实际(万元)"] = round(produced * PROFIT_PER_T * rng.uniform(0.9, 1.12), 1)
                        company[(year, month, "profit")] += row["利润实际(万元)"]
                    company[(year, month, "oil")] += plan
                    company[(year, month, "profit_plan")] += row["利润计划(万元)"]
                    rows.append(row)
                annual = round(sum(monthly) * 0.99, -1)
                wells_plan = round(new_wells[plant] * rng.uniform(1.0, 1.3)) if year == today.year else None
                rows.append({"单位编码": plant, "年度": year, "月份": 0, "原油计划(t)": annual,
                             "利润计划(万元)": round(annual * PROFIT_PER_T, 1), "新井计划(口)": wells_plan})
                company[(year, 0, "oil")] += annual
                company[(year, 0, "profit_plan")] += round(annual * PROFIT_PER_T, 1)
                company[(year, 0, "wells")] += wells_plan or 0
            for month in range(0, 13):
                row = {"单位编码": of.COMPANY_CODE, "年度": year, "月份": month,
                       "原油计划(t)": round(company[(year, month, "oil")], -1),
                       "利润计划(万元)": round(company[(year, month, "profit_plan")], 1)}
                if company.get((year, month, "profit")):
                    row["利润实际(万元)"] = round(company[(year, month, "profit")], 1)
                if month == 0 and year == today.year:
                    row["新井计划(口)"] = int(company[(year, 0, "wells")])
                rows.append(row)
        result = UnitPlanImporter(actor=self.actor).run_rows(rows)
        if not result.ok:
            raise DemoLoadError("\n".join(result.as_text_lines()[:20]))
