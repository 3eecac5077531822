"""Running a competition: who may set it up, what its participants and readings must be, and
publishing, which freezes a period's ranking and gives its awards."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ronghe.competitions import selectors, services
from ronghe.competitions.models import AwardGrant, Publication, Standing
from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry
from tests.competitions import factories as cf

D = dt.date
JAN = D(2026, 1, 1)


def test_the_organiser_units_admins_create_a_competition_and_it_is_audited(org, personas):
    competition = cf.competition(personas.plant_admin, org.plant, name="一厂班组竞赛")
    entry = AuditEntry.objects.get(action="competition.create", object_id=str(competition.pk))
    assert entry.unit == org.plant and entry.after["name"] == "一厂班组竞赛"


def test_nobody_organises_a_competition_for_a_unit_outside_their_scope(org, personas):
    with pytest.raises(ValidationError) as err:
        cf.competition(personas.plant_admin, org.sibling)
    assert "organiser" in err.value.message_dict


def test_a_competition_cannot_end_before_it_starts(org, personas):
    with pytest.raises(ValidationError):
        cf.competition(personas.superuser, org.hq, starts_on=D(2026, 5, 1), ends_on=D(2026, 4, 1))


def test_participants_lie_within_the_organiser_and_join_once(org, personas):
    competition = cf.competition(personas.plant_admin, org.plant)
    services.participant_add(actor=personas.plant_admin, competition=competition, unit=org.team)
    with pytest.raises(ValidationError):
        services.participant_add(actor=personas.plant_admin, competition=competition, unit=org.team)
    with pytest.raises((ValidationError, OutOfScope)):
        services.participant_add(actor=personas.plant_admin, competition=competition, unit=org.area2)
    assert AuditEntry.objects.filter(action="competition.participant_add").count() == 1


def test_a_competition_among_project_groups_takes_groups_only(org, personas):
    competition = cf.competition(personas.superuser, org.hq, kind="groups")
    group = cf.group(org.area)
    participant = services.participant_add(actor=personas.superuser, competition=competition, project_group=group)
    assert participant.unit == org.area and participant.label == group.name
    with pytest.raises(ValidationError):
        services.participant_add(actor=personas.superuser, competition=competition, unit=org.area)


def test_someone_outside_the_organiser_cannot_change_the_competition(contest, personas):
    with pytest.raises(OutOfScope):
        services.competition_update(actor=personas.plant_admin, competition=contest.competition, name="改名")
    with pytest.raises(OutOfScope):
        services.adjustment_add(actor=personas.plant_admin, participant=contest.plant, period_start=JAN, points=1,
                                reason="越权")


def test_a_live_indicator_takes_no_readings_by_hand(contest):
    with pytest.raises(ValidationError) as err:
        services.reading_set(actor=contest.actor, indicator=contest.output, participant=contest.plant,
                             period_start=JAN, value=100)
    assert "indicator" in err.value.message_dict


def test_a_reading_is_for_a_period_of_the_competition_and_a_correction_replaces_it(contest):
    with pytest.raises(ValidationError) as err:
        services.reading_set(actor=contest.actor, indicator=contest.safety, participant=contest.plant,
                             period_start=D(2026, 1, 15), value=90)
    assert "period_start" in err.value.message_dict
    services.reading_set(actor=contest.actor, indicator=contest.safety, participant=contest.plant, period_start=JAN,
                         value=90, evidence="安全检查记录")
    reading = services.reading_set(actor=contest.actor, indicator=contest.safety, participant=contest.plant,
                                   period_start=JAN, value=95, evidence="复核")
    assert contest.safety.readings.get().value == 95
    entry = AuditEntry.objects.filter(action="competition.reading_set", object_id=str(reading.pk)).latest("id")
    assert entry.before["value"] == 90 and entry.after["value"] == 95


def test_a_bonus_or_deduction_needs_points_and_a_reason(contest):
    for points, reason in ((0, "无"), (2, "  ")):
        with pytest.raises(ValidationError):
            services.adjustment_add(actor=contest.actor, participant=contest.plant, period_start=JAN, points=points,
                                    reason=reason)


def test_the_live_ranking_scores_output_against_plan_and_hand_entered_readings(contest):
    for participant, value in ((contest.plant, 80), (contest.sibling, 95)):
        services.reading_set(actor=contest.actor, indicator=contest.safety, participant=participant,
                             period_start=JAN, value=value)
    period = selectors.period_starting(contest.competition, JAN, D(2026, 4, 10))
    ranking = selectors.ranking(contest.competition, period, D(2026, 4, 10))
    assert not ranking.published
    by = {row.name: row for row in ranking.rows}
    assert by["采油一厂"].lines[0]["value"] == pytest.approx(105)  # 105 t a day against 100
    assert by["采油一厂"].total == pytest.approx(63) and by["采油二厂"].total == pytest.approx(57 + 40)
    assert [row.name for row in ranking.rows] == ["采油二厂", "采油一厂"]


def test_a_deduction_can_turn_the_ranking_around(contest):
    services.adjustment_add(actor=contest.actor, participant=contest.plant, period_start=JAN, points=-7,
                            reason="发生一般生产事故")
    period = selectors.period_starting(contest.competition, JAN, D(2026, 4, 10))
    rows = selectors.ranking(contest.competition, period).rows
    assert [(r.name, r.rank) for r in rows] == [("采油二厂", 1), ("采油一厂", 2)]
    assert rows[1].adjustments == [{"points": -7, "reason": "发生一般生产事故"}]


def test_rank_changes_compare_with_the_period_before(contest):
    services.adjustment_add(actor=contest.actor, participant=contest.plant, period_start=D(2026, 2, 1), points=-10,
                            reason="迟报")
    feb = selectors.period_starting(contest.competition, D(2026, 2, 1), D(2026, 4, 10))
    rows = {r.name: r for r in selectors.ranking(contest.competition, feb).rows}
    assert (rows["采油一厂"].rank, rows["采油一厂"].change) == (2, -1)
    assert (rows["采油二厂"].rank, rows["采油二厂"].change) == (1, 1)


def test_a_period_is_published_only_once_it_has_ended(contest):
    with pytest.raises(ValidationError):
        services.period_publish(actor=contest.actor, competition=contest.competition, period_start=D(2026, 4, 1))


def test_publishing_freezes_the_ranking_and_gives_the_awards(contest):
    publication = services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN)
    assert list(Standing.objects.filter(publication=publication).values_list("name", "rank")) == [
        ("采油一厂", 1), ("采油二厂", 2)]
    assert list(AwardGrant.objects.values_list("award", "participant__unit__name")) == [("流动红旗", "采油一厂")]
    entry = AuditEntry.objects.get(action="competition.publish")
    assert entry.after["version"] == 1 and "1. 采油一厂" in entry.message and "流动红旗：采油一厂" in entry.message
    # Later data changes do not rewrite the published ranking.
    cf.unit_days(contest.competition.organiser, D(2026, 1, 1), D(2026, 1, 1), 1)
    services.adjustment_add(actor=contest.actor, participant=contest.plant, period_start=JAN, points=-30,
                            reason="事后查实瞒报")
    period = selectors.period_starting(contest.competition, JAN, D(2026, 4, 10))
    ranking = selectors.ranking(contest.competition, period)
    assert ranking.published and [r.name for r in ranking.rows] == ["采油一厂", "采油二厂"]
    assert ranking.rows[0].awards == ["流动红旗"]
    live = selectors.compute(contest.competition, period, D(2026, 4, 10))
    assert [r.name for r in live.rows] == ["采油二厂", "采油一厂"]


def test_publishing_again_needs_a_reason_keeps_the_old_version_and_is_audited(contest):
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN)
    with pytest.raises(ValidationError) as err:
        services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN)
    assert "reason" in err.value.message_dict
    services.adjustment_add(actor=contest.actor, participant=contest.plant, period_start=JAN, points=-30,
                            reason="事后查实瞒报")
    second = services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN,
                                     reason="一厂瞒报查实，重新通报")
    assert second.version == 2
    assert list(Publication.objects.order_by("version").values_list("version", "is_current")) == [(1, False), (2, True)]
    assert [s.name for s in second.standings.order_by("rank")] == ["采油二厂", "采油一厂"]
    entry = AuditEntry.objects.get(action="competition.republish")
    assert entry.after["reason"] == "一厂瞒报查实，重新通报" and entry.before["version"] == 1
    assert "一厂瞒报查实，重新通报" in entry.message and "1. 采油一厂" in entry.message.split("1. 采油二厂")[0]


def test_a_participant_in_a_published_ranking_cannot_be_removed(contest):
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN)
    with pytest.raises(ValidationError):
        services.participant_remove(actor=contest.actor, participant=contest.plant)


def test_removing_the_tie_break_indicator_leaves_no_tie_break(contest):
    services.indicator_remove(actor=contest.actor, indicator=contest.output)
    contest.competition.refresh_from_db()
    assert contest.competition.tie_breaker is None
    assert AuditEntry.objects.filter(action="competition.indicator_remove").exists()


def test_an_indicator_reads_only_from_a_registered_source_that_fits_the_participants(contest, org, personas):
    with pytest.raises(ValidationError):
        services.indicator_create(actor=contest.actor, competition=contest.competition, code="x", name="无此来源",
                                  source="nowhere.nothing", weight=10)
    groups = cf.competition(personas.superuser, org.hq, kind="groups")
    with pytest.raises(ValidationError):
        services.indicator_create(actor=contest.actor, competition=groups, code="o", name="产量",
                                  source="production.output_vs_plan", weight=10)


def test_every_write_leaves_an_audit_entry(contest):
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"competition.create", "competition.participant_add", "competition.indicator_add",
            "competition.update", "competition.award_add"} <= actions


def test_a_competition_among_carriers_takes_carriers_of_the_organiser_only(org, personas):
    competition = cf.competition(personas.plant_admin, org.plant, kind="carriers")
    post = cf.carrier(org.team, org.group, name="采油一班共产党员先锋岗")
    participant = services.participant_add(actor=personas.plant_admin, competition=competition, carrier=post)
    assert participant.unit == org.team and participant.label == "采油一班共产党员先锋岗"
    with pytest.raises(ValidationError):
        services.participant_add(actor=personas.plant_admin, competition=competition, carrier=post)
    with pytest.raises(ValidationError):
        services.participant_add(actor=personas.plant_admin, competition=competition, unit=org.team)
    with pytest.raises(ValidationError):
        services.participant_add(actor=personas.plant_admin, competition=competition,
                                 carrier=cf.carrier(org.area2, org.sib_branch))
