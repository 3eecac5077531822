"""Registering past requests from a spreadsheet: validated whole, written in one go with one
audit entry, counted by the statistics, nobody notified."""
import datetime as dt
import io

import openpyxl
from django.core.management import call_command

from ronghe.coordination import selectors
from ronghe.coordination.importers import RequestImporter
from ronghe.coordination.models import Request
from ronghe.core.models import AuditEntry, Notification

D = dt.date


def _row(**overrides):
    row = {"事项": "请求协调拖欠工程款结算", "具体内容": "请协调结算。", "类别": "资金成本", "提出单位编码": "CY1",
           "主送单位编码": "HQ-ZZB", "提出日期": "2026-03-02", "答复内容": "已结算。", "答复日期": "2026-03-04",
           "办结日期": "2026-03-05"}
    row.update(overrides)
    return row


def test_a_registry_of_past_requests_is_imported_and_counted(coord, org):
    rows = [_row(), _row(事项="请求明确定价办法", 类别="", 答复内容="", 答复日期="", 办结日期="", 答复时限="2026-03-20"),
            _row(事项="申请转岗培训", 主送人工号=coord.dept_head.person.employee_no, 办结日期="")]
    result = RequestImporter(actor=coord.raiser).run_rows(rows, "登记表.xlsx")
    assert result.ok, result.as_text_lines()
    assert result.counts["created"] == 3
    closed, open_, answered = (Request.objects.get(title=t) for t in ("请求协调拖欠工程款结算", "请求明确定价办法", "申请转岗培训"))
    assert closed.state == "closed" and closed.number == "XT2026-0001" and closed.answer_due == D(2026, 3, 9)
    assert [e.kind for e in closed.events.all()] == ["raised", "answered", "closed"]
    assert open_.state == "open" and open_.category == "other" and open_.answer_due == D(2026, 3, 20)
    assert answered.state == "answered" and answered.to_person == coord.dept_head.person
    assert AuditEntry.objects.filter(action="import.coordination_requests").count() == 1
    assert not Notification.objects.exists()
    stats = selectors.statistics(coord.raiser, start=D(2026, 1, 1), end=D(2026, 6, 30))
    assert (stats.total.raised, stats.total.answered) == (3, 2)


def test_every_error_is_reported_and_nothing_is_written(coord):
    rows = [_row(提出单位编码="CY2"), _row(主送单位编码="NOPE"), _row(提出日期="2026-07-01"),
            _row(答复日期=""), _row(主送人工号="E999999"), _row(主送单位编码="CY1"), _row(办结日期="2026-03-01")]
    result = RequestImporter(actor=coord.raiser).run_rows(rows)
    assert not result.ok and not Request.objects.exists()
    messages = {(e.row, e.column) for e in result.errors}
    assert {(2, "提出单位编码"), (3, "主送单位编码"), (4, "提出日期"), (5, "答复日期"), (6, "主送人工号"),
            (7, "主送单位编码"), (8, "办结日期")} <= messages


def test_the_command_and_the_template(coord, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(RequestImporter.template_workbook()))
    headers = [c.value for c in book.active[1]]
    assert "事项*" in headers and "提出单位编码*" in headers
    path = tmp_path / "登记表.xlsx"
    sheet = openpyxl.Workbook()
    sheet.active.append(list(_row()))
    sheet.active.append(list(_row().values()))
    sheet.save(path)
    out = io.StringIO()
    call_command("import_coordination_requests", str(path), stdout=out)
    assert Request.objects.count() == 1


def test_the_import_page_offers_the_registry(coord, login):
    page = login(coord.raiser).get("/import/coordination_requests/")
    assert page.status_code == 200 and "coordination_requests" in page.content.decode()
