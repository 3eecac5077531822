"""Load the labour-competition demo into the demo oilfield: this year's oil-output competition
among the plants (organised by the company) and one among the production teams of one plant,
each scored monthly on live production indicators and on hand-entered safety figures with their
evidence, with bonus and deduction items; every month already over is published with its
流动红旗, and one month is published again after a correction, with its reason.

Everything goes through the competition services as the `system` user, deterministically (a
fixed seed), in one transaction. The live indicators read whatever the production, vanguard and
三会一课 demos loaded before this one."""
import datetime as dt
import re
import time
from dataclasses import dataclass, field
from random import Random

from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.competitions import selectors, services
from ronghe.competitions.models import Competition
from ronghe.core import clock
from ronghe.org.demo import oilfield as of
from ronghe.org.demo.loader import system_actor
from ronghe.org.models import Unit

SEED = 2026
PLANTS_NAME = "{year}年原油上产劳动竞赛"
TEAMS_NAME = "{plant}{year}年采油班组劳动竞赛"
TEAM_CODE = re.compile(r"^[A-Z]+-Z\d+-B\d+$")  # the plants' 采油班
MAX_TEAMS = 10
SAFETY_EVIDENCE = "质量安全环保科月度检查记录"
BONUSES = [
    (2.0, "获公司技术革新成果一等奖"),
    (1.5, "“双超”目标提前完成，公司通报表扬"),
    (-3.0, "发生一般生产安全事件，按竞赛细则扣分"),
    (-1.0, "生产报表迟报两次"),
]


@dataclass
class CompetitionsDemoReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def is_loaded(year: int) -> bool:
    return Competition.objects.filter(name=PLANTS_NAME.format(year=year), organiser__code=of.COMPANY_CODE).exists()


def load_competitions_demo() -> CompetitionsDemoReport:
    """Idempotent: nothing happens when this year's demo competitions are there already, or
    when the demo oilfield is not."""
    today = clock.today()
    if is_loaded(today.year):
        return CompetitionsDemoReport(False, _("The labour-competition demo is already loaded; nothing changed."))
    company = Unit.objects.filter(code=of.COMPANY_CODE, abolished_on=None).first()
    plant_codes = [s.code for s in of.SECONDARY_UNITS if s.family == "plant"]
    plants = list(Unit.objects.filter(code__in=plant_codes, abolished_on=None).order_by("sort_order", "code"))
    if company is None or len(plants) < 2:
        return CompetitionsDemoReport(False, _("The demo oilfield is not loaded, so neither is the "
                                               "labour-competition demo."))
    started = time.monotonic()
    with transaction.atomic():
        loader = _Loader(system_actor(), today)
        loader.plants_competition(company, plants)
        loader.teams_competition(plants[0])
    return CompetitionsDemoReport(True, _("The labour-competition demo is loaded."), loader.counts,
                                  time.monotonic() - started)


class _Loader:
    def __init__(self, actor, today):
        self.actor, self.today = actor, today
        self.rng = Random(SEED)
        self.counts = {"competitions": 0, "participants": 0, "readings": 0, "adjustments": 0, "publications": 0}

    def _competition(self, organiser, name, description):
        year = self.today.year
        competition = services.competition_create(
            actor=self.actor, name=name, organiser=organiser, starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31), cadence=Competition.Cadence.MONTHLY, description=description)
        self.counts["competitions"] += 1
        return competition

    def _join(self, competition, units):
        out = []
        for order, unit in enumerate(units):
            out.append(services.participant_add(actor=self.actor, competition=competition, unit=unit,
                                                sort_order=order))
        self.counts["participants"] += len(out)
        return out

    def _indicator(self, competition, code, name, weight, **options):
        return services.indicator_create(actor=self.actor, competition=competition, code=code, name=name,
                                         weight=weight, **options)

    def _begun(self, competition):
        return [p for p in selectors.periods_of(competition) if p.start <= self.today]

    def _readings(self, indicator, participants, low, high, evidence, plan=None):
        for period in self._begun(indicator.competition):
            for participant in participants:
                services.reading_set(actor=self.actor, indicator=indicator, participant=participant,
                                     period_start=period.start, value=round(self.rng.uniform(low, high), 1),
                                     plan=plan, evidence=f"{period.start:%Y年%m月}{evidence}")
                self.counts["readings"] += 1

    def _adjustments(self, competition, participants):
        for period in self._begun(competition):
            if self.rng.random() < 0.5:
                points, reason = self.rng.choice(BONUSES)
                services.adjustment_add(actor=self.actor, participant=self.rng.choice(participants),
                                        period_start=period.start, points=points, reason=reason)
                self.counts["adjustments"] += 1

    def _publish(self, competition):
        ended = [p for p in selectors.periods_of(competition) if p.end < self.today]
        for period in ended:
            services.period_publish(actor=self.actor, competition=competition, period_start=period.start,
                                    as_of=self.today)
            self.counts["publications"] += 1
        return ended

    def _republish(self, competition, indicator, participants, period):
        """A correction after publishing: a safety figure checked again, then the month published
        again with its reason."""
        participant = participants[-1]
        services.reading_set(actor=self.actor, indicator=indicator, participant=participant,
                             period_start=period.start, value=99.5,
                             evidence=f"{period.start:%Y年%m月}{SAFETY_EVIDENCE}（复核更正）")
        services.period_publish(actor=self.actor, competition=competition, period_start=period.start,
                                reason=f"{participant.label}安全环保检查结果复核更正，重新通报", as_of=self.today)
        self.counts["publications"] += 1

    def plants_competition(self, company, plants):
        year = self.today.year
        competition = self._competition(
            company, PLANTS_NAME.format(year=year),
            "围绕全年原油生产任务，开展“比产量、比措施、比新井、比安全”劳动竞赛，按月考核、按月通报，"
            "月度第一名授予流动红旗，力争产量、效益“双超”，确保“时间过半、任务过半”。")
        participants = self._join(competition, plants)
        output = self._indicator(competition, "output", "产量完成率", 40, source="production.output_vs_plan",
                                 normalisation="ratio", target=100)
        self._indicator(competition, "increment", "措施增油", 20, source="production.measure_increment",
                        normalisation="rank")
        self._indicator(competition, "new_wells", "新井日产", 15, source="production.new_well_output",
                        normalisation="min_max")
        self._indicator(competition, "problems", "解决生产难题", 10, source="vanguard.problems_solved",
                        normalisation="rank")
        safety = self._indicator(competition, "safety", "安全环保", 15, unit_label="分", normalisation="rank")
        services.competition_update(actor=self.actor, competition=competition, tie_breaker=output)
        services.award_kind_create(actor=self.actor, competition=competition, name="流动红旗", top=1)
        services.award_kind_create(actor=self.actor, competition=competition, name="先进单位", top=3, sort_order=1)
        self._readings(safety, participants, 86, 100, SAFETY_EVIDENCE)
        self._adjustments(competition, participants)
        ended = self._publish(competition)
        if ended:
            self._republish(competition, safety, participants, ended[-1])

    def teams_competition(self, plant):
        teams = [u for u in Unit.objects.filter(path__startswith=plant.path, abolished_on=None).order_by("path")
                 if TEAM_CODE.match(u.code)][:MAX_TEAMS]
        if len(teams) < 2:
            return
        competition = self._competition(
            plant, TEAMS_NAME.format(plant=plant.name, year=self.today.year),
            "采油班组“比产量、比管理、比安全”劳动竞赛：产油量按名次计分，设备完好率按计划计分，"
            "安全环保按名次计分；月度第一名授予流动红旗。")
        participants = self._join(competition, teams)
        oil = self._indicator(competition, "oil", "产油量", 50, source="production.oil_output", normalisation="rank")
        equipment = self._indicator(competition, "equipment", "设备完好率", 30, unit_label="%",
                                    normalisation="ratio", target=100, ratio_cap=1.0)
        safety = self._indicator(competition, "safety", "安全环保", 20, unit_label="分", normalisation="rank")
        services.competition_update(actor=self.actor, competition=competition, tie_breaker=oil)
        services.award_kind_create(actor=self.actor, competition=competition, name="流动红旗", top=1)
        self._readings(equipment, participants, 92, 99.8, "设备完好率月报", plan=100)
        self._readings(safety, participants, 88, 100, "班组安全检查记录")
        self._adjustments(competition, participants)
        self._publish(competition)
