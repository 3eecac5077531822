"""Production data in a real browser: the plant's admin finds a well in the well list, its page
draws the daily curve; a daily production file uploaded on the import page runs in the
background while its progress bar moves to done, and a bad file lists its errors in Chinese.
Screenshots of the well list, a well, the upload and a finished import."""
import datetime as dt

import pytest

from ronghe.production.daily_import import DailyImport
from ronghe.production.models import DailyProduction
from tests.production.test_data_factories import csv_bytes, row, well

DAYS = 60


@pytest.fixture
def wells(org, settings):
    settings.RONGHE_TODAY = "2026-03-10"
    made = [well(org.team, f"兴{i}-{i * 7}", since=dt.date(2025, 6, 1), block="兴隆台") for i in range(1, 6)]
    made.append(well(org.area, "兴新-1", since=dt.date(2026, 1, 15), block="兴隆台"))
    start = dt.date(2026, 3, 10) - dt.timedelta(days=DAYS - 1)
    rows = [row(w.code, start + dt.timedelta(days=d), round(3 + i * 0.6 + (d % 9) * 0.15 + d * 0.02, 2),
                liquid=round(12 + i + d * 0.05, 2), gas=120 + d, water_cut=round(72 + (d % 5) * 0.6, 1))
            for i, w in enumerate(made) for d in range(DAYS) if start + dt.timedelta(days=d) >= w.producing_since]
    assert DailyImport().run(csv_bytes(rows), "seed.csv").ok
    return made


def test_a_wells_page_draws_its_daily_curve(logged_in_page, personas, wells, screenshot):
    page = logged_in_page(personas.plant_admin)
    page.goto("/production/data/wells/")
    assert page.locator("#wells tbody tr").count() == 6
    screenshot(page, "production-wells")
    page.click("text=兴3-21")
    page.wait_for_selector("#well-chart canvas")
    assert "兴3-21" in page.inner_text("h2.page-title")
    assert page.locator("#days tbody tr").count() == 31
    assert "2026年3月10日" in page.inner_text("#days")
    screenshot(page, "production-well")


def test_an_upload_shows_its_progress_until_done(logged_in_page, personas, wells, tmp_path, screenshot):
    page = logged_in_page(personas.plant_admin)
    page.goto("/production/data/daily/")
    screenshot(page, "production-daily-upload")
    good = tmp_path / "三月日产.csv"
    good.write_bytes(csv_bytes([row(w.code, dt.date(2026, 3, 10), 9.5) for w in wells]
                               + [row("兴1-7", dt.date(2026, 3, 10) - dt.timedelta(days=d), 4.0) for d in range(1, 40)]))
    page.set_input_files("#id_file", str(good))
    page.click("#daily-upload button[type=submit]")
    page.wait_for_selector("#import-progress[data-status=done]", timeout=60_000)
    assert "替换" in page.inner_text("#import-result")
    assert DailyProduction.objects.filter(oil_t=9.5).count() == 6
    screenshot(page, "production-daily-import")

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row("无此井", dt.date(2026, 3, 1), 1), row("兴1-7", dt.date(2026, 3, 1), -1)]))
    page.goto("/production/data/daily/")
    page.set_input_files("#id_file", str(bad))
    page.click("#daily-upload button[type=submit]")
    page.wait_for_selector("#import-progress[data-status=failed]", timeout=60_000)
    errors = page.inner_text("#import-errors")
    assert "您的权限范围内没有井号为“无此井”的井" in errors and "不能为负数" in errors
