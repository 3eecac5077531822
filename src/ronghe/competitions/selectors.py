"""Reads of labour competitions: scoped querysets, and the ranking of any scoring period —
the frozen one where it is published, else computed from live data and hand-entered readings
as of a date. Every ranking costs a fixed number of queries whatever the number of
participants.

Who sees what (docs/competitions.md, “Scope”): the organiser's scope sees everything; the
people of a participant see the competitions they take part in through an `Access` without
`organiser`, and every ranking they are given has passed through `for_viewer`, which keeps
their own rows whole and of the others only what a published 通报 announces. Pages, API,
spreadsheet and PDF all read rankings through here, so they agree on what is masked."""
import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

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
from ronghe.org.models import Position, Unit
from ronghe.production.models import ProjectGroup
from ronghe.vanguard.models import Carrier, CarrierMember


def competitions(user, action=VIEW):
    """Competitions organised within the user's scope: those the user may run (CHANGE) or read
    whole (VIEW)."""
    return Competition.objects.restrict(user, action).select_related("organiser", "tie_breaker")


# --- the participant's side ----------------------------------------------------------------------

def taking_part(user):
    """The participants the user stands for: a unit or team within the user's scope or led by
    them (a head, deputy or leader in charge of it), a project group within the scope or led
    or joined by them, a Party-member carrier within the scope (by unit or Party organisation)
    or with them among its members. One query when evaluated; subqueries, so no duplicates."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Participant.objects.none()
    alone = Q(project_group__isnull=True, carrier__isnull=True)
    q = (alone & Q(unit__in=Unit.objects.restrict(user, VIEW).values("pk"))
         | Q(project_group__in=ProjectGroup.objects.restrict(user, VIEW).values("pk"))
         | Q(carrier__in=Carrier.objects.restrict(user, VIEW).values("pk")))
    person_id = getattr(user, "person_id", None)
    if person_id:
        q |= (alone & Q(unit__in=Position.objects.filter(person_id=person_id, unit__isnull=False).values("unit_id"))
              | Q(project_group__in=ProjectGroup.objects.filter(Q(leader_id=person_id) | Q(members=person_id))
                  .values("pk"))
              | Q(carrier__in=CarrierMember.objects.filter(person_id=person_id).values("carrier_id")))
    return Participant.objects.filter(q)


def visible_competitions(user):
    """What the user may read of competitions: those organised within their scope, and those
    they take part in (read through `access_for` and `for_viewer`). Each row says `organised`."""
    organised = Competition.objects.restrict(user, VIEW)
    return _visible(user).select_related("organiser", "tie_breaker").annotate(
        organised=Exists(organised.filter(pk=OuterRef("pk"))))


def _visible(user):
    return Competition.objects.restrict(user, VIEW) | Competition.objects.filter(
        pk__in=taking_part(user).values("competition_id"))


@dataclass(frozen=True)
class Access:
    """How a viewer reads one competition: whole (`organiser`: within the organiser's scope), or
    as the people of the participants in `own`."""

    organiser: bool
    own: frozenset = frozenset()

    def sees(self, participant_id) -> bool:
        """Whether the viewer reads this participant's breakdown, readings and running scores."""
        return self.organiser or participant_id in self.own


FULL = Access(organiser=True)


def access_for(user, competition) -> Access:
    """The viewer's access to a competition found through `visible_competitions` (its
    `organised` annotation saves a query); at most one query."""
    organised = getattr(competition, "organised", None)
    if organised is None:
        organised = Competition.objects.restrict(user, VIEW).filter(pk=competition.pk).exists()
    if organised:
        return FULL
    return Access(False, frozenset(taking_part(user).filter(competition=competition).values_list("pk", flat=True)))


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
    base: float | None
    adjustment: float | None
    lines: list[dict]
    adjustments: list[dict]
    tie_value: float | None = None
    change: int | None = None
    awards: list[str] = field(default_factory=list)
    # Another participant's row as a participant reads it: rank, name, total and awards only.
    masked: bool = False


@dataclass
class Ranking:
    competition: Competition
    period: rules.Period
    as_of: dt.date
    indicators: list[dict]
    rows: list[Row]
    publication: Publication | None = None
    tie_breaker: str = ""
    # Read by a participant's people (for_viewer): rows of others left out or masked; `ranked`
    # keeps how many were ranked.
    masked: bool = False
    ranked: int = 0

    @property
    def published(self) -> bool:
        return self.publication is not None

    @property
    def size(self) -> int:
        """How many participants the period ranks, whether or not the viewer reads their rows."""
        return self.ranked or len(self.rows)

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


def for_viewer(found: list[Ranking], access: Access) -> list[Ranking]:
    """Rankings (consecutive, from the first period, as `rankings` gives them) as the viewer may
    read them. The organiser's scope reads them whole. The people of a participant read their
    own rows whole, live or published; of the other participants only what a published 通报
    announces — rank, name, total and awards, and the rank change when the period before was
    published too (else it would tell a live rank) — and nothing of a period not published."""
    if access.organiser:
        return found
    out, before_published = [], False
    for ranking in found:
        rows = []
        for row in ranking.rows:
            if access.sees(row.participant_id):
                rows.append(row)
            elif ranking.published:
                rows.append(Row(row.participant_id, row.name, row.rank, row.total, None, None, [], [],
                                change=row.change if before_published else None, awards=row.awards, masked=True))
        out.append(replace(ranking, rows=rows, masked=True, ranked=len(ranking.rows)))
        before_published = ranking.published
    return out


def ranking(competition, period: rules.Period, as_of: dt.date | None = None, access: Access = FULL) -> Ranking:
    """One period's ranking with its rank changes against the period before, as `access` reads it."""
    as_of = as_of or clock.today()
    return for_viewer(rankings(competition, max(as_of, period.start), upto=period), access)[-1]


def award_kinds(competition) -> list[AwardKind]:
    return list(competition.award_kinds.all())


def awards(user, competition=None):
    """Awards given with current publications of the competitions the user sees, newest period
    first: a published award is part of the 通报 every participant reads."""
    qs = (AwardGrant.objects.filter(publication__competition__in=_visible(user).values("pk"),
                                    publication__is_current=True)
          .select_related("publication", "publication__competition", "participant", "participant__unit__parent",
                          "participant__project_group", "participant__carrier"))
    if competition is not None:
        qs = qs.filter(publication__competition=competition)
    return qs.order_by("-publication__period_start", "publication__competition_id", "rank", "id")


def publications(competition):
    """Every publication of the competition, re-publications included, newest first."""
    return (Publication.objects.filter(competition=competition).select_related("published_by")
            .order_by("-period_start", "-version"))


@dataclass
class Version:
    version: int
    is_current: bool
    published_at: dt.datetime
    published_by: object | None = None
    reason: str = ""


def versions(competition, period_start: dt.date, access: Access = FULL) -> list[Version]:
    """The publications of one period, newest first. Who published and why it was published
    again are the organiser's records (a reason may name another participant's figures):
    participants read the versions and when they came out."""
    return [Version(p.version, p.is_current, p.published_at, p.published_by if access.organiser else None,
                    p.reason if access.organiser else "")
            for p in publications(competition).filter(period_start=period_start)]
