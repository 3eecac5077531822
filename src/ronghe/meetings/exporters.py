"""The meeting list and the decision ledger (议定事项督办台账) as xlsx, with the lists' filters."""
import io

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ronghe.meetings import selectors

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_CHUNK = 1000


def _book(title, headers, widths, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MEETING_HEADERS = ["期号", "会议名称", "会议类型", "主办单位", "日期", "开始", "结束", "地点", "主持人", "状态", "应到",
                   "实到", "议题数", "议定事项数"]


def meetings_xlsx(meetings) -> bytes:
    """`meetings` from selectors.with_counts."""
    rows = ([m.issue, m.title, m.get_kind_display(), m.organiser_unit.name, m.date, m.start_time.strftime("%H:%M"),
             m.end_time.strftime("%H:%M"), m.place, m.chair.name if m.chair_id else "", m.get_state_display(),
             m.invited, m.present, m.items, m.decision_count] for m in meetings.iterator(chunk_size=_CHUNK))
    return _book("会议", MEETING_HEADERS, [16, 28, 18, 22, 12, 8, 8, 20, 10, 10, 6, 6, 8, 10], rows)


DECISION_HEADERS = ["编号", "议定事项", "会议", "会议日期", "责任人", "牵头单位", "完成时限", "办理状态", "转办任务", "任务状态",
                    "办结日期", "说明"]
STATE_WORDS = {"open": "办理中", "done": "已办结", "dropped": "已撤销"}


def decisions_xlsx(decisions) -> bytes:
    rows = ([d.number, d.text, d.meeting.title, d.meeting.date, d.owner.name, d.lead_unit.name, d.deadline,
             STATE_WORDS[selectors.decision_state(d)], d.task.number or d.task_id if d.task_id else "",
             d.task.get_state_display() if d.task_id else "", d.closed_on, d.close_note]
            for d in decisions.iterator(chunk_size=_CHUNK))
    return _book("议定事项", DECISION_HEADERS, [18, 48, 22, 12, 10, 20, 12, 10, 18, 12, 12, 24], rows)
