"""Labour competitions in a real browser: the organiser looks at March's live leaderboard (rank
changes against February, the trend chart drawn), publishes it and sees it frozen with its
流动红旗, opens a participant's breakdown and the printable 通报. Screenshots of the leaderboard,
the breakdown and the set-up go to docs/screenshots/ with `make screenshots`."""
import datetime as dt

import pytest

from ronghe.competitions import services
from tests import factories as f
from tests.competitions import factories as cf

D = dt.date


@pytest.fixture
def oil_contest(org, personas, settings):
    """HQ's monthly competition among three plants on 10 April 2026: output against plan (live),
    new-well output (live) and safety (by hand); January and February published."""
    settings.RONGHE_TODAY = "2026-04-10"
    third = f.unit("采油三厂", parent=org.hq, code="CY3", level="division", kind="secondary")
    organiser = f.user("organiser", person_=f.person(org.hq, name="竞赛办"))
    f.grant(organiser, f.ROLE.ADMIN, org.hq)
    competition = cf.competition(organiser, org.hq, name="2026年原油上产劳动竞赛",
                                 description="比产量、比措施、比新井、比安全，按月考核、按月通报。")
    plants = [services.participant_add(actor=organiser, competition=competition, unit=u, sort_order=i)
              for i, u in enumerate((org.plant, org.sibling, third))]
    output = services.indicator_create(actor=organiser, competition=competition, code="output", name="产量完成率",
                                       source="production.output_vs_plan", weight=50, normalisation="ratio",
                                       target=100)
    services.indicator_create(actor=organiser, competition=competition, code="new_wells", name="新井日产",
                              source="production.new_well_output", weight=20, normalisation="min_max")
    safety = services.indicator_create(actor=organiser, competition=competition, code="safety", name="安全环保",
                                       weight=30, normalisation="rank", unit_label="分")
    services.competition_update(actor=organiser, competition=competition, tie_breaker=output)
    services.award_kind_create(actor=organiser, competition=competition, name="流动红旗", top=1)
    # Daily oil by month: the sibling plant overtakes the plant in March.
    per_day = {org.plant: (104, 106, 99, 101), org.sibling: (97, 99, 108, 103), third: (100, 96, 101, 98)}
    for index, (unit, levels) in enumerate(per_day.items()):
        cf.plan(unit, 2026, 0, 36500)
        for month, level in enumerate(levels, start=1):
            last = D(2026, month, 28) if month == 2 else D(2026, month, 30 if month == 4 else 31)
            cf.unit_days(unit, D(2026, month, 1), min(last, D(2026, 4, 9)), level)
        well = cf.well(unit.children.first() or unit, D(2026, 1, 15))
        cf.daily(well, D(2026, 1, 15), D(2026, 4, 9), (6.5, 8.2, 4.8)[index])
    scores = {plants[0]: (96, 95, 90), plants[1]: (92, 94, 98), plants[2]: (90, 97, 93)}
    for participant, values in scores.items():
        for month, value in enumerate(values, start=1):
            services.reading_set(actor=organiser, indicator=safety, participant=participant,
                                 period_start=D(2026, month, 1), value=value, evidence="质量安全环保科月度检查记录")
    services.adjustment_add(actor=organiser, participant=plants[2], period_start=D(2026, 3, 1), points=-2,
                            reason="生产报表迟报两次")
    for month in (1, 2):
        services.period_publish(actor=organiser, competition=competition, period_start=D(2026, month, 1))
    return competition, organiser, plants


def test_the_organiser_reads_the_live_leaderboard_publishes_it_and_opens_a_breakdown(
        oil_contest, logged_in_page, screenshot):
    competition, organiser, plants = oil_contest
    page = logged_in_page(organiser)
    page.goto(f"/competitions/{competition.pk}/?period=2026-03-01")
    page.wait_for_selector("#leaderboard")
    assert "实时" in page.inner_text("#ranking-state")
    rows = page.locator("#leaderboard tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).inner_text().startswith("1") and "采油二厂" in rows.nth(0).inner_text()
    assert page.locator("#leaderboard [data-change]").count() >= 2
    assert "↑" in page.inner_text("#leaderboard") and "↓" in page.inner_text("#leaderboard")
    page.wait_for_selector("#competition-trend canvas")
    assert "名次变化" in page.inner_text("#leaderboard thead") and "满分50" in page.inner_text("#leaderboard thead")
    assert page.locator("#period-picker .ti-lock").count() == 2  # January and February are published
    screenshot(page, "competition-leaderboard-live")

    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#ranking-state .bg-green")
    assert "已通报" in page.inner_text("#ranking-state") and "第1版" in page.inner_text("#ranking-state")
    assert "流动红旗" in page.locator("#leaderboard tbody tr").nth(0).inner_text()
    assert "重新通报" in page.inner_text("#publish-card")
    screenshot(page, "competition-leaderboard")

    page.click(f"#leaderboard tr[data-participant='{plants[0].pk}'] a")
    page.wait_for_selector("#participant-breakdown")
    assert page.locator("#participant-breakdown tbody tr").count() == 4
    page.wait_for_selector("#participant-trend canvas")
    screenshot(page, "competition-participant")

    response = page.request.get(f"/competitions/{competition.pk}/notice/?period=2026-03-01&format=pdf")
    assert response.ok and response.body()[:4] == b"%PDF"
    page.goto(f"/competitions/{competition.pk}/notice/?period=2026-03-01")
    assert "通报" in page.inner_text("h1") and "流动红旗" in page.inner_text("body")
    screenshot(page, "competition-notice")


def test_the_set_up_page_lists_participants_indicators_and_awards(oil_contest, logged_in_page, screenshot):
    competition, organiser, _plants = oil_contest
    page = logged_in_page(organiser)
    page.goto(f"/competitions/{competition.pk}/setup/")
    assert page.locator("#participants-card [data-participant]").count() == 3
    assert page.locator("#indicators-card [data-indicator]").count() == 3
    assert "流动红旗" in page.inner_text("#awards-card")
    screenshot(page, "competition-setup")


def test_a_participant_reads_the_published_ranking_masked_and_its_own_live_standing(
        oil_contest, org, logged_in_page, screenshot):
    """The plant's admin takes part in HQ's competition: February as published shows every
    plant's rank, total and awards but only the plant's own scores; March, still live, shows the
    plant alone."""
    competition, _organiser, plants = oil_contest
    plant_user = f.user("plant-office", person_=f.person(org.plant, name="一厂经营办"))
    f.grant(plant_user, f.ROLE.ADMIN, org.plant)
    page = logged_in_page(plant_user)
    page.goto("/competitions/")
    assert page.locator(f"#competition-list tr[data-competition='{competition.pk}'] [data-taking-part]").count() == 1

    page.goto(f"/competitions/{competition.pk}/?period=2026-02-01")
    page.wait_for_selector("#leaderboard")
    assert "已通报" in page.inner_text("#ranking-state")
    rows = page.locator("#leaderboard tbody tr")
    assert rows.count() == 3
    own = page.locator(f"#leaderboard tr[data-participant='{plants[0].pk}']")
    other = page.locator(f"#leaderboard tr[data-participant='{plants[1].pk}']")
    assert own.locator("a").count() == 1 and own.locator("[data-masked]").count() == 0
    assert other.locator("a").count() == 0 and other.locator("[data-masked]").count() == 3
    assert "流动红旗" in page.inner_text("#leaderboard") and "采油二厂" in other.inner_text()
    assert page.locator("#publish-form").count() == 0 and "参赛方" in page.inner_text("#participant-view-note")
    assert page.locator("#competition-tabs a").count() == 1  # the leaderboard only: no readings, items, set-up
    page.wait_for_selector("#competition-trend canvas")
    screenshot(page, "competition-participant-view")

    page.goto(f"/competitions/{competition.pk}/?period=2026-03-01")
    page.wait_for_selector("#leaderboard")
    assert "实时" in page.inner_text("#ranking-state")
    assert page.locator("#leaderboard tbody tr").count() == 1 and "采油一厂" in page.inner_text("#leaderboard tbody")
    screenshot(page, "competition-participant-view-live")

    page.click(f"#leaderboard tr[data-participant='{plants[0].pk}'] a")
    page.wait_for_selector("#participant-breakdown")
    assert page.locator("#participant-breakdown tbody tr").count() == 4
    response = page.request.get(f"/competitions/{competition.pk}/participants/{plants[1].pk}/")
    assert response.status == 404
