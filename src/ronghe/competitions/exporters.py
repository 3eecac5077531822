"""Spreadsheets of competitions: the list as filtered, a period's ranking with the score of
every indicator (排名表), and a competition's readings in the import format, so an exported file
re-imports unchanged."""
import io

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ronghe.competitions.importers import ReadingImporter
from ronghe.core.tabular import DATE, INT, Column, rows_xlsx
from ronghe.core.templatetags.ronghe import cndate

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
AWARD_FILL = PatternFill("solid", fgColor="FFE7E7")


def competitions_xlsx(competitions) -> bytes:
    columns = [Column("name", "竞赛名称"), Column("organiser", "主办单位"), Column("kind", "参赛对象"),
               Column("starts_on", "开始日期", type=DATE), Column("ends_on", "结束日期", type=DATE),
               Column("cadence", "考核周期"), Column("participants", "参赛数", type=INT),
               Column("indicators", "指标数", type=INT)]
    rows = ({"name": c.name, "organiser": c.organiser.name, "kind": c.get_kind_display(), "starts_on": c.starts_on,
             "ends_on": c.ends_on, "cadence": c.get_cadence_display(), "participants": c.participant_count,
             "indicators": c.indicator_count} for c in competitions)
    return rows_xlsx(columns, rows, sheet_title="劳动竞赛")


def change_text(change) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "—"


def ranking_xlsx(ranking) -> bytes:
    """The ranking of one period: rank, change, participant, each indicator's reading and score,
    bonus and deduction with reasons, total and awards."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "排名"
    competition = ranking.competition
    state = (_("Published, version %(version)s") % {"version": ranking.publication.version}
             if ranking.published else _("Live, data as of %(day)s") % {"day": cndate(ranking.as_of)})
    sheet.append([f"{competition.name} {cndate(ranking.period.start)}—{cndate(ranking.period.end)}"])
    sheet.append([state])
    sheet["A1"].font = Font(bold=True, size=14)
    headers = ["名次", "名次变化", "参赛单位"]
    for indicator in ranking.indicators:
        unit = f"（{indicator['unit_label']}）" if indicator["unit_label"] else ""
        headers += [f"{indicator['name']}{unit}", f"{indicator['name']}得分（满分{indicator['weight']:g}）"]
    headers += ["指标得分", "加减分", "加减分事由", "总分", "获奖"]
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in ranking.rows:
        lines = {line["indicator"]: line for line in row.lines}
        cells = [row.rank, change_text(row.change), row.name]
        for indicator in ranking.indicators:
            line = lines.get(indicator["code"])
            if row.masked:  # another participant's breakdown, which the viewer does not read
                cells += ["—", "—"]
            else:
                cells += [line["value"] if line and not line["missing"] else "缺报", round(line["score"], 2) if line else 0]
        cells += ["—" if row.masked else round(row.base, 2), "—" if row.masked else round(row.adjustment, 2),
                  "；".join(f"{a['points']:+g} {a['reason']}" for a in row.adjustments), round(row.total, 2),
                  "、".join(row.awards)]
        sheet.append(cells)
        if row.awards:
            for cell in sheet[sheet.max_row]:
                cell.fill = AWARD_FILL
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16 if index != 3 else 24
    sheet.freeze_panes = "D4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def readings_xlsx(competition, readings) -> bytes:
    importer = ReadingImporter(competition)
    columns = importer.columns
    rows = ({"period_start": r.period_start, "participant": str(r.participant_id), "indicator": r.indicator.code,
             "value": r.value, "plan": r.plan, "evidence": r.evidence} for r in readings)
    return rows_xlsx(columns, rows, sheet_title=importer.sheet_title)

