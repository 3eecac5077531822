"""Load the carriers and the problem ledger into the demo oilfield.

Carriers across the production plants: 共产党员先锋岗 on every team and on the plants' offices and
institutes, 党员责任区 on every operation area, a few 党员先锋工程 per plant — about 2,600 in
the full oilfield, over 80% tied to production — each with its Party members and lead (a few
left without, so that the flags show), annual reviews of last year and some namings and
commendations. The ledger: problems raised by the members over the last year and a half; in the
half-year reported on (the first half of this year from July on, else the second half of last
year) about half as many are solved as there are carriers — 1,200+ in the full oilfield — most
of them verified by the unit, with their benefit.

Deterministic (one seeded generator, rows in a fixed order) and fast: rows are written in bulk
as the `system` user, in one transaction, with one audit entry for the batch."""
import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal
from random import Random

from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.core import audit, clock
from ronghe.org.demo import oilfield as of
from ronghe.org.demo.loader import system_actor
from ronghe.org.models import PartyOrg, Person, Unit
from ronghe.vanguard import rules
from ronghe.vanguard.demo import content
from ronghe.vanguard.models import (
    Carrier,
    CarrierMember,
    CarrierRecognition,
    CarrierReview,
    Problem,
    Rating,
)

SEED = 2026
BATCH = 2000
EARLIEST = dt.date(2019, 1, 1)
K, C, S = Carrier.Kind, Carrier.Category, Problem.Status


@dataclass
class VanguardDemoReport:
    loaded: bool
    message: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def reported_half(today: dt.date) -> rules.Period:
    """The latest half-year that has ended by `today`."""
    return rules.half(today.year, 1) if today.month >= 7 else rules.half(today.year - 1, 2)


def load_vanguard_demo() -> VanguardDemoReport:
    """Idempotent: nothing happens when carriers exist already, or when the demo oilfield
    is not loaded (its plants, Party organisations and members are what the carriers hang off)."""
    if Carrier.objects.exists():
        return VanguardDemoReport(False, _("Carriers exist already; the vanguard demo was not loaded."))
    if not Unit.objects.filter(code=of.COMPANY_CODE).exists():
        return VanguardDemoReport(False, _("The demo oilfield is not loaded, so neither is the vanguard demo."))
    started = time.monotonic()
    with transaction.atomic():
        counts = _Loader(clock.today()).load()
    half = reported_half(clock.today())
    counts["solved_in_reported_half"] = Problem.objects.filter(
        status__in=(S.SOLVED, S.VERIFIED), solved_on__gte=half.start, solved_on__lte=half.end).count()
    return VanguardDemoReport(True, _("The vanguard demo (carriers and production problems) is loaded."), counts,
                              time.monotonic() - started)


def _tree_key(node) -> list[int]:
    return [int(part) for part in node.path.split("/") if part]


def _between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start if end <= start else start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _money(rng, low, high, places=0) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), places)))


class _Loader:
    def __init__(self, today):
        self.today = today
        self.rng = Random(SEED)
        self.half = reported_half(today)
        plants = [s.code for s in of.SECONDARY_UNITS if s.family == "plant"]
        self.plants = sorted(Unit.objects.filter(code__in=plants, abolished_on=None), key=_tree_key)
        under = Unit.objects.none()
        for plant in self.plants:
            under |= Unit.objects.filter(path__startswith=plant.path, abolished_on=None)
        # Ordered in Python: databases collate "1/10/" and "1/2/" differently, and the same
        # seed must give the same rows on SQLite and PostgreSQL.
        self.units = sorted(under, key=_tree_key)
        self.orgs_by_unit = {}
        for org in sorted(PartyOrg.objects.filter(abolished_on=None), key=lambda o: (-o.depth, _tree_key(o))):
            self.orgs_by_unit.setdefault(org.unit_id, org)
        self.members_by_unit, self.members_by_org = {}, {}
        for pk, unit_id, org_id in (Person.objects.filter(is_active=True, political_status__in=Person.PARTY_STATUSES,
                                                          membership__isnull=False)
                                    .order_by("employee_no").values_list("pk", "unit_id", "membership__party_org_id")):
            self.members_by_unit.setdefault(unit_id, []).append(pk)
            self.members_by_org.setdefault(org_id, []).append(pk)

    # --- where things hang ----------------------------------------------------------------

    def party_org_of(self, unit):
        """The nearest Party organisation attached to the unit or to one above it."""
        for unit_id in reversed([int(p) for p in unit.path.split("/") if p]):
            if unit_id in self.orgs_by_unit:
                return self.orgs_by_unit[unit_id]
        return None

    def members_under(self, unit):
        out = []
        for candidate in self.units:
            if candidate.path.startswith(unit.path):
                out += self.members_by_unit.get(candidate.pk, [])
        return out

    # --- carriers -------------------------------------------------------------------------

    def load(self) -> dict:
        rng = self.rng
        carriers, seats = [], []
        for unit in self.units:
            plan = self.plan_for(unit)
            if not plan:
                continue
            org = self.party_org_of(unit)
            if org is None:
                continue
            pool = self.members_by_unit.get(unit.pk, []) if unit.kind in ("team", "office") else self.members_under(
                unit)
            # A team without a Party member of its own is served by its branch's members.
            pool = pool or self.members_by_org.get(org.pk, [])
            for kind, name, category, production in plan:
                carrier = Carrier(name=name, kind=kind, unit=unit, party_org=org, category=category,
                                  production_related=production, commitment=rng.choice(content.COMMITMENTS[kind]),
                                  targets=rng.choice(content.TARGETS[kind]), status=Carrier.Status.ACTIVE,
                                  established_on=self.established(unit))
                if rng.random() < 0.03:
                    carrier.retired_on = _between(rng, carrier.established_on + dt.timedelta(days=180), self.today)
                    carrier.status = Carrier.Status.RETIRED
                carriers.append(carrier)
                seats.append(self.seats_for(kind, pool))
        Carrier.objects.bulk_create(carriers, batch_size=BATCH)
        rows = []
        for carrier, (lead, others) in zip(carriers, seats, strict=True):
            if lead is not None:
                rows.append(CarrierMember(carrier=carrier, person_id=lead, is_lead=True))
            rows += [CarrierMember(carrier=carrier, person_id=p) for p in others]
        CarrierMember.objects.bulk_create(rows, batch_size=BATCH)
        reviews, recognitions = self.reviews_and_recognitions(carriers)
        problems = self.problems(carriers, seats)
        counts = {"carriers": len(carriers),
                  "production_related": sum(1 for c in carriers if c.production_related),
                  "carrier_members": len(rows), "reviews": reviews, "recognitions": recognitions,
                  "problems": problems}
        audit.record(actor=system_actor(), action="import.vanguard_demo", object_type="vanguard.demo",
                     object_repr=_("Vanguard demo"), after={"counts": counts},
                     message=_("Demo carriers and production problems loaded."))
        return counts

    def plan_for(self, unit) -> list[tuple]:
        """(kind, name, category, tied to production) of the carriers a unit gets."""
        rng = self.rng
        if unit.kind == "team":
            support = any(word in unit.name for word in content.SUPPORT_TEAM_WORDS)
            themes = rng.sample(content.POST_THEMES, rng.choice((3, 4, 4, 4, 4)))
            out = []
            for theme in themes:
                category = C.SERVICE if support and rng.random() < 0.5 else C.PRODUCTION
                production = category == C.PRODUCTION or rng.random() < 0.6
                out.append((K.POST, f"{unit.name}“{theme}”共产党员先锋岗", category, production))
            return out
        if unit.kind == "office":
            category, production = content.section_category(unit.name)
            return [(K.POST, f"{unit.name}“{theme}”共产党员先锋岗", category, production or rng.random() < 0.2)
                    for theme in rng.sample(content.OFFICE_THEMES, rng.choice((1, 2)))]
        if unit.kind == "grassroots":
            return [(K.ZONE, f"{unit.name}{area}党员责任区", C.PRODUCTION, True)
                    for area in content.ZONES[:rng.choice((2, 3, 3, 4))]]
        if unit.kind == "secondary":
            return [(K.PROJECT, f"{unit.name}“{theme}”党员先锋工程", category, True)
                    for theme, category in rng.sample(content.PROJECTS, 4)]
        return []

    def established(self, unit) -> dt.date:
        start = max(unit.established_on or EARLIEST, EARLIEST)
        if self.rng.random() < 0.12:
            return _between(self.rng, dt.date(self.today.year, 1, 1), self.today)
        return _between(self.rng, start, dt.date(self.today.year - 1, 6, 30))

    def seats_for(self, kind, pool) -> tuple:
        rng = self.rng
        if not pool or rng.random() < 0.015:
            return None, []
        size = {K.POST: (1, 3), K.ZONE: (2, 5), K.PROJECT: (4, 8)}[kind]
        chosen = rng.sample(pool, min(len(pool), rng.randint(*size)))
        lead = chosen[0] if rng.random() > 0.015 else None
        return lead, chosen[1:] if lead is not None else chosen

    def reviews_and_recognitions(self, carriers) -> tuple[int, int]:
        rng, year = self.rng, self.today.year - 1
        reviews, recognitions = [], []
        review_from = dt.date(self.today.year, 1, 10)
        for carrier in carriers:
            if carrier.established_on <= dt.date(year, 6, 30) and review_from <= self.today:
                rating = rng.choices(Rating.values, weights=(25, 55, 17, 3))[0]
                reviews.append(CarrierReview(carrier=carrier, year=year, rating=rating,
                                             comment=content.REVIEW_COMMENTS[rating],
                                             reviewed_on=_between(rng, review_from, min(self.today, review_from
                                                                                        + dt.timedelta(days=45)))))
            draw = rng.random()
            if draw < 0.07 and carrier.established_on < dt.date(year, 7, 1):
                kind, level, title = content.RECOGNITIONS[0 if draw < 0.03 else 1]
                recognitions.append(CarrierRecognition(
                    carrier=carrier, kind=kind, level=level, title=title, granted_on=dt.date(year, 7, 1),
                    granted_by="公司党委" if level == "company" else "二级单位党委",
                    document_no=f"辽油党发〔{year}〕{rng.randint(10, 99)}号"))
        CarrierReview.objects.bulk_create(reviews, batch_size=BATCH)
        CarrierRecognition.objects.bulk_create(recognitions, batch_size=BATCH)
        return len(reviews), len(recognitions)

    # --- problems ---------------------------------------------------------------------------

    def problems(self, carriers, seats) -> int:
        """Problems on carriers that stood a year before the reported half ended, by how far
        they have got today."""
        rng, today, half = self.rng, self.today, self.half
        settled = half.start - dt.timedelta(days=280)
        hosts = [(c, lead, others) for c, (lead, others) in zip(carriers, seats, strict=True)
                 if c.production_related and c.retired_on is None and lead is not None and c.established_on <= settled]
        n = len(carriers)
        after_half = rules.Period(half.end + dt.timedelta(days=1), today - dt.timedelta(days=3))
        plan = [("h1", round(n * 0.49)), ("after", round(n * 0.16) if after_half.end > after_half.start else 0),
                ("before", round(n * 0.08)), ("tackling", round(n * 0.06)), ("open", round(n * 0.035)),
                ("closed", round(n * 0.018))]
        rows, workers = [], []
        for profile, count in plan:
            for _i in range(count):
                carrier, lead, others = rng.choice(hosts)
                problem = self.problem(profile, carrier, lead, after_half)
                rows.append(problem)
                workers.append([lead, *others][:4])
        Problem.objects.bulk_create(rows, batch_size=BATCH)
        through = Problem.workers.through
        through.objects.bulk_create([through(problem_id=p.pk, person_id=w) for p, people in zip(rows, workers,
                                                                                                strict=True)
                                     for w in dict.fromkeys(people)], batch_size=BATCH)
        return len(rows)

    def problem(self, profile, carrier, lead, after_half) -> Problem:
        rng, today, half = self.rng, self.today, self.half
        category = rng.choices(Problem.Category.values, weights=(30, 25, 25, 10, 7, 3))[0]
        title, solution = content.problem_text(rng, category, carrier.unit.name)
        p = Problem(title=title, unit=carrier.unit, carrier=carrier, raised_by_id=lead, category=category,
                    description=content.description(category),
                    difficulty=rng.choices(Problem.Difficulty.values, weights=(60, 32, 8))[0])
        if profile in ("h1", "after", "before"):
            period = {"h1": half, "after": after_half,
                      "before": rules.Period(half.start - dt.timedelta(days=181), half.start - dt.timedelta(days=1))}[
                profile]
            p.solved_on = _between(rng, period.start, period.end)
            p.raised_on = p.solved_on - dt.timedelta(days=rng.randint(7, 90))
            p.started_on = p.raised_on + dt.timedelta(days=rng.randint(0, (p.solved_on - p.raised_on).days // 2))
            p.status, p.solution = S.SOLVED, solution
            verified = p.solved_on + dt.timedelta(days=rng.randint(3, 25))
            if verified <= today and rng.random() < 0.8:
                p.status, p.verified_on, p.verification_note = S.VERIFIED, verified, "经单位验收，措施有效，效益属实"
            self.benefit(p, category)
        elif profile == "tackling":
            p.raised_on = _between(rng, today - dt.timedelta(days=120), today - dt.timedelta(days=5))
            p.started_on = _between(rng, p.raised_on, today)
            p.status = S.TACKLING
        elif profile == "open":
            p.raised_on, p.status = _between(rng, today - dt.timedelta(days=45), today), S.OPEN
        else:
            p.raised_on = _between(rng, half.start, today - dt.timedelta(days=30))
            p.started_on = p.raised_on + dt.timedelta(days=rng.randint(1, 10))
            p.closed_on = _between(rng, p.started_on, today)
            p.status, p.close_reason = S.CLOSED, rng.choice(content.CLOSE_REASONS)
        return p

    def benefit(self, p, category):
        rng = self.rng
        if category in (Problem.Category.TECHNICAL, Problem.Category.PROCESS):
            p.oil_t = _money(rng, 3, 90, 1)
            p.gas_m3 = _money(rng, 500, 30000) if rng.random() < 0.3 else Decimal(0)
            p.cost_saved = _money(rng, 0, 80000) if rng.random() < 0.5 else Decimal(0)
        elif category == Problem.Category.EQUIPMENT:
            p.oil_t = _money(rng, 0, 25, 1) if rng.random() < 0.5 else Decimal(0)
            p.cost_saved = _money(rng, 5000, 300000)
        elif category == Problem.Category.MANAGEMENT:
            p.cost_saved = _money(rng, 2000, 150000)
            p.other_benefit = "管理流程优化，工作效率提升"
        elif category == Problem.Category.SAFETY:
            p.cost_saved = _money(rng, 0, 50000)
            p.other_benefit = "消除安全隐患，杜绝事故发生"
        else:
            p.other_benefit = "员工操作更规范"
