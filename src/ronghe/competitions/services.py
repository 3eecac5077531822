"""Every write of labour competitions: the competition and its participants, indicators,
awards, hand-entered readings and bonus/deduction items, and publishing a period's ranking
(通报), which freezes it. One transaction each, validated, audited against the organiser unit;
whoever may change the organiser unit runs the competition."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.competitions import notices, rules, selectors, sources
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
from ronghe.core import audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.scoping import CHANGE, allows
from ronghe.core.templatetags.ronghe import cndate

COMPETITION_FIELDS = ["name", "organiser", "kind", "starts_on", "ends_on", "cadence", "description", "tie_breaker"]
INDICATOR_FIELDS = ["code", "name", "unit_label", "source", "weight", "normalisation", "higher_is_better", "target",
                    "ratio_cap", "sort_order"]
READING_FIELDS = ["indicator", "participant", "period_start", "value", "plan", "evidence"]
ADJUSTMENT_FIELDS = ["participant", "period_start", "points", "reason", "evidence"]


def can_manage(actor, competition) -> bool:
    return allows(actor, CHANGE, competition.organiser)


def _need(actor, competition):
    if not can_manage(actor, competition):
        raise OutOfScope()


def _record(actor, action, obj, competition, *, before=None, after=None, message=""):
    audit.record(actor=actor, action=f"competition.{action}", obj=obj, before=before, after=after,
                 message=message, unit=competition.organiser)


def _in_organiser(competition, unit):
    return unit.path.startswith(competition.organiser.path)


def _period_start(competition, day: dt.date) -> dt.date:
    if not any(p.start == day for p in selectors.periods_of(competition)):
        raise ValidationError({"period_start": _("%(day)s does not start a scoring period of this competition.")
                               % {"day": day.isoformat()}})
    return day


# --- competitions ----------------------------------------------------------------------------------

@transaction.atomic
def competition_create(*, actor, name, organiser, starts_on, ends_on, kind=Competition.Kind.UNITS,
                       cadence=Competition.Cadence.MONTHLY, description="") -> Competition:
    if not allows(actor, CHANGE, organiser):
        raise ValidationError({"organiser": _("No such unit within your scope.")})
    competition = Competition(name=name, organiser=organiser, kind=kind, starts_on=starts_on, ends_on=ends_on,
                              cadence=cadence, description=description)
    competition.full_clean()
    competition.save()
    _record(actor, "create", competition, competition, after=audit.snapshot(competition, COMPETITION_FIELDS))
    return competition


@transaction.atomic
def competition_update(*, actor, competition, **changes) -> Competition:
    """Edit what a competition says. Its kind is fixed once it has participants, and its
    organiser may only move within the actor's reach."""
    competition = Competition.objects.select_for_update().select_related("organiser").get(pk=competition.pk)
    _need(actor, competition)
    unknown = set(changes) - set(COMPETITION_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "kind" in changes and changes["kind"] != competition.kind and competition.participants.exists():
        raise ValidationError({"kind": _("The participants are already chosen; their kind cannot change.")})
    before = audit.snapshot(competition, COMPETITION_FIELDS)
    for name, value in changes.items():
        setattr(competition, name, value)
    competition.full_clean()
    if "organiser" in changes:
        if not can_manage(actor, competition):
            raise ValidationError({"organiser": _("No such unit within your scope.")})
        outside = [p.label for p in selectors.participants_of(competition) if not _in_organiser(competition, p.unit)]
        if outside:
            raise ValidationError({"organiser": _("These participants lie outside the organiser unit: %(names)s")
                                   % {"names": "、".join(outside)}})
    competition.save(update_fields=list(changes))
    _record(actor, "update", competition, competition, before=before,
            after=audit.snapshot(competition, COMPETITION_FIELDS))
    return competition


# --- participants ----------------------------------------------------------------------------------

@transaction.atomic
def participant_add(*, actor, competition, unit=None, project_group=None, carrier=None, sort_order=0) -> Participant:
    """A unit or team (for a competition among units), a project group (among groups) or a
    Party-member carrier (among carriers); it must lie within the organiser unit."""
    _need(actor, competition)
    K = Competition.Kind
    if competition.kind == K.GROUPS:
        if project_group is None or carrier is not None:
            raise ValidationError({"project_group": _("Name the project group that competes.")})
        unit = project_group.unit
    elif competition.kind == K.CARRIERS:
        if carrier is None or project_group is not None:
            raise ValidationError({"carrier": _("Name the Party-member carrier that competes.")})
        unit = carrier.unit
    elif unit is None or project_group is not None or carrier is not None:
        raise ValidationError({"unit": _("Name the unit or team that competes.")})
    if not _in_organiser(competition, unit):
        raise ValidationError({"unit": _("The participant must belong to the organiser unit “%(unit)s”.")
                               % {"unit": competition.organiser.name}})
    if project_group is not None:
        taken = competition.participants.filter(project_group=project_group)
    elif carrier is not None:
        taken = competition.participants.filter(carrier=carrier)
    else:
        taken = competition.participants.filter(unit=unit, project_group__isnull=True, carrier__isnull=True)
    if taken.exists():
        raise ValidationError({"unit": _("This participant is in the competition already.")})
    participant = Participant(competition=competition, unit=unit, project_group=project_group, carrier=carrier,
                              sort_order=sort_order)
    participant.full_clean()
    participant.save()
    _record(actor, "participant_add", participant, competition,
            after={"participant": participant.label, "unit": unit.code,
                   "project_group": project_group.pk if project_group else None,
                   "carrier": carrier.pk if carrier else None},
            message=_("%(name)s joins the competition.") % {"name": participant.label})
    return participant


@transaction.atomic
def participant_remove(*, actor, participant) -> None:
    competition = participant.competition
    _need(actor, competition)
    if participant.standings.exists():
        raise ValidationError(_("“%(name)s” stands in a published ranking and cannot be removed.")
                              % {"name": participant.label})
    label = participant.label
    _record(actor, "participant_remove", participant, competition, before={"participant": label},
            message=_("%(name)s leaves the competition.") % {"name": label})
    participant.delete()


# --- indicators ----------------------------------------------------------------------------------

@transaction.atomic
def indicator_create(*, actor, competition, code, name, weight, source=Indicator.MANUAL,
                     normalisation=Indicator.Normalisation.RANK, higher_is_better=True, target=None, ratio_cap=1.2,
                     unit_label=None, sort_order=0) -> Indicator:
    """An indicator read from a live source or entered by hand; a live one takes its unit of
    measure from its source unless one is given."""
    _need(actor, competition)
    live = sources.get(source) if source != Indicator.MANUAL else None
    if unit_label is None:
        unit_label = live.unit_label if live else ""
    indicator = Indicator(competition=competition, code=code, name=name, weight=weight, source=source,
                          normalisation=normalisation, higher_is_better=higher_is_better, target=target,
                          ratio_cap=ratio_cap, unit_label=unit_label, sort_order=sort_order)
    indicator.full_clean()
    indicator.save()
    _record(actor, "indicator_add", indicator, competition, after=audit.snapshot(indicator, INDICATOR_FIELDS))
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator, **changes) -> Indicator:
    """Change an indicator. Published rankings keep the indicator as it was."""
    indicator = Indicator.objects.select_for_update().select_related("competition__organiser").get(pk=indicator.pk)
    _need(actor, indicator.competition)
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if changes.get("source", indicator.source) != indicator.source and indicator.readings.exists():
        raise ValidationError({"source": _("Readings were entered for this indicator; remove them before it "
                                           "reads from another source.")})
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    for name, value in changes.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save(update_fields=list(changes))
    _record(actor, "indicator_update", indicator, indicator.competition, before=before,
            after=audit.snapshot(indicator, INDICATOR_FIELDS))
    return indicator


@transaction.atomic
def indicator_remove(*, actor, indicator) -> None:
    """Remove an indicator with its readings; published rankings keep it as published."""
    competition = indicator.competition
    _need(actor, competition)
    _record(actor, "indicator_remove", indicator, competition, before=audit.snapshot(indicator, INDICATOR_FIELDS),
            message=_("Indicator “%(name)s” removed with %(count)d readings.")
            % {"name": indicator.name, "count": indicator.readings.count()})
    Competition.objects.filter(pk=competition.pk, tie_breaker=indicator).update(tie_breaker=None)
    indicator.delete()


# --- awards --------------------------------------------------------------------------------------

@transaction.atomic
def award_kind_create(*, actor, competition, name, top=1, sort_order=0) -> AwardKind:
    _need(actor, competition)
    kind = AwardKind(competition=competition, name=name, top=top, sort_order=sort_order)
    kind.full_clean()
    kind.save()
    _record(actor, "award_add", kind, competition, after={"name": name, "top": top})
    return kind


@transaction.atomic
def award_kind_remove(*, actor, award_kind) -> None:
    """Awards already given stay with their publications."""
    competition = award_kind.competition
    _need(actor, competition)
    _record(actor, "award_remove", award_kind, competition, before={"name": award_kind.name, "top": award_kind.top})
    award_kind.delete()


# --- readings and adjustments ------------------------------------------------------------------------

def _check_participant(competition, participant):
    if participant.competition_id != competition.pk:
        raise ValidationError({"participant": _("The participant belongs to another competition.")})


@transaction.atomic
def reading_set(*, actor, indicator, participant, period_start, value, plan=None, evidence="") -> Reading:
    """Enter (or correct) a hand-entered indicator's reading for a participant and period."""
    competition = indicator.competition
    _need(actor, competition)
    if not indicator.is_manual:
        raise ValidationError({"indicator": _("“%(name)s” is read from live data; it takes no readings by hand.")
                               % {"name": indicator.name}})
    _check_participant(competition, participant)
    _period_start(competition, period_start)
    reading = Reading.objects.select_for_update().filter(indicator=indicator, participant=participant,
                                                         period_start=period_start).first()
    before = audit.snapshot(reading, READING_FIELDS) if reading else None
    if reading is None:
        reading = Reading(indicator=indicator, participant=participant, period_start=period_start)
    reading.value, reading.plan, reading.evidence, reading.updated_by = value, plan, evidence, actor
    reading.full_clean()
    reading.save()
    _record(actor, "reading_set", reading, competition, before=before, after=audit.snapshot(reading, READING_FIELDS))
    return reading


@transaction.atomic
def reading_remove(*, actor, reading) -> None:
    competition = reading.indicator.competition
    _need(actor, competition)
    _record(actor, "reading_remove", reading, competition, before=audit.snapshot(reading, READING_FIELDS))
    reading.delete()


@transaction.atomic
def adjustment_add(*, actor, participant, period_start, points, reason, evidence="") -> Adjustment:
    """A bonus (positive points) or deduction (negative) with its reason."""
    competition = participant.competition
    _need(actor, competition)
    _period_start(competition, period_start)
    adjustment = Adjustment(competition=competition, participant=participant, period_start=period_start,
                            points=points, reason=(reason or "").strip(), evidence=evidence, created_by=actor)
    adjustment.full_clean()
    adjustment.save()
    _record(actor, "adjustment_add", adjustment, competition, after=audit.snapshot(adjustment, ADJUSTMENT_FIELDS),
            message=reason)
    return adjustment


@transaction.atomic
def adjustment_remove(*, actor, adjustment) -> None:
    competition = adjustment.competition
    _need(actor, competition)
    _record(actor, "adjustment_remove", adjustment, competition,
            before=audit.snapshot(adjustment, ADJUSTMENT_FIELDS))
    adjustment.delete()


# --- publishing ------------------------------------------------------------------------------------

@transaction.atomic
def period_publish(*, actor, competition, period_start, reason="", as_of=None) -> Publication:
    """Freeze the ranking of an ended period as it stands on `as_of` (default today), give its
    awards and announce it to the participants' people and the organiser's staff (notices).
    Publishing a period again needs a reason; the earlier version is kept, no longer current,
    and the new one is announced as replacing it."""
    competition = Competition.objects.select_for_update().select_related("organiser").get(pk=competition.pk)
    _need(actor, competition)
    today = clock.today()
    as_of = as_of or today
    if as_of > today:
        raise ValidationError({"as_of": _("The date cannot be in the future.")})
    _period_start(competition, period_start)
    period = next(p for p in selectors.periods_of(competition) if p.start == period_start)
    if as_of < period.end:
        raise ValidationError({"period_start": _("The period ends on %(day)s; it can be published after that.")
                               % {"day": period.end.isoformat()}})
    previous = Publication.objects.filter(competition=competition, period_start=period_start, is_current=True).first()
    reason = (reason or "").strip()
    if previous is not None and not reason:
        raise ValidationError({"reason": _("This period was published already; say why it is published again.")})
    participants = selectors.participants_of(competition)
    if not participants:
        raise ValidationError(_("The competition has no participants to rank."))
    indicators = selectors.indicators_of(competition)
    if not indicators:
        raise ValidationError(_("The competition has no indicators to rank by."))
    ranking = selectors.compute(competition, period, as_of, participants=participants, indicators=indicators)
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    publication = Publication.objects.create(
        competition=competition, period_start=period.start, period_end=period.end,
        version=(previous.version + 1) if previous else 1, as_of=as_of, published_by=actor, reason=reason,
        indicators=ranking.indicators, tie_breaker=ranking.tie_breaker)
    standings = Standing.objects.bulk_create([Standing(
        publication=publication, participant_id=row.participant_id, name=row.name, rank=row.rank, total=row.total,
        base=row.base, adjustment=row.adjustment, lines=row.lines, adjustments=row.adjustments,
        tie_value=row.tie_value) for row in ranking.rows])
    grants = [AwardGrant(publication=publication, participant_id=row.participant_id, award=kind.name, rank=row.rank)
              for kind in selectors.award_kinds(competition) for row in ranking.rows if row.rank <= kind.top]
    AwardGrant.objects.bulk_create(grants)
    won: dict[int, list[str]] = {}
    for grant in grants:
        won.setdefault(grant.participant_id, []).append(grant.award)
    notices.announce(competition=competition, publication=publication, standings=standings, awards=won,
                     participants=participants, previous=previous, day=today)
    standings = "；".join(f"{row.rank}. {row.name} {row.total:g}" for row in ranking.rows)
    names = {row.participant_id: row.name for row in ranking.rows}
    awarded = "；".join(f"{g.award}：{names[g.participant_id]}" for g in grants)
    after = {"period_start": period.start.isoformat(), "period_end": period.end.isoformat(),
             "version": publication.version, "as_of": as_of.isoformat(), "reason": reason}
    words = {"start": cndate(period.start), "end": cndate(period.end), "standings": standings,
             "awards": awarded or "—"}
    if previous is None:
        _record(actor, "publish", publication, competition, after=after,
                message=_("Ranking of %(start)s–%(end)s published: %(standings)s. Awards: %(awards)s.") % words)
    else:
        before = "；".join(f"{s.rank}. {s.name} {s.total:g}" for s in previous.standings.order_by("rank", "name"))
        _record(actor, "republish", publication, competition,
                before={"version": previous.version, "as_of": previous.as_of.isoformat()}, after=after,
                message=_("Ranking of %(start)s–%(end)s published again: %(reason)s. Before: %(before)s. Now: "
                          "%(standings)s. Awards: %(awards)s.") % {**words, "reason": reason, "before": before})
    return publication


def publishable(competition, as_of: dt.date) -> list[rules.Period]:
    """Periods that have ended by `as_of` and so may be published."""
    return [p for p in selectors.periods_of(competition) if p.end <= as_of]
