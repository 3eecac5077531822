"""会议纪要 as a Word document in the customary layout of a Chinese state enterprise: the red
title (版头) over the issue number and a red rule, then time, place, chair and who attended and
who was absent, the agenda items as discussed, the decisions numbered 一、二、三 with owner,
lead unit and deadline, and the organiser and date at the foot."""
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ronghe.core import documents
from ronghe.core.documents import numeral
from ronghe.meetings import selectors
from ronghe.meetings.models import AgendaItem, Attendance

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run, name, size, bold=False, colour=None):
    # The minutes' fonts (仿宋_GB2312, 小标宋) have Latin letters of their own.
    documents.font(run, name, size, bold=bold, colour=colour, latin=name)


def _paragraph(doc, text="", *, font=BODY_FONT, size=16, bold=False, colour=None, align=None, indent=True):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if indent and align is None:
        fmt.first_line_indent = Pt(size * 2)
    if text:
        _font(paragraph.add_run(text), font, size, bold, colour)
    return paragraph


def _red_rule(paragraph):
    """The red line under the masthead: a bottom border on the issue-number paragraph."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _labelled(doc, label, text):
    paragraph = _paragraph(doc)
    _font(paragraph.add_run(f"{label}："), HEADING_FONT, 16)
    _font(paragraph.add_run(text or "—"), BODY_FONT, 16)


def minutes_docx(meeting) -> bytes:
    doc = Document()
    documents.official_page(doc)

    _paragraph(doc, f"{meeting.title}纪要", font=TITLE_FONT, size=26, colour=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    issue = _paragraph(doc, meeting.issue, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(issue)
    _paragraph(doc)

    rows = list(selectors.attendance(meeting))
    present = [r.person.name for r in rows if r.status == Attendance.Status.PRESENT]
    away = [f"{r.person.name}（{r.reason}{'，' + r.substitute.name + '代' if r.substitute_id else ''}）"
            for r in rows if r.status in (Attendance.Status.ABSENT, Attendance.Status.SUBSTITUTE)]
    _labelled(doc, "时间", f"{_date(meeting.date)} {meeting.start_time:%H:%M}—{meeting.end_time:%H:%M}")
    _labelled(doc, "地点", meeting.place)
    _labelled(doc, "主持", meeting.chair.name if meeting.chair_id else "")
    _labelled(doc, "出席", "、".join(present) or "、".join(r.person.name for r in rows))
    if away:
        _labelled(doc, "请假", "、".join(away))

    items = list(selectors.agenda(meeting))
    _paragraph(doc, f"{_date(meeting.date)}，{meeting.organiser_unit.name}召开{meeting.title}"
                    f"{'，研究了' + str(len(items)) + '项议题' if items else ''}。现将会议议定事项纪要如下：")
    if meeting.minutes.strip():
        for line in meeting.minutes.strip().splitlines():
            if line.strip():
                _paragraph(doc, line.strip())

    decisions = list(selectors.decisions_of(meeting))
    for index, item in enumerate(items, start=1):
        _paragraph(doc, f"{numeral(index)}、{item.title}", font=HEADING_FONT)
        if item.discussion.strip():
            _paragraph(doc, item.discussion.strip())
        outcome = item.outcome_note.strip() or (item.get_outcome_display()
                                                 if item.outcome != AgendaItem.Outcome.PENDING else "")
        if outcome:
            _paragraph(doc, f"会议认为：{outcome}" if not outcome.startswith("会议") else outcome)
        for decision in (d for d in decisions if d.item_id == item.pk):
            _decision(doc, decision)
    loose = [d for d in decisions if d.item_id is None or d.item_id not in {i.pk for i in items}]
    if loose:
        _paragraph(doc, f"{numeral(len(items) + 1)}、其他议定事项", font=HEADING_FONT)
        for decision in loose:
            _decision(doc, decision)

    _paragraph(doc)
    _paragraph(doc, meeting.organiser_unit.name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _date(meeting.date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    return documents.save(doc)


def _decision(doc, decision):
    paragraph = _paragraph(doc)
    _font(paragraph.add_run(f"（{numeral(decision.seq)}）"), BODY_FONT, 16, bold=True)
    _font(paragraph.add_run(decision.text), BODY_FONT, 16)
    _font(paragraph.add_run(f"（责任单位：{decision.lead_unit.name}；责任人：{decision.owner.name}；"
                            f"完成时限：{_date(decision.deadline)}；编号：{decision.number}）"), BODY_FONT, 16)
