"""The labour-competition API (劳动竞赛): competitions, their participants, indicators and
awards, hand-entered readings and bonus/deduction items, the live source registry, rankings by
period (frozen once published) and publishing. Thin: reads start from competitions.selectors,
writes go through competitions.services; a competition outside the caller's scope answers 404.
The people of a participant read the competitions they take part in (list, detail, rankings,
their own scores) as selectors.for_viewer masks them; readings and every write stay with the
organiser's scope and answer them 404."""
import datetime as dt
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from ronghe.competitions import schemas as s
from ronghe.competitions import selectors, services, sources
from ronghe.competitions.models import Adjustment, AwardKind, Indicator, Participant, Reading
from ronghe.core import clock
from ronghe.core.api_support import (
    PageQuery,
    get_or_404,
    invalid,
    named,
    paginate,
    parse_date,
    require_any,
    responses,
)
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.org import selectors as org_selectors
from ronghe.org.models import Unit
from ronghe.production.models import ProjectGroup
from ronghe.vanguard.models import Carrier

router = Router(tags=["competitions"])
CompetitionId = Annotated[int, Path(description="Id of the competition (竞赛编号).")]
ParticipantId = Annotated[int, Path(description="Id of the participant (参赛编号).")]
IndicatorId = Annotated[int, Path(description="Id of the indicator (指标编号).")]
AdjustmentId = Annotated[int, Path(description="Id of the bonus or deduction item (加减分编号).")]
AwardId = Annotated[int, Path(description="Id of the award (奖项编号).")]
PeriodPath = Annotated[str, Path(description="First day of the scoring period, YYYY-MM-DD (周期开始日).")]
NO_CONTENT = {204: None}


# --- look-ups ------------------------------------------------------------------------------------

def _competition(user, competition_id, action=VIEW):
    """A competition organised within the caller's scope (read whole, or run)."""
    return get_or_404(selectors.with_counts(selectors.competitions(user, action)), pk=competition_id)


def _visible(user, competition_id):
    """A competition organised within the caller's scope or one they take part in, with how
    they read it."""
    competition = get_or_404(selectors.with_counts(selectors.visible_competitions(user)), pk=competition_id)
    return competition, selectors.access_for(user, competition)


def _unit(user, code, field):
    unit = Unit.objects.restrict(user, VIEW).filter(code=code).first() if code else None
    if unit is None:
        raise invalid(field, _("No unit with code “%(code)s” within your scope.") % {"code": code or ""})
    return unit


def _indicator(competition, code, field):
    indicator = competition.indicators.filter(code=code).first() if code else None
    if indicator is None:
        raise invalid(field, _("No indicator “%(code)s” in this competition.") % {"code": code or ""})
    return indicator


def _participant(competition, participant_id, field):
    participant = (competition.participants.select_related("unit__parent", "project_group", "carrier")
                   .filter(pk=participant_id).first())
    if participant is None:
        raise invalid(field, _("No participant %(id)s in this competition.") % {"id": participant_id})
    return participant


def _period(competition, value, field):
    day = value if isinstance(value, dt.date) else parse_date(value, field)
    period = selectors.period_starting(competition, day, clock.today()) if day else None
    if period is None:
        raise invalid(field, _("%(day)s does not start a scoring period of this competition.") % {"day": value})
    return period


# --- rows ----------------------------------------------------------------------------------------

def _competition_row(c) -> dict:
    return {"id": c.pk, "access": "organiser" if getattr(c, "organised", True) else "participant", "name": c.name, "organiser": c.organiser.code, "organiser_name": c.organiser.name,
            "kind": c.kind, "starts_on": c.starts_on, "ends_on": c.ends_on, "cadence": c.cadence,
            "description": c.description, "tie_breaker": c.tie_breaker.code if c.tie_breaker_id else None,
            "participant_count": c.participant_count, "indicator_count": c.indicator_count}


def _participant_row(p) -> dict:
    return {"id": p.pk, "name": p.label, "unit": p.unit.code, "project_group": p.project_group_id,
            "carrier": p.carrier_id}


def _indicator_row(i) -> dict:
    return {"id": i.pk, "code": i.code, "name": i.name, "unit_label": i.unit_label, "source": i.source,
            "weight": i.weight, "normalisation": i.normalisation, "higher_is_better": i.higher_is_better,
            "target": i.target, "ratio_cap": i.ratio_cap}


def _detail(user, competition_id) -> dict:
    """A competition; a participant's people read their own participants only (the others'
    names reach them with a published ranking)."""
    c, access = _visible(user, competition_id)
    published = {p.period_start: p.version for p in c.publications.filter(is_current=True)}
    return {**_competition_row(c),
            "participants": [_participant_row(p) for p in selectors.participants_of(c) if access.sees(p.pk)],
            "indicators": [_indicator_row(i) for i in selectors.indicators_of(c)],
            "awards": [{"id": a.pk, "name": a.name, "top": a.top} for a in selectors.award_kinds(c)],
            "periods": [{"start": p.start, "end": p.end, "published_version": published.get(p.start)}
                        for p in selectors.periods_of(c)]}


def _ranking_row(ranking, only=None) -> dict:
    publication = ranking.publication
    rows = [r for r in ranking.rows if only is None or r.participant_id == only]
    return {
        "competition": ranking.competition.pk, "period_start": ranking.period.start,
        "period_end": ranking.period.end, "published": ranking.published,
        "version": publication.version if publication else None,
        "published_at": publication.published_at if publication else None, "as_of": ranking.as_of,
        "tie_breaker": ranking.tie_breaker,
        "indicators": [{key: i[key] for key in ("code", "name", "unit_label", "weight", "normalisation",
                                                "higher_is_better", "source")} for i in ranking.indicators],
        "masked": ranking.masked, "ranked": ranking.size,
        "standings": [{"participant": r.participant_id, "name": r.name, "rank": r.rank, "change": r.change,
                       "total": r.total, "base": r.base, "adjustment": r.adjustment, "lines": r.lines,
                       "adjustments": r.adjustments, "awards": r.awards, "masked": r.masked} for r in rows],
    }


def _as_of(query):
    return parse_date(query.as_of, "as_of") or clock.today()


# --- competitions --------------------------------------------------------------------------------

@router.get("", response=responses({200: s.CompetitionPage}), **named("competitions_list"),
            summary="List competitions")
def competitions_list(request, filters: Query[s.CompetitionFilters], page: Query[PageQuery]):
    """Labour competitions (劳动竞赛) organised by units within your scope, and those you take part
    in (`access` participant: the people of a participant, who read them masked), newest first."""
    qs = selectors.with_counts(selectors.visible_competitions(request.auth))
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.year:
        qs = qs.filter(starts_on__year__lte=filters.year, ends_on__year__gte=filters.year)
    if filters.organiser_subtree:
        qs = org_selectors.in_unit_subtree(qs, "organiser", filters.organiser_subtree)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return paginate(qs.order_by("-starts_on", "name", "pk"), page, lambda chunk: [_competition_row(c) for c in chunk])


@router.get("/sources", response=responses({200: list[s.SourceOut]}), **named("competitions_sources"),
            summary="List live indicator sources")
def competitions_sources(request):
    """The live data an indicator can read (实时指标来源): output against plan, measures, new
    wells, and whatever other modules register."""
    return [{"code": src.code, "label": str(src.label), "unit_label": src.unit_label, "kinds": sorted(src.kinds),
             "normalisation": src.normalisation, "help": str(src.help)} for src in sources.all_sources()]


@router.post("", response=responses({201: s.CompetitionDetail}), **named("competitions_create"),
             summary="Create a competition")
def competitions_create(request, payload: s.CompetitionIn):
    """A competition organised by a unit you may change; add participants and indicators next."""
    user = request.auth
    require_any(user, CHANGE)
    competition = services.competition_create(
        actor=user, name=payload.name, organiser=_unit(user, payload.organiser, "organiser"), kind=payload.kind,
        starts_on=payload.starts_on, ends_on=payload.ends_on, cadence=payload.cadence,
        description=payload.description)
    return Status(201, _detail(user, competition.pk))


@router.get("/{competition_id}", response=responses({200: s.CompetitionDetail}), **named("competitions_get"),
            summary="Get a competition")
def competitions_get(request, competition_id: CompetitionId):
    """A competition with its participants, indicators, awards and scoring periods (each with
    the version of its current publication)."""
    return _detail(request.auth, competition_id)


@router.patch("/{competition_id}", response=responses({200: s.CompetitionDetail}), **named("competitions_update"),
              summary="Edit a competition")
def competitions_update(request, competition_id: CompetitionId, payload: s.CompetitionPatch):
    """Change the fields sent; `tie_breaker` names an indicator by its code, empty for none."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    changes = payload.dict(exclude_unset=True)
    if "organiser" in changes:
        changes["organiser"] = _unit(user, changes["organiser"], "organiser")
    if "tie_breaker" in changes:
        code = changes["tie_breaker"]
        changes["tie_breaker"] = _indicator(competition, code, "tie_breaker") if code else None
    services.competition_update(actor=user, competition=competition, **changes)
    return _detail(user, competition.pk)


# --- participants, indicators, awards ------------------------------------------------------------

@router.post("/{competition_id}/participants", response=responses({201: s.ParticipantOut}),
             **named("competitions_participant_add"), summary="Add a participant")
def competitions_participant_add(request, competition_id: CompetitionId, payload: s.ParticipantIn):
    """A unit or team (competition among units), a project group (among groups) or a
    Party-member carrier (among carriers), within the organiser unit."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    group = None
    if payload.project_group is not None:
        group = ProjectGroup.objects.restrict(user).filter(pk=payload.project_group).first()
        if group is None:
            raise invalid("project_group", _("No project group %(id)s within your scope.")
                          % {"id": payload.project_group})
    carrier = None
    if payload.carrier is not None:
        carrier = Carrier.objects.restrict(user).filter(pk=payload.carrier).first()
        if carrier is None:
            raise invalid("carrier", _("No carrier %(id)s within your scope.") % {"id": payload.carrier})
    unit = _unit(user, payload.unit, "unit") if payload.unit else None
    participant = services.participant_add(actor=user, competition=competition, unit=unit, project_group=group,
                                           carrier=carrier, sort_order=payload.sort_order)
    return Status(201, _participant_row(participant))


@router.delete("/{competition_id}/participants/{participant_id}", response=responses(NO_CONTENT),
               **named("competitions_participant_remove"), summary="Remove a participant")
def competitions_participant_remove(request, competition_id: CompetitionId, participant_id: ParticipantId):
    """Only a participant that stands in no published ranking can leave."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    participant = get_or_404(competition.participants.select_related("unit__parent", "project_group", "carrier"),
                             pk=participant_id)
    services.participant_remove(actor=user, participant=participant)
    return Status(204, None)


@router.post("/{competition_id}/indicators", response=responses({201: s.IndicatorOut}),
             **named("competitions_indicator_add"), summary="Add an indicator")
def competitions_indicator_add(request, competition_id: CompetitionId, payload: s.IndicatorIn):
    """An indicator read live from a registered source or entered by hand, with its weight and
    normalisation."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    indicator = services.indicator_create(actor=user, competition=competition, **payload.dict())
    return Status(201, _indicator_row(indicator))


@router.patch("/{competition_id}/indicators/{indicator_id}", response=responses({200: s.IndicatorOut}),
              **named("competitions_indicator_update"), summary="Edit an indicator")
def competitions_indicator_update(request, competition_id: CompetitionId, indicator_id: IndicatorId,
                                  payload: s.IndicatorPatch):
    """Change the fields sent; published rankings keep the indicator as published."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    indicator = get_or_404(Indicator.objects.filter(competition=competition), pk=indicator_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items()
               if v is not None or k == "target"}
    indicator = services.indicator_update(actor=user, indicator=indicator, **changes)
    return _indicator_row(indicator)


@router.delete("/{competition_id}/indicators/{indicator_id}", response=responses(NO_CONTENT),
               **named("competitions_indicator_remove"), summary="Remove an indicator")
def competitions_indicator_remove(request, competition_id: CompetitionId, indicator_id: IndicatorId):
    """Remove an indicator with its readings; published rankings keep it."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    indicator = get_or_404(Indicator.objects.filter(competition=competition), pk=indicator_id)
    services.indicator_remove(actor=user, indicator=indicator)
    return Status(204, None)


@router.post("/{competition_id}/awards", response=responses({201: s.AwardKindOut}),
             **named("competitions_award_add"), summary="Add an award")
def competitions_award_add(request, competition_id: CompetitionId, payload: s.AwardKindIn):
    """An award (流动红旗 …) given to the first `top` ranks with each published period."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    kind = services.award_kind_create(actor=user, competition=competition, name=payload.name, top=payload.top)
    return Status(201, {"id": kind.pk, "name": kind.name, "top": kind.top})


@router.delete("/{competition_id}/awards/{award_id}", response=responses(NO_CONTENT),
               **named("competitions_award_remove"), summary="Remove an award")
def competitions_award_remove(request, competition_id: CompetitionId, award_id: AwardId):
    """Awards already given stay with their publications."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    services.award_kind_remove(actor=user, award_kind=get_or_404(AwardKind.objects.filter(competition=competition),
                                                                 pk=award_id))
    return Status(204, None)


# --- readings and adjustments --------------------------------------------------------------------

@router.get("/{competition_id}/readings", response=responses({200: s.ReadingPage}),
            **named("competitions_readings"), summary="List hand-entered readings")
def competitions_readings(request, competition_id: CompetitionId, filters: Query[s.ReadingFilters],
                          page: Query[PageQuery]):
    """Readings entered by hand or imported (手工录入), with their evidence."""
    competition = _competition(request.auth, competition_id)
    qs = (Reading.objects.filter(indicator__competition=competition)
          .select_related("indicator", "participant__unit__parent", "participant__project_group", "participant__carrier")
          .order_by("period_start", "indicator__sort_order", "indicator_id", "participant__sort_order", "pk"))
    if filters.period:
        qs = qs.filter(period_start=filters.period)
    if filters.indicator:
        qs = qs.filter(indicator__code=filters.indicator)
    return paginate(qs, page, lambda chunk: [{
        "id": r.pk, "indicator": r.indicator.code, "participant": r.participant_id,
        "participant_name": r.participant.label, "period_start": r.period_start, "value": r.value, "plan": r.plan,
        "evidence": r.evidence, "updated_at": r.updated_at} for r in chunk])


@router.post("/{competition_id}/readings", response=responses({201: s.ReadingOut}),
            **named("competitions_reading_set"), summary="Enter a reading")
def competitions_reading_set(request, competition_id: CompetitionId, payload: s.ReadingIn):
    """Enter or correct a hand-entered indicator's reading for one participant and period."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    participant = _participant(competition, payload.participant, "participant")
    reading = services.reading_set(
        actor=user, indicator=_indicator(competition, payload.indicator, "indicator"), participant=participant,
        period_start=_period(competition, payload.period_start, "period_start").start, value=payload.value,
        plan=payload.plan, evidence=payload.evidence)
    return Status(201, {"id": reading.pk, "indicator": reading.indicator.code, "participant": participant.pk,
                        "participant_name": participant.label, "period_start": reading.period_start,
                        "value": reading.value, "plan": reading.plan, "evidence": reading.evidence,
                        "updated_at": reading.updated_at})


@router.post("/{competition_id}/adjustments", response=responses({201: s.AdjustmentOut}),
             **named("competitions_adjustment_add"), summary="Add a bonus or deduction")
def competitions_adjustment_add(request, competition_id: CompetitionId, payload: s.AdjustmentIn):
    """A bonus (加分, positive) or deduction (扣分, negative) with its reason."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    item = services.adjustment_add(
        actor=user, participant=_participant(competition, payload.participant, "participant"),
        period_start=_period(competition, payload.period_start, "period_start").start, points=payload.points,
        reason=payload.reason, evidence=payload.evidence)
    return Status(201, {"id": item.pk, "participant": item.participant_id, "period_start": item.period_start,
                        "points": item.points, "reason": item.reason, "evidence": item.evidence})


@router.delete("/{competition_id}/adjustments/{adjustment_id}", response=responses(NO_CONTENT),
               **named("competitions_adjustment_remove"), summary="Remove a bonus or deduction")
def competitions_adjustment_remove(request, competition_id: CompetitionId, adjustment_id: AdjustmentId):
    """Published rankings keep the items they were published with."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    item = get_or_404(Adjustment.objects.filter(competition=competition), pk=adjustment_id)
    services.adjustment_remove(actor=user, adjustment=item)
    return Status(204, None)


# --- rankings ------------------------------------------------------------------------------------

@router.get("/{competition_id}/rankings", response=responses({200: s.RankingsOut}),
            **named("competitions_rankings"), summary="Rankings of every period")
def competitions_rankings(request, competition_id: CompetitionId, query: Query[s.RankingQuery]):
    """The ranking of every period begun by `as_of`, oldest first, each with its rank changes
    (名次变化): published periods as frozen, the others live."""
    competition, access = _visible(request.auth, competition_id)
    as_of = _as_of(query)
    return {"competition": competition.pk, "as_of": as_of,
            "periods": [_ranking_row(r) for r in selectors.for_viewer(selectors.rankings(competition, as_of), access)]}


@router.get("/{competition_id}/rankings/{period}", response=responses({200: s.RankingOut}),
            **named("competitions_ranking"), summary="Ranking of a period")
def competitions_ranking(request, competition_id: CompetitionId, period: PeriodPath, query: Query[s.RankingQuery]):
    """One period's standings with the score of every indicator, bonuses and deductions, rank
    changes and awards (排名与分项得分)."""
    competition, access = _visible(request.auth, competition_id)
    return _ranking_row(selectors.ranking(competition, _period(competition, period, "period"), _as_of(query), access))


@router.post("/{competition_id}/rankings/{period}/publish", response=responses({201: s.RankingOut}),
             **named("competitions_publish"), summary="Publish a period's ranking")
def competitions_publish(request, competition_id: CompetitionId, period: PeriodPath, payload: s.PublishIn):
    """Freeze an ended period's ranking (通报) and give its awards. Publishing again needs a
    reason and keeps the earlier version; both are audited."""
    user = request.auth
    require_any(user, CHANGE)
    competition = _competition(user, competition_id)
    found = _period(competition, period, "period")
    services.period_publish(actor=user, competition=competition, period_start=found.start, reason=payload.reason,
                            as_of=payload.as_of)
    return Status(201, _ranking_row(selectors.ranking(competition, found)))


@router.get("/{competition_id}/participants/{participant_id}/scores", response=responses({200: s.ParticipantScoresOut}),
            **named("competitions_participant_scores"), summary="A participant's scores")
def competitions_participant_scores(request, competition_id: CompetitionId, participant_id: ParticipantId,
                                    query: Query[s.RankingQuery]):
    """One participant's standing in every period begun, with its breakdown (分项得分趋势); the
    people of a participant read their own."""
    competition, access = _visible(request.auth, competition_id)
    if not access.sees(participant_id):
        raise Http404
    participant = get_or_404(Participant.objects.filter(competition=competition)
                             .select_related("unit__parent", "project_group", "carrier"), pk=participant_id)
    as_of = _as_of(query)
    rankings = selectors.for_viewer(selectors.rankings(competition, as_of), access)
    return {"participant": _participant_row(participant), "as_of": as_of,
            "periods": [_ranking_row(r, only=participant.pk) for r in rankings]}
