"""The participant's side: the people of a participant read the competitions they take part in
— their own standing whole, the others only as published (rank, name, total, awards) — and
run nothing; the same masking on pages, API, spreadsheet and 通报."""
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ronghe.competitions import selectors, services
from ronghe.competitions.models import Publication
from ronghe.org import services as org_services
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.competitions import factories as cf

D = dt.date
JAN, FEB = D(2026, 1, 1), D(2026, 2, 1)


@pytest.fixture
def published(contest):
    """January published, February running: safety readings of both plants (the sibling's
    87.5 and 86.5 are figures the plant must not read) and a deduction of the sibling."""
    for period, plant, sibling in ((JAN, 93, 87.5), (FEB, 91, 86.5)):
        services.reading_set(actor=contest.actor, indicator=contest.safety, participant=contest.plant,
                             period_start=period, value=plant, evidence="一厂安全检查记录")
        services.reading_set(actor=contest.actor, indicator=contest.safety, participant=contest.sibling,
                             period_start=period, value=sibling, evidence="二厂安全检查记录")
    services.adjustment_add(actor=contest.actor, participant=contest.sibling, period_start=JAN, points=-1.5,
                            reason="二厂报表迟报扣分")
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN)
    return contest


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_who_takes_part_follows_scope_positions_groups_and_carriers(contest, org, personas):
    assert _ids(selectors.taking_part(personas.plant_admin)) == {contest.plant.pk}
    assert _ids(selectors.taking_part(personas.viewer)) == {contest.plant.pk, contest.sibling.pk}
    assert _ids(selectors.taking_part(personas.secretary)) == set()  # a Party branch's scope holds no plant
    head = f.user(person_=f.person(org.sibling, name="二厂厂长"))
    org_services.position_assign(actor=personas.superuser, person=head.person, kind="head", unit=org.sibling)
    assert _ids(selectors.taking_part(head)) == {contest.sibling.pk}

    groups = cf.competition(personas.superuser, org.hq, kind="groups")
    group = cf.group(org.area2)
    member = f.user(person_=f.person(org.area2))
    group.members.add(member.person)
    in_group = services.participant_add(actor=personas.superuser, competition=groups, project_group=group)
    leader = f.user(person_=group.leader)
    assert _ids(selectors.taking_part(member)) == _ids(selectors.taking_part(leader)) == {in_group.pk}

    carriers = cf.competition(personas.superuser, org.hq, kind="carriers")
    post = cf.carrier(org.area2, org.sib_branch)
    seat = f.user(person_=f.person(org.area2, org.sib_branch))
    post.members.create(person=seat.person, is_lead=True)
    on_post = services.participant_add(actor=personas.superuser, competition=carriers, carrier=post)
    assert _ids(selectors.taking_part(seat)) == {on_post.pk}
    assert _ids(selectors.taking_part(personas.secretary)) == {on_post.pk}  # the carrier's Party branch

    visible = selectors.visible_competitions(personas.plant_admin)
    assert {c.pk: c.organised for c in visible} == {contest.competition.pk: False}
    assert selectors.access_for(personas.plant_admin, contest.competition) == selectors.Access(
        False, frozenset({contest.plant.pk}))


def test_masking_keeps_ones_own_rows_and_of_others_what_the_notice_announces(published, personas):
    contest = published
    access = selectors.access_for(personas.plant_admin, contest.competition)
    found = selectors.for_viewer(selectors.rankings(contest.competition), access)
    assert len(found) == 4 and all(r.masked for r in found)  # January to April begun by 10 April
    jan, feb = found[:2]
    assert {r.participant_id: r.masked for r in jan.rows} == {contest.plant.pk: False, contest.sibling.pk: True}
    other = jan.row_of(contest.sibling.pk)
    assert (other.lines, other.adjustments, other.base, other.adjustment, other.tie_value) == ([], [], None, None, None)
    assert other.total > 0 and other.name == "采油二厂"
    mine = jan.row_of(contest.plant.pk)
    assert mine.lines and mine.base is not None
    assert [r.participant_id for r in feb.rows] == [contest.plant.pk]  # running: one's own only
    assert feb.size == 2 and feb.row_of(contest.plant.pk).lines
    whole = selectors.rankings(contest.competition)
    assert selectors.for_viewer(whole, selectors.FULL) is whole


def test_a_participant_reads_the_leaderboard_masked_and_runs_nothing(published, personas, client):
    contest = published
    c = contest.competition.pk
    client.force_login(personas.plant_admin)
    html = client.get(reverse("competition_detail", args=[c]), {"period": "2026-01-01"}).content.decode()
    assert "采油二厂" in html and "采油一厂" in html and "流动红旗" in html
    assert "87.5" not in html and "二厂报表迟报扣分" not in html and "93" in html
    assert reverse("competition_participant", args=[c, contest.sibling.pk]) not in html
    assert reverse("competition_participant", args=[c, contest.plant.pk]) in html
    assert 'id="participant-view-note"' in html and reverse("competition_readings", args=[c]) not in html
    assert 'id="publish-form"' not in html

    html = client.get(reverse("competition_detail", args=[c]), {"period": "2026-02-01"}).content.decode()
    assert f'data-participant="{contest.sibling.pk}"' not in html and "86.5" not in html
    assert f'data-participant="{contest.plant.pk}"' in html

    assert client.get(reverse("competition_participant", args=[c, contest.plant.pk])).status_code == 200
    for name, args in (("competition_participant", [c, contest.sibling.pk]), ("competition_readings", [c]),
                       ("competition_adjustments", [c]), ("competition_setup", [c]), ("competition_edit", [c])):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    response = client.post(reverse("competition_publish", args=[c]), {"period_start": "2026-02-01"})
    assert response.status_code == 404 and Publication.objects.count() == 1

    listing = client.get(reverse("competition_list")).content.decode()
    assert "data-taking-part" in listing
    awards = client.get(reverse("competition_awards")).content.decode()
    assert "流动红旗" in awards


def test_the_spreadsheet_and_the_notice_mask_alike(published, personas, client):
    contest = published
    client.force_login(personas.plant_admin)
    response = client.get(reverse("competition_export", args=[contest.competition.pk]), {"period": "2026-01-01"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[2]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {"采油一厂", "采油二厂"}
    assert rows["采油二厂"][3:7] == ("—", "—", "—", "—") and 93 in rows["采油一厂"]
    response = client.get(reverse("competition_export", args=[contest.competition.pk]), {"period": "2026-02-01"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["采油一厂"]
    notice = client.get(reverse("competition_report", args=[contest.competition.pk]),
                        {"period": "2026-01-01"}).content.decode()
    assert "采油二厂" in notice and "87.5" not in notice and "二厂报表迟报扣分" not in notice


def test_the_api_reads_as_a_participant_and_refuses_everything_else(published, personas):
    contest = published
    c = contest.competition.pk
    api = ApiClient(token_for(personas.plant_admin))
    detail = api.get(f"competitions/{c}").json()
    assert detail["access"] == "participant" and [p["id"] for p in detail["participants"]] == [contest.plant.pk]
    jan, feb = api.get(f"competitions/{c}/rankings", as_of="2026-02-28").json()["periods"]
    assert jan["masked"] and jan["ranked"] == 2 and len(jan["standings"]) == 2
    other = next(s for s in jan["standings"] if s["participant"] == contest.sibling.pk)
    assert other["masked"] and other["lines"] == [] and other["base"] is None and other["adjustments"] == []
    assert [s["participant"] for s in feb["standings"]] == [contest.plant.pk] and feb["ranked"] == 2
    one = api.get(f"competitions/{c}/rankings/2026-02-01").json()
    assert [s["participant"] for s in one["standings"]] == [contest.plant.pk]
    scores = api.get(f"competitions/{c}/participants/{contest.plant.pk}/scores").json()
    assert all(p["standings"][0]["lines"] for p in scores["periods"])
    assert api.get(f"competitions/{c}/participants/{contest.sibling.pk}/scores").status_code == 404
    assert api.get(f"competitions/{c}/readings").status_code == 404
    assert api.post(f"competitions/{c}/rankings/2026-02-01/publish", {}).status_code == 404
    assert api.patch(f"competitions/{c}", {"name": "改名"}).status_code == 404
    assert api.post(f"competitions/{c}/adjustments", {"participant": contest.plant.pk, "period_start": "2026-02-01",
                                                      "points": 5, "reason": "自加分"}).status_code == 404
    assert Publication.objects.count() == 1


def _grow(contest, n):
    """Participants under HQ with readings and items in January and February; each new unit
    lies outside the plant admin's scope."""
    for _ in range(n):
        unit = f.unit(parent=contest.competition.organiser)
        participant = services.participant_add(actor=contest.actor, competition=contest.competition, unit=unit)
        cf.plan(unit, 2026, 0, 3650)
        for period in (JAN, FEB):
            services.reading_set(actor=contest.actor, indicator=contest.safety, participant=participant,
                                 period_start=period, value=80)
            services.adjustment_add(actor=contest.actor, participant=participant, period_start=period, points=1,
                                    reason="加分")


@pytest.mark.parametrize(("name", "query", "api"), [
    ("competition_detail", {"period": "2026-01-01"}, False), ("competition_detail", {"period": "2026-02-01"}, False),
    ("competition_participant", {}, False), ("competition_report", {"period": "2026-01-01"}, False),
    ("competition_awards", {}, False), ("rankings", {}, True),
])
def test_a_participants_pages_cost_the_same_queries_for_10_participants_and_50(contest, personas, client, name,
                                                                              query, api):
    c = contest.competition.pk
    client.force_login(personas.plant_admin)
    api_client = ApiClient(token_for(personas.plant_admin))
    api_client.get("me")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            if api:
                response = api_client.get(f"competitions/{c}/{name}", **query)
            else:
                args = {"competition_detail": [c], "competition_participant": [c, contest.plant.pk],
                        "competition_report": [c], "competition_awards": []}[name]
                response = client.get(reverse(name, args=args), query)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(contest, 8)
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN)
    small = count()
    _grow(contest, 40)
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=JAN,
                            reason="扩大参赛范围")
    assert count() == small
