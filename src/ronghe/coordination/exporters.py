"""The ledger of coordination requests (协调事项台账) as xlsx: what the list shows, one row a
request, with its answer and whether it came on time."""
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from ronghe.coordination import rules
from ronghe.coordination.models import Request
from ronghe.core.tabular.columns import BOOL, CHOICE, DATE, INT, TEXT, Column
from ronghe.core.tabular.writers import rows_xlsx
from ronghe.core.workdays import Calendar

# The ledger speaks the customary words in any interface language, like its headers.
CATEGORY_WORDS = (("production", "生产技术"), ("market", "市场业务"), ("funding", "资金成本"), ("staffing", "人员编制"),
                  ("equipment", "设备物资"), ("policy", "政策制度"), ("other", "其他"))
STATE_WORDS = (("open", "待答复"), ("forwarded", "已转办"), ("escalated", "已上报"), ("reopened", "重新办理"),
               ("answered", "已答复"), ("closed", "已办结"))


COLUMNS = [
    Column("number", "编号", ("Number",)),
    Column("title", "事项", ("Title",)),
    Column("category", "类别", ("Category",), type=CHOICE, choices=CATEGORY_WORDS),
    Column("from_unit", "提出单位", ("Raised by unit",)),
    Column("raised_by", "提出人", ("Raised by",)),
    Column("task", "关联任务", ("Task",)),
    Column("to_unit", "主送单位", ("Addressed to",)),
    Column("to_person", "主送人", ("Addressee",)),
    Column("handling_unit", "承办单位", ("Handled by",)),
    Column("raised_on", "提出日期", ("Raised on",), type=DATE),
    Column("answer_due", "答复时限", ("Answer due",), type=DATE),
    Column("state", "状态", ("State",), type=CHOICE, choices=STATE_WORDS),
    Column("overdue", "答复超期", ("Overdue",), type=BOOL),
    Column("answer", "答复内容", ("Answer",)),
    Column("answered_by_unit", "答复单位", ("Answered by unit",)),
    Column("answered_on", "答复日期", ("Answered on",), type=DATE),
    Column("on_time", "按时答复", ("On time",), type=BOOL),
    Column("answer_days", "答复用时（工作日）", ("Working days to answer",), type=INT),
    Column("forwarded_to", "转办单位", ("Forwarded to",)),
    Column("escalation_level", "上报层级", ("Escalation level",), type=INT),
    Column("closed_on", "办结日期", ("Closed on",), type=DATE),
    Column("reopen_count", "重新办理次数", ("Times reopened",), type=INT),
    Column("description", "具体内容", ("Description",), type=TEXT),
]
SHEET_TITLE = _("Coordination requests")


def _name(obj):
    return obj.name if obj is not None else ""


def row_of(r: Request, calendar) -> dict:
    """One request as a ledger row (the request comes from `views.present`, which knows
    whether it is overdue)."""
    answered = r.answered_on is not None
    return {
        "number": r.number, "title": r.title, "category": r.category, "from_unit": _name(r.from_unit),
        "raised_by": _name(r.raised_by_person) or (r.raised_by.get_username() if r.raised_by_id else ""),
        "task": str(r.task) if r.task_id else "", "to_unit": _name(r.to_unit), "to_person": _name(r.to_person),
        "handling_unit": _name(r.handling_unit), "raised_on": r.raised_on, "answer_due": r.answer_due,
        "state": r.state, "overdue": bool(getattr(r, "overdue", False)), "answer": r.answer,
        "answered_by_unit": _name(r.answered_by_unit), "answered_on": r.answered_on,
        "on_time": (r.answered_on <= r.answer_due) if answered else None,
        "answer_days": rules.answer_days(r.raised_on, r.answered_on, calendar) if answered else None,
        "forwarded_to": _name(r.forwarded_to), "escalation_level": r.escalation_level, "closed_on": r.closed_on,
        "reopen_count": r.reopen_count, "description": r.description,
    }


def ledger_xlsx(requests: Iterable[Request]) -> bytes:
    calendar = Calendar()
    return rows_xlsx(COLUMNS, (row_of(r, calendar) for r in requests), sheet_title=str(SHEET_TITLE))
