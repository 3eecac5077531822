"""The competitions API: set a competition up, enter readings, read rankings, publish."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.competitions import services
from ronghe.competitions.models import Competition, Publication
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.competitions import factories as cf

D = dt.date


@pytest.fixture
def admin(personas):
    return ApiClient(token_for(personas.plant_admin))


def test_a_plant_admin_sets_up_a_team_competition_through_the_api(org, personas, admin, settings):
    settings.RONGHE_TODAY = "2026-03-05"
    created = admin.post("competitions", {"name": "一厂班组劳动竞赛", "organiser": "CY1", "starts_on": "2026-01-01",
                                          "ends_on": "2026-12-31", "cadence": "quarterly"})
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    assert [p["start"] for p in created.json()["periods"]] == ["2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"]
    team2 = f.unit("采油二班", parent=org.area, code="CY1-A1-T2", kind="team")
    for code in ("CY1-A1-T1", team2.code):
        assert admin.post(f"competitions/{cid}/participants", {"unit": code}).status_code == 201
    indicator = admin.post(f"competitions/{cid}/indicators", {"code": "safety", "name": "安全生产", "weight": 50})
    assert indicator.status_code == 201 and indicator.json()["source"] == "manual"
    live = admin.post(f"competitions/{cid}/indicators", {
        "code": "measures", "name": "措施完成", "weight": 50, "source": "production.measures_done",
        "normalisation": "ratio"})
    assert live.json()["unit_label"] == "井次"
    assert admin.patch(f"competitions/{cid}", {"tie_breaker": "safety"}).json()["tie_breaker"] == "safety"
    detail = admin.get(f"competitions/{cid}").json()
    ids = {p["unit"]: p["id"] for p in detail["participants"]}
    for code, value in (("CY1-A1-T1", 90), ("CY1-A1-T2", 97)):
        entered = admin.post(f"competitions/{cid}/readings", {
            "indicator": "safety", "participant": ids[code], "period_start": "2026-01-01", "value": value,
            "evidence": "季度安全检查"})
        assert entered.status_code == 201, entered.content
    assert admin.post(f"competitions/{cid}/adjustments", {
        "participant": ids["CY1-A1-T1"], "period_start": "2026-01-01", "points": 3, "reason": "技术革新成果"
    }).status_code == 201
    ranking = admin.get(f"competitions/{cid}/rankings/2026-01-01").json()
    assert not ranking["published"]
    assert [(s["name"], s["rank"], s["total"]) for s in ranking["standings"]] == [("作业一区·采油二班", 1, 50), ("作业一区·采油一班", 2, 3)]
    assert ranking["standings"][1]["adjustments"] == [{"points": 3, "reason": "技术革新成果"}]
    readings = admin.get(f"competitions/{cid}/readings", period="2026-01-01").json()
    assert readings["count"] == 2 and readings["items"][0]["evidence"] == "季度安全检查"


def test_publishing_through_the_api_freezes_the_period_and_publishing_again_needs_a_reason(contest, personas):
    client = ApiClient(token_for(personas.superuser))
    cid = contest.competition.pk
    published = client.post(f"competitions/{cid}/rankings/2026-01-01/publish", {})
    assert published.status_code == 201, published.content
    body = published.json()
    assert body["published"] and body["version"] == 1 and body["standings"][0]["awards"] == ["流动红旗"]
    again = client.post(f"competitions/{cid}/rankings/2026-01-01/publish", {})
    assert again.status_code == 422 and "reason" in again.json()["details"]
    assert client.post(f"competitions/{cid}/rankings/2026-01-01/publish", {"reason": "数据更正"}).json()["version"] == 2
    assert Publication.objects.filter(is_current=True).count() == 1
    early = client.post(f"competitions/{cid}/rankings/2026-04-01/publish", {})
    assert early.status_code == 422


def test_rankings_of_every_period_carry_rank_changes_and_a_participant_has_its_own_trend(contest, personas):
    services.adjustment_add(actor=contest.actor, participant=contest.plant, period_start=D(2026, 3, 1), points=-20,
                            reason="迟报")
    client = ApiClient(token_for(personas.viewer))
    cid = contest.competition.pk
    periods = client.get(f"competitions/{cid}/rankings").json()["periods"]
    assert [p["period_start"] for p in periods] == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]
    march = {s["name"]: s for s in periods[2]["standings"]}
    assert march["采油一厂"]["change"] == -1 and march["采油二厂"]["change"] == 1
    assert periods[0]["standings"][0]["change"] is None
    scores = client.get(f"competitions/{cid}/participants/{contest.plant.pk}/scores", as_of="2026-02-15").json()
    assert [len(p["standings"]) for p in scores["periods"]] == [1, 1]
    assert scores["periods"][0]["standings"][0]["lines"][0]["indicator"] == "output"


def test_a_competition_outside_the_callers_scope_answers_404_and_viewers_cannot_write(contest, org, personas):
    plant_competition = cf.competition(personas.superuser, org.plant)
    sibling_competition = cf.competition(personas.superuser, org.sibling)
    admin = ApiClient(token_for(personas.plant_admin))
    assert admin.get(f"competitions/{sibling_competition.pk}").status_code == 404
    assert admin.get(f"competitions/{plant_competition.pk}").json()["access"] == "organiser"
    # HQ's competition is one the plant takes part in: read as a participant (test_participants.py).
    assert admin.get(f"competitions/{contest.competition.pk}").json()["access"] == "participant"
    assert {c["id"] for c in admin.get("competitions").json()["items"]} == {plant_competition.pk,
                                                                          contest.competition.pk}
    assert ApiClient(token_for(personas.secretary)).get(f"competitions/{contest.competition.pk}").status_code == 404
    viewer = ApiClient(token_for(personas.viewer))
    assert viewer.patch(f"competitions/{contest.competition.pk}", {"name": "改"}).status_code == 403
    assert Competition.objects.get(pk=contest.competition.pk).name == "2026年原油上产劳动竞赛"


def test_the_source_registry_is_listed(org, admin):
    codes = {s["code"] for s in admin.get("competitions/sources").json()}
    assert {"production.output_vs_plan", "production.measures_done", "production.new_well_output"} <= codes


def _grow(contest, n):
    for _ in range(n):
        unit = f.unit(parent=contest.competition.organiser)
        participant = services.participant_add(actor=contest.actor, competition=contest.competition, unit=unit)
        cf.plan(unit, 2026, 0, 3650)
        services.reading_set(actor=contest.actor, indicator=contest.safety, participant=participant,
                             period_start=D(2026, 1, 1), value=80)
        services.adjustment_add(actor=contest.actor, participant=participant, period_start=D(2026, 2, 1), points=1,
                                reason="加分")
        cf.competition(contest.actor, unit)


@pytest.mark.parametrize("path", ["competitions", "competitions/{cid}/readings", "competitions/{cid}/rankings",
                                  "competitions/{cid}/rankings/2026-02-01", "competitions/{cid}"])
def test_lists_and_rankings_cost_the_same_queries_for_10_participants_and_60(contest, personas, path):
    client = ApiClient(token_for(personas.superuser))
    client.get("me")
    url = path.format(cid=contest.competition.pk)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, page_size=500)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(contest, 8)
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=D(2026, 1, 1))
    small = count()
    _grow(contest, 50)
    assert count() == small


def test_indicators_awards_items_and_participants_are_changed_and_removed_through_the_api(contest, personas):
    client = ApiClient(token_for(personas.superuser))
    cid = contest.competition.pk
    changed = client.patch(f"competitions/{cid}/indicators/{contest.safety.pk}", {"weight": 30, "target": None})
    assert changed.status_code == 200 and changed.json()["weight"] == 30
    award = client.post(f"competitions/{cid}/awards", {"name": "先进单位", "top": 2}).json()
    item = client.post(f"competitions/{cid}/adjustments", {
        "participant": contest.sibling.pk, "period_start": "2026-02-01", "points": -1, "reason": "迟报"}).json()
    assert client.delete(f"competitions/{cid}/adjustments/{item['id']}").status_code == 204
    assert client.delete(f"competitions/{cid}/awards/{award['id']}").status_code == 204
    assert client.delete(f"competitions/{cid}/indicators/{contest.safety.pk}").status_code == 204
    detail = client.get(f"competitions/{cid}").json()
    assert [i["code"] for i in detail["indicators"]] == ["output"] and [a["name"] for a in detail["awards"]] == [
        "流动红旗"]
    client.post(f"competitions/{cid}/rankings/2026-01-01/publish", {})
    refused = client.delete(f"competitions/{cid}/participants/{contest.plant.pk}")
    assert refused.status_code == 422
    assert detail["periods"][0] == {"start": "2026-01-01", "end": "2026-01-31", "published_version": None}


def test_references_the_caller_cannot_see_or_that_do_not_belong_are_refused(contest, org, personas):
    admin = ApiClient(token_for(personas.plant_admin))
    mine = cf.competition(personas.plant_admin, org.plant)
    assert admin.patch(f"competitions/{mine.pk}", {"organiser": "CY2"}).status_code == 422
    assert admin.post(f"competitions/{mine.pk}/participants", {"unit": "CY2-A1"}).status_code == 422
    stray = admin.post(f"competitions/{mine.pk}/readings", {
        "indicator": "safety", "participant": contest.plant.pk, "period_start": "2026-01-01", "value": 1})
    assert stray.status_code == 422
    assert admin.get(f"competitions/{mine.pk}/rankings/2026-01-15").status_code == 422
