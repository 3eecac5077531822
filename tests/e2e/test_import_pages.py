"""Importing people in a real browser: a file with errors shows every error (row, column,
reason in Chinese) and gives the file back with an error column; nothing is written; the
corrected file then imports."""
import re

import openpyxl

from ronghe.org.models import Person
from tests import factories as f

HEADERS = ["工号*", "姓名*", "性别", "出生日期", "单位编码*", "政治面貌", "所在党组织编码", "手机"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def people_file(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def test_an_import_with_errors_shows_them_all_and_writes_nothing(org, logged_in_page, screenshot, tmp_path):
    admin = f.user("importer")
    f.grant(admin, f.ROLE.ADMIN, org.plant)
    page = logged_in_page(admin)
    bad = people_file(tmp_path / "人员.xlsx", [
        ["E900001", "周一", "男", "1990-01-02", "CY1-A1", "群众", None, "13811112222"],
        ["E900002", "吴二", "女", "2999-01-01", "CY1-A1", "群众", None, None],          # born in the future
        ["E900003", "郑三", "男", "1985/3/5", "NO-SUCH", "群众", None, None],            # unknown unit
        ["E900004", "王四", "男", "1985年3月5日", "CY1-A1", "中共党员", None, None],      # member without org
        ["E900005", "冯五", "男", "1985-03-05", "CY2-A1", "群众", None, None],           # a sibling plant's unit
    ])

    page.goto("/import/people/")
    page.set_input_files("#import-form input[type=file]", bad)
    page.click("#import-form button[type=submit]")
    errors = page.locator("#import-errors")
    errors.wait_for()
    rows = errors.locator("tbody tr")
    cells = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]
    by_row = {(r[0], r[1]) for r in cells}
    assert {("3", "出生日期"), ("4", "单位编码"), ("5", "所在党组织编码"), ("6", "单位编码")} <= by_row
    assert all(CJK.search(r[2]) for r in cells), cells  # reasons in Chinese in the Chinese UI
    assert not Person.objects.filter(employee_no__startswith="E9000").exists()
    screenshot(page, "import-errors")

    with page.expect_download() as download_info:
        page.click("#import-error-file")
    returned_path = tmp_path / "returned.xlsx"
    download_info.value.save_as(returned_path)
    returned = openpyxl.load_workbook(returned_path)
    header = [c.value for c in returned.active[1]]
    assert header[-1] in ("错误", "错误/Errors", "Errors")
    marked = {row[0].row for row in returned.active.iter_rows(min_row=2) if row[-1].value}
    assert marked == {3, 4, 5, 6}

    good = people_file(tmp_path / "人员-改.xlsx", [
        ["E900001", "周一", "男", "1990-01-02", "CY1-A1", "群众", None, "13811112222"],
        ["E900004", "王四", "男", "1985年3月5日", "CY1-A1", "中共党员", "P-CY1-B1", None],
    ])
    page.set_input_files("#import-form input[type=file]", good)
    page.click("#import-form button[type=submit]")
    page.locator("#import-result").wait_for()
    assert Person.objects.filter(employee_no__in=["E900001", "E900004"]).count() == 2
    assert Person.objects.get(employee_no="E900004").membership.party_org == org.branch
