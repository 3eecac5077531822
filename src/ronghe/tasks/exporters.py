"""The task ledger (督办台账): the supervised tasks with their lights, one row each, to xlsx.

Its first columns carry the decomposition table's headers and formats (people as 姓名（工号）,
units by name, or by code where the name is not unique), so the ledger, or a copy of it edited
into a new plan, imports back through `importers.TaskImporter`; the columns the importer does not
know (状态, 灯, 问题 …) are ignored there."""
import io
from collections.abc import Iterable

import openpyxl
from django.db.models import Count, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ronghe.core.scoping import VIEW
from ronghe.org.models import Unit
from ronghe.tasks.importers import node_text, number_key, person_ref
from ronghe.tasks.models import Plan, Task
from ronghe.tasks.rules import FailureMode, Light, Rule, Status
from ronghe.tasks.wording import COMPLETION_LABELS, LIGHT_LABELS, MODE_LABELS

_CHUNK = 1000

# Light → (fill, font colour): the traffic-light colours, readable in print.
LIGHT_STYLE = {
    Light.RED: ("FF4D4F", "FFFFFF"),
    Light.YELLOW: ("FADB14", "000000"),
    Light.BLUE: ("1677FF", "FFFFFF"),
    Light.GREEN: ("52C41A", "FFFFFF"),
    Light.GREY: ("BFBFBF", "000000"),
    Light.DONE: ("D9F7BE", "135200"),
    Light.CANCELLED: ("F0F0F0", "8C8C8C"),
}
HEADERS = ["序号", "所属方案", "任务名称", "分管领导", "牵头部门", "配合部门", "责任人", "开始日期", "完成时限",
           "原定时限", "状态", "灯", "问题", "完成进度", "最近反馈", "下次反馈", "节点"]
WIDTHS = [8, 24, 40, 16, 20, 28, 16, 12, 12, 12, 12, 12, 44, 10, 12, 12, 44]
WRAPPED = {"任务名称", "配合部门", "问题", "节点"}
DATES = {"开始日期", "完成时限", "原定时限", "最近反馈", "下次反馈"}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_HEADER_ROW = 2  # under the title row; the importer looks for its headers in the top rows


def light_label(status: Status) -> str:
    if status.light == Light.DONE:
        return str(COMPLETION_LABELS[status.completion])
    return str(LIGHT_LABELS[status.light])


def problem_text(mode: FailureMode, task=None) -> str:
    """One failure mode in words: what is wrong, with its date or count."""
    label = str(MODE_LABELS[mode.code])
    date = mode.date.isoformat() if mode.date else ""
    n = mode.value or 0
    if mode.rule == Rule.NOT_ACKNOWLEDGED:
        detail = ngettext("not acknowledged %(n)d working day after issue",
                          "not acknowledged %(n)d working days after issue", n) % {"n": n}
    elif mode.rule == Rule.REPORT_MISSING:
        detail = ngettext("%(n)d reporting cycle without a report", "%(n)d reporting cycles without a report",
                          n) % {"n": n}
    elif mode.rule == Rule.MILESTONE_MISSED:
        detail = _("the node of %(date)s is not done") % {"date": date}
    elif mode.rule == Rule.SCHEDULE_LAG:
        detail = _("%(n)d points behind schedule") % {"n": n}
    elif mode.rule == Rule.MARKED_BLOCKED:
        detail = _("blocked since %(date)s") % {"date": date}
        if task is not None and task.blocked_reason:
            detail += f"（{task.blocked_reason}）"
    elif mode.rule == Rule.REQUEST_OPEN:
        detail = _("a coordination request awaits its answer, due %(date)s") % {"date": date}
    elif mode.rule == Rule.REQUEST_OVERDUE:
        detail = _("the answer to a coordination request was due %(date)s") % {"date": date}
    elif mode.rule == Rule.PAST_DEADLINE:
        detail = ngettext("%(n)d working day past the deadline of %(date)s",
                          "%(n)d working days past the deadline of %(date)s", n) % {"n": n, "date": date}
    elif mode.rule == Rule.DEADLINE_NEAR:
        detail = ngettext("deadline %(date)s, %(n)d working day away", "deadline %(date)s, %(n)d working days away",
                          n) % {"n": n, "date": date}
    else:
        detail = ngettext("node of %(date)s, %(n)d working day away", "node of %(date)s, %(n)d working days away",
                          n) % {"n": n, "date": date}
    return f"{label}：{detail}"


def _visible(rows, user):
    """Defence in depth: whatever the caller passed, only tasks the user may see."""
    ids = set()
    for start in range(0, len(rows), _CHUNK):
        chunk = [task.pk for task in rows[start:start + _CHUNK]]
        ids.update(Task.objects.restrict(user, VIEW).filter(pk__in=chunk).values_list("pk", flat=True))
    return [task for task in rows if task.pk in ids]


class _UnitNames:
    """A unit as the table writes it: its name, or its code where active units share the name."""

    def __init__(self, units):
        names = {unit.name for unit in units}
        self.shared = set()
        for start in range(0, len(names), _CHUNK):
            chunk = sorted(names)[start:start + _CHUNK]
            self.shared.update(Unit.objects.filter(name__in=chunk, abolished_on=None).values("name")
                               .annotate(n=Count("id")).filter(n__gt=1).values_list("name", flat=True))

    def __call__(self, unit) -> str:
        return unit.code if unit.name in self.shared else unit.name


def _sorted(rows):
    return sorted(rows, key=lambda t: (t.plan.kind == Plan.Kind.SUB, t.plan_id, number_key(t.number), t.pk))


def _cell(sheet, value, *, fill=None, font=None, number_format=None, alignment=None):
    cell = WriteOnlyCell(sheet, value=value)
    if fill:
        cell.fill = fill
    if font:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    if alignment:
        cell.alignment = alignment
    return cell


def _values(task, status, unit_name) -> dict:
    return {
        "序号": task.number,
        "所属方案": task.plan.name,
        "任务名称": task.name,
        "分管领导": person_ref(task.leader),
        "牵头部门": unit_name(task.lead_unit),
        "配合部门": "、".join(unit_name(u) for u in task.co_units.all()),
        "责任人": person_ref(task.responsible),
        "开始日期": task.start_date,
        "完成时限": task.deadline,
        "原定时限": task.baseline_deadline or task.deadline,
        "状态": str(task.get_state_display()),
        "灯": light_label(status),
        "问题": "\n".join(problem_text(mode, task) for mode in status.failure_modes),
        "完成进度": status.percent_complete / 100,
        "最近反馈": status.last_report_on,
        "下次反馈": status.next_report_due,
        "节点": "\n".join(node_text(m) for m in sorted(task.milestones.all(), key=lambda m: (m.due, m.pk))),
    }


def ledger_xlsx(task_rows: Iterable[Task], statuses: dict[int, Status], user, as_of=None) -> bytes:
    """The ledger of `task_rows` (from `selectors.with_facts`, plan, leader, lead unit and
    responsible person selected) with their `statuses` (from `selectors.statuses`), as the user
    may see them: a title row, a frozen header with filters, a row per task in plan and 序号
    order, and the light column filled in its colour."""
    rows = _visible(list(task_rows), user)
    prefetch_related_objects(rows, "co_units")
    unit_name = _UnitNames([t.lead_unit for t in rows] + [u for t in rows for u in t.co_units.all()])
    as_of = as_of or (next(iter(statuses.values())).as_of if statuses else None)

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("督办台账")
    sheet.freeze_panes = f"D{_HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A3
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(HEADERS))
    sheet.auto_filter.ref = f"A{_HEADER_ROW}:{last}{_HEADER_ROW + len(rows)}"

    who = getattr(getattr(user, "person", None), "name", "") or user.get_username()
    title = _("Key task ledger (督办台账) as of %(date)s, exported by %(user)s") % {
        "date": as_of.isoformat() if as_of else "-", "user": who}
    sheet.append([_cell(sheet, title, font=Font(bold=True, size=14))])
    sheet.append([_cell(sheet, header, fill=_HEADER_FILL, font=_BOLD) for header in HEADERS])
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for task in _sorted(rows):
        status = statuses[task.pk]
        values = _values(task, status, unit_name)
        depth = task.path.count("/") - 1 if task.path else 0
        out = []
        for header in HEADERS:
            value = values[header]
            if header == "灯":
                fill, colour = LIGHT_STYLE[status.light]
                out.append(_cell(sheet, value, fill=PatternFill("solid", fgColor=fill),
                                 font=Font(bold=True, color=colour), alignment=top))
            elif header == "任务名称":
                out.append(_cell(sheet, value, alignment=Alignment(wrap_text=True, vertical="top", indent=depth)))
            elif header in DATES:
                out.append(_cell(sheet, value, number_format="yyyy-mm-dd", alignment=top))
            elif header == "完成进度":
                out.append(_cell(sheet, value, number_format="0%", alignment=top))
            elif header == "序号":
                out.append(_cell(sheet, value, number_format="@", alignment=top))
            else:
                out.append(_cell(sheet, value or None, alignment=wrap if header in WRAPPED else top))
        sheet.append(out)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
