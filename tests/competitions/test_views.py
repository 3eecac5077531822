"""The competition pages: the leaderboard with rank changes and awards, a participant's
breakdown, set-up, readings, bonus items, publishing, exports and the 通报."""
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ronghe.competitions import services
from ronghe.competitions.models import Indicator, Participant, Publication, Reading
from ronghe.core.models import AuditEntry
from tests import factories as f
from tests.competitions import factories as cf

D = dt.date


@pytest.fixture
def zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def page(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_leaderboard_shows_ranks_changes_scores_and_the_live_state_in_chinese(contest, personas, zh):
    services.adjustment_add(actor=contest.actor, participant=contest.plant, period_start=D(2026, 2, 1), points=-10,
                            reason="迟报")
    zh.force_login(personas.viewer)
    html = page(zh, "competition_detail", contest.competition.pk, period="2026-02-01")
    assert "2026年原油上产劳动竞赛" in html and "实时" in html and "2026年2月1日" in html
    board = html[html.index('id="leaderboard"'):html.index("</table>", html.index('id="leaderboard"'))]
    assert board.index("采油二厂") < board.index("采油一厂")
    assert "↑1" in board and "↓1" in board and "-10" in board
    assert 'id="competition-trend"' in html and "competition-trend-data" in html
    assert 'id="publish-form"' not in html  # a viewer cannot publish


def test_publishing_from_the_page_freezes_the_ranking_shows_the_award_and_asks_a_reason_the_second_time(
        contest, personas, zh):
    zh.force_login(personas.superuser)
    url = reverse("competition_publish", args=[contest.competition.pk])
    response = zh.post(url, {"period_start": "2026-01-01"})
    assert response.status_code == 302
    html = page(zh, "competition_detail", contest.competition.pk, period="2026-01-01")
    assert "已通报" in html and "流动红旗" in html and "重新通报" in html
    zh.post(url, {"period_start": "2026-01-01"})
    assert Publication.objects.count() == 1
    zh.post(url, {"period_start": "2026-01-01", "reason": "数据更正"})
    assert Publication.objects.filter(is_current=True).get().version == 2
    assert "数据更正" in page(zh, "competition_detail", contest.competition.pk, period="2026-01-01")


def test_a_participants_page_breaks_its_score_down_period_by_period(contest, personas, zh):
    services.adjustment_add(actor=contest.actor, participant=contest.plant, period_start=D(2026, 1, 1), points=2,
                            reason="技术攻关")
    zh.force_login(personas.viewer)
    html = page(zh, "competition_participant", contest.competition.pk, contest.plant.pk)
    assert "采油一厂" in html and "技术攻关" in html and "产量完成率" in html and "participant-trend-data" in html
    assert html.count('data-period="') == 4


def test_setting_up_a_competition_from_the_pages(org, personas, zh, settings):
    settings.RONGHE_TODAY = "2026-03-05"
    zh.force_login(personas.plant_admin)
    response = zh.post(reverse("competition_create"), {
        "name": "一厂班组竞赛", "organiser": "CY1", "kind": "units", "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "cadence": "monthly"})
    assert response.status_code == 302
    competition = org.plant.competitions.get()
    zh.post(reverse("competition_participant_add", args=[competition.pk]), {"unit": "CY1-A1-T1"})
    zh.post(reverse("competition_indicator_add", args=[competition.pk]), {
        "code": "output", "name": "产量完成率", "source": "production.output_vs_plan", "weight": "60",
        "normalisation": "ratio", "higher_is_better": "on", "target": "100"})
    zh.post(reverse("competition_award_add", args=[competition.pk]), {"name": "流动红旗", "top": "1"})
    zh.post(reverse("competition_tie_breaker", args=[competition.pk]), {"tie_breaker": "output"})
    competition.refresh_from_db()
    assert list(Participant.objects.filter(competition=competition).values_list("unit__code", flat=True)) == [
        "CY1-A1-T1"]
    assert competition.tie_breaker.code == "output" and competition.award_kinds.get().name == "流动红旗"
    html = page(zh, "competition_setup", competition.pk)
    assert "采油一班" in html and "产量完成率" in html and "采油二厂" not in html


def test_a_unit_outside_the_organiser_cannot_join_from_the_page(org, personas, zh):
    competition = cf.competition(personas.plant_admin, org.plant)
    zh.force_login(personas.superuser)
    zh.post(reverse("competition_participant_add", args=[competition.pk]), {"unit": "CY2-A1"})
    assert not competition.participants.exists()


def test_readings_are_entered_imported_from_a_template_and_exported(contest, personas, zh):
    zh.force_login(personas.superuser)
    cid = contest.competition.pk
    response = zh.post(reverse("competition_readings", args=[cid]), {
        "indicator": contest.safety.pk, "participant": contest.plant.pk, "period_start": "2026-01-01",
        "value": "92", "evidence": "检查记录"})
    assert response.status_code == 302 and Reading.objects.get().value == 92
    template = zh.get(reverse("competition_readings_template", args=[cid]))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    headers = [c.value for c in book.active[1]]
    assert headers[:4] == ["周期开始日*", "参赛单位*", "指标*", "完成值*"]
    upload = openpyxl.Workbook()
    upload.active.append(["周期开始日", "参赛单位", "指标", "完成值", "佐证材料"])
    upload.active.append(["2026-02-01", "采油一厂", "安全环保", 85, "二月检查"])
    upload.active.append(["2026-02-01", "CY2", "安全环保", 99, "二月检查"])
    upload.active.append(["2026-01-01", "采油一厂", "安全环保", 93, "复核"])
    data = io.BytesIO()
    upload.save(data)
    data.seek(0)
    data.name = "readings.xlsx"
    response = zh.post(reverse("competition_readings_import", args=[cid]), {"file": data})
    assert response.status_code == 302
    assert sorted(Reading.objects.values_list("period_start", "participant__unit__code", "value")) == [
        (D(2026, 1, 1), "CY1", 93), (D(2026, 2, 1), "CY1", 85), (D(2026, 2, 1), "CY2", 99)]
    assert AuditEntry.objects.filter(action="import.competition_readings").count() == 1
    exported = zh.get(reverse("competition_readings", args=[cid]), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and "采油一厂" in rows[1]


def test_a_bad_import_writes_nothing_and_says_where(contest, personas, zh):
    zh.force_login(personas.superuser)
    upload = openpyxl.Workbook()
    upload.active.append(["周期开始日", "参赛单位", "指标", "完成值"])
    upload.active.append(["2026-02-15", "采油一厂", "安全环保", 85])
    upload.active.append(["2026-02-01", "不存在的单位", "安全环保", "八十"])
    data = io.BytesIO()
    upload.save(data)
    data.seek(0)
    data.name = "bad.xlsx"
    response = zh.post(reverse("competition_readings_import", args=[contest.competition.pk]), {"file": data})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in html and "第2行" in html and "第3行" in html
    assert not Reading.objects.exists()


def test_bonus_and_deduction_items_are_added_with_a_reason_from_the_page(contest, personas, zh):
    zh.force_login(personas.superuser)
    url = reverse("competition_adjustments", args=[contest.competition.pk])
    zh.post(url, {"participant": contest.sibling.pk, "period_start": "2026-03-01", "points": "-2", "reason": ""})
    assert not contest.competition.adjustments.exists()
    zh.post(url, {"participant": contest.sibling.pk, "period_start": "2026-03-01", "points": "-2",
                  "reason": "安全隐患整改不及时"})
    assert "安全隐患整改不及时" in page(zh, "competition_adjustments", contest.competition.pk)


def test_the_ranking_exports_to_xlsx_and_prints_as_a_notice_and_a_pdf(contest, personas, zh):
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=D(2026, 1, 1))
    zh.force_login(personas.viewer)
    cid = contest.competition.pk
    exported = zh.get(reverse("competition_export", args=[cid]), {"period": "2026-01-01"})
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[2][:3] == ("名次", "名次变化", "参赛单位") and rows[3][2] == "采油一厂" and rows[3][-1] == "流动红旗"
    notice = page(zh, "competition_report", cid, period="2026-01-01")
    assert "通报" in notice and "流动红旗" in notice and "Noto Serif CJK SC" in notice
    pdf = zh.get(reverse("competition_report", args=[cid]), {"period": "2026-01-01", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_list_filters_and_exports_what_it_shows(contest, org, personas, zh):
    cf.competition(personas.superuser, org.plant, name="一厂2025年竞赛", starts_on=D(2025, 1, 1),
                   ends_on=D(2025, 12, 31))
    zh.force_login(personas.viewer)
    html = page(zh, "competition_list", year="2025")
    assert "一厂2025年竞赛" in html and "2026年原油上产劳动竞赛" not in html
    exported = zh.get(reverse("competition_list_export"), {"year": "2026"})
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["2026年原油上产劳动竞赛"]


def test_the_awards_page_lists_the_red_flags_given(contest, personas, zh):
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=D(2026, 1, 1))
    zh.force_login(personas.viewer)
    html = page(zh, "competition_awards")
    assert "流动红旗" in html and "采油一厂" in html


def test_a_competition_outside_ones_scope_answers_404(contest, personas, client):
    client.force_login(personas.secretary)
    assert client.get(reverse("competition_detail", args=[contest.competition.pk])).status_code == 404
    client.force_login(personas.plant_admin)  # takes part in it: reads it, does not run it
    assert client.get(reverse("competition_setup", args=[contest.competition.pk])).status_code == 404
    client.force_login(personas.viewer)
    assert client.get(reverse("competition_setup", args=[contest.competition.pk])).status_code == 404


def _grow(contest, n):
    for _ in range(n):
        unit = f.unit(parent=contest.competition.organiser)
        participant = services.participant_add(actor=contest.actor, competition=contest.competition, unit=unit)
        cf.plan(unit, 2026, 0, 3650)
        for period in (D(2026, 1, 1), D(2026, 2, 1)):
            services.reading_set(actor=contest.actor, indicator=contest.safety, participant=participant,
                                 period_start=period, value=80)
            services.adjustment_add(actor=contest.actor, participant=participant, period_start=period, points=1,
                                    reason="加分")
        cf.competition(contest.actor, unit)


@pytest.mark.parametrize(("name", "with_id", "query"), [
    ("competition_list", False, {}), ("competition_awards", False, {}),
    ("competition_detail", True, {"period": "2026-02-01"}), ("competition_readings", True, {}),
    ("competition_adjustments", True, {}), ("competition_setup", True, {}),
    ("competition_participant", True, {}), ("competition_report", True, {"period": "2026-01-01"}),
])
def test_pages_cost_the_same_queries_for_10_participants_and_50(contest, personas, client, name, with_id, query):
    client.force_login(personas.superuser)
    args = [contest.competition.pk] if with_id else []
    if name == "competition_participant":
        args.append(contest.plant.pk)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name, args=args), query)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(contest, 8)
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=D(2026, 1, 1))
    small = count()
    _grow(contest, 40)
    services.period_publish(actor=contest.actor, competition=contest.competition, period_start=D(2026, 1, 1),
                            reason="扩大参赛范围")
    assert count() == small


def test_indicator_sources_offered_fit_the_competitions_participants(org, personas, zh):
    competition = cf.competition(personas.superuser, org.hq, kind="groups")
    zh.force_login(personas.superuser)
    html = page(zh, "competition_setup", competition.pk)
    assert "production.measures_done" in html and "production.output_vs_plan" not in html
    assert Indicator.objects.count() == 0


def test_a_carrier_joins_a_competition_among_carriers_from_the_set_up_page(org, personas, zh):
    competition = cf.competition(personas.plant_admin, org.plant, kind="carriers")
    post = cf.carrier(org.team, org.group, name="采油一班共产党员先锋岗")
    cf.carrier(org.area2, org.sib_branch, name="二厂先锋岗")
    zh.force_login(personas.plant_admin)
    html = page(zh, "competition_setup", competition.pk)
    assert "采油一班共产党员先锋岗" in html and "二厂先锋岗" not in html and "vanguard.problems_solved" in html
    zh.post(reverse("competition_participant_add", args=[competition.pk]), {"carrier": post.pk})
    assert competition.participants.get().carrier == post
