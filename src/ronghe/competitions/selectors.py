"""Reads of labour competitions: scoped querysets, and the ranking of any scoring period —
the frozen one where it is published, else computed from live data and hand-entered readings
as of a date. Every ranking costs a fixed number of queries whatever the number of
participants."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from ronghe.competitions import rules, sources
from ronghe.competitions.models import (
    Adjustment,
    AwardGrant,
    AwardKind,
    Competition,
    Indicator,
    Participant,
    Publication,
    Reading,
    Standing,
)
from ronghe.core import clock
from ronghe.core.scoping import VIEW


def competitions(user, action=VIEW):
    return Competition.objects.restrict(user, action).select_related("organiser", "tie_breaker")


def with_counts(queryset):
    return queryset.annotate(participant_count=Count("participants", distinct=True),
                             indicator_count=Count("indicators", distinct=True))


def participants_of(competition) -> list[Participant]:
    return list(competition.participants.select_related("unit__parent", "project_group", "carrier"))


def indicators_of(competition) -> list[Indicator]:
    return list(competition.indicators.all())


def periods_of(competition) -> list[rules.Period]:
    return rules.periods(competition.starts_on, competition.ends_on, rules.Cadence(competition.cadence))


def period_starting(competition, start: dt.date | None, as_of: dt.date) -> rules.Period | None:
    """The period that starts on `start`; without one, the latest period that has begun by
    `as_of` (the first when none has)."""
    all_periods = periods_of(competition)
    if start is not None:
        return next((p for p in all_periods if p.start == start), None)
    begun = [p for p in all_periods if p.start <= as_of]
    return begun[-1] if begun else all_periods[0]


def spec_of(indicator: Indicator) -> rules.IndicatorSpec:
    return rules.IndicatorSpec(indicator.code, indicator.weight, rules.Normalisation(indicator.normalisation),
                               indicator.higher_is_better, indicator.target, indicator.ratio_cap)


def indicator_facts(indicator: Indicator) -> dict:
    """An indicator as a ranking shows it and a publication freezes it."""
    return {"code": indicator.code, "name": indicator.name, "unit_label": indicator.unit_label,
            "weight": indicator.weight, "normalisation": indicator.normalisation,
            "higher_is_better": indicator.higher_is_better, "source": indicator.source}


def readings_for(competition, indicators, participants, period: rules.Period, as_of: dt.date) -> dict:
    """{(indicator code, participant id): rules.Reading} for one period: hand-entered ones from
    the database, live ones from their sources (data up to `as_of`)."""
    out = {}
    by_pk = {i.pk: i for i in indicators}
    manual = [i.pk for i in indicators if i.is_manual]
    if manual and participants:
        rows = Reading.objects.filter(indicator_id__in=manual, period_start=period.start,
                                      participant__competition=competition).values_list(
            "indicator_id", "participant_id", "value", "plan")
        for indicator_id, participant_id, value, plan in rows:
            out[(by_pk[indicator_id].code, participant_id)] = rules.Reading(value, plan)
    for indicator in indicators:
        source = None if indicator.is_manual else sources.get(indicator.source)
        if source is None or competition.kind not in source.kinds or not participants:
            continue
        for participant_id, reading in source.read(participants, period.start, period.end, as_of).items():
            out[(indicator.code, participant_id)] = reading
    return out


@dataclass
class Row:
    participant_id: int
    name: str
    rank: int
    total: float
    base: float
    adjustment: float
    lines: list[dict]
    adjustments: list[dict]
    tie_value: float | None = None
    change: int | None = None
    awards: list[str] = field(default_factory=list)


@dataclass
class Ranking:
    competition: Competition
    period: rules.Period
    as_of: dt.date
    indicators: list[dict]
    rows: list[Row]
    publication: Publication | None = None
    tie_breaker: str = ""

    @property
    def published(self) -> bool:
        return self.publication is not None

    def row_of(self, participant_id) -> Row | None:
        return next((r for r in self.rows if r.participant_id == participant_id), None)


def compute(competition, period: rules.Period, as_of: dt.date, *, participants=None, indicators=None) -> Ranking:
    """The ranking of `period` from the data as they are, up to `as_of`."""
    participants = participants_of(competition) if participants is None else participants
    indicators = indicators_of(competition) if indicators is None else indicators
    readings = readings_for(competition, indicators, participants, period, as_of)
    adjustments = list(Adjustment.objects.filter(competition=competition, period_start=period.start)
                       .values_list("participant_id", "points", "reason"))
    tie_code = next((i.code for i in indicators if i.pk == competition.tie_breaker_id), None)
    standings = rules.score([p.pk for p in participants], [spec_of(i) for i in indicators], readings,
                            [rules.Adjustment(*a) for a in adjustments], tie_code)
    names = {p.pk: p.label for p in participants}
    rows = [Row(s.participant, names[s.participant], s.rank, s.total, s.base, s.adjustment,
                [{"indicator": line.indicator, "value": line.value, "plan": line.plan, "points": round(line.points, 4),
                  "score": round(line.score, 4), "missing": line.missing} for line in s.lines],
                [{"points": a.points, "reason": a.reason} for a in s.adjustments], s.tie_value)
            for s in standings]
    return Ranking(competition, period, as_of, [indicator_facts(i) for i in indicators], rows,
                   tie_breaker=tie_code or "")


def current_publications(competition) -> dict[dt.date, Publication]:
    """The current publication of each published period, with its standings and awards."""
    rows = (Publication.objects.filter(competition=competition, is_current=True).select_related("published_by")
            .prefetch_related(Prefetch("standings", queryset=Standing.objects.order_by("rank", "name")),
                              Prefetch("awards", queryset=AwardGrant.objects.order_by("rank", "id"))))
    return {p.period_start: p for p in rows}


def frozen(competition, period: rules.Period, publication: Publication) -> Ranking:
    awards: dict[int, list[str]] = {}
    for grant in publication.awards.all():
        awards.setdefault(grant.participant_id, []).append(grant.award)
    rows = [Row(s.participant_id, s.name, s.rank, s.total, s.base, s.adjustment, s.lines, s.adjustments,
                s.tie_value, awards=awards.get(s.participant_id, [])) for s in publication.standings.all()]
    return Ranking(competition, period, publication.as_of, publication.indicators, rows, publication,
                   publication.tie_breaker)


def rankings(competition, as_of: dt.date | None = None, *, upto: rules.Period | None = None) -> list[Ranking]:
    """The ranking of every period begun by `as_of` (up to `upto` when given), each with its
    rank changes against the one before: published periods as frozen, the others live."""
    as_of = as_of or clock.today()
    published = current_publications(competition)
    participants, indicators = participants_of(competition), indicators_of(competition)
    out: list[Ranking] = []
    for period in periods_of(competition):
        if period.start > as_of or (upto is not None and period.start > upto.start):
            break
        if period.start in published:
            ranking = frozen(competition, period, published[period.start])
        else:
            ranking = compute(competition, period, as_of, participants=participants, indicators=indicators)
        if out:
            before = {r.participant_id: r.rank for r in out[-1].rows}
            changes = rules.rank_changes({r.participant_id: r.rank for r in ranking.rows}, before)
            for row in ranking.rows:
                row.change = changes[row.participant_id]
        out.append(ranking)
    return out


def ranking(competition, period: rules.Period, as_of: dt.date | None = None) -> Ranking:
    """One period's ranking with its rank changes against the period before."""
    as_of = as_of or clock.today()
    found = rankings(competition, max(as_of, period.start), upto=period)
    return found[-1]


def award_kinds(competition) -> list[AwardKind]:
    return list(competition.award_kinds.all())


def awards(user, competition=None):
    """Awards given with current publications the user may see, newest period first."""
    qs = (AwardGrant.objects.restrict(user).filter(publication__is_current=True)
          .select_related("publication", "publication__competition", "participant", "participant__unit__parent",
                          "participant__project_group", "participant__carrier"))
    if competition is not None:
        qs = qs.filter(publication__competition=competition)
    return qs.order_by("-publication__period_start", "publication__competition_id", "rank", "id")


def publications(competition):
    """Every publication of the competition, re-publications included, newest first."""
    return (Publication.objects.filter(competition=competition).select_related("published_by")
            .order_by("-period_start", "-version"))
