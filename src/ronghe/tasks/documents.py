"""Printable documents of the Five-Ones mechanism: the bulletin (通报) as Word (docx) and PDF, and
the supervision notice (督办单) of a chase as PDF.

The bulletin is first laid out once as plain blocks (`bulletin_layout`: title, lines under it,
sections with a paragraph and a table, core.documents' `Layout`), in the reader's language; the
same blocks become the HTML page, the PDF (WeasyPrint from that HTML, A4, Noto CJK fonts) and
the docx (core.documents' official document: 黑体 headings, 仿宋 body, tables with borders), so
the three never disagree."""
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

# DOCX and PDF are named through this module by the tasks pages and API.
from ronghe.core.documents import DOCX, PDF, Layout, Section, Table, layout_docx, pdf  # noqa: F401
from ronghe.core.templatetags.ronghe import cndate
from ronghe.tasks import bulletin as bulletins
from ronghe.tasks.exporters import light_label, problem_text
from ronghe.tasks.rules import Light, Phase, Rule
from ronghe.tasks.wording import LIGHT_LABELS

LIGHT_ORDER = (Light.RED, Light.YELLOW, Light.BLUE, Light.GREEN, Light.GREY)


def percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _number(value) -> str:
    return "—" if value is None else f"{value}"


def _overview(b: bulletins.Bulletin) -> Section:
    f, p = b.figures, b.period
    lights = "、".join(_("%(light)s %(n)d") % {"light": LIGHT_LABELS[light], "n": f.lights[light.value]}
                       for light in LIGHT_ORDER)
    first = _(
        "As of %(date)s, %(total)d key tasks are under supervision: %(lights)s; %(done)d done, of which "
        "%(on_time)d on time (on-time completion rate %(rate)s); %(in_progress)d under way and %(waiting)d "
        "awaiting acknowledgement.") % {
        "date": cndate(b.date_to), "total": f.total, "lights": lights, "done": f.done, "on_time": f.done_on_time,
        "rate": percent(f.on_time_rate), "in_progress": f.phases[Phase.IN_PROGRESS] + f.phases[Phase.SUBMITTED],
        "waiting": f.phases[Phase.ISSUED]}
    second = _(
        "Acknowledgement took %(ack)s working days on average; %(reporting)s of the tasks under way reported on "
        "time. In the period %(issued)d tasks were issued, %(completed)d completed (%(completed_on_time)d on "
        "time) and %(returned)d completions returned.") % {
        "ack": _number(f.acknowledge_days_avg), "reporting": percent(f.reporting_rate), "issued": p.issued,
        "completed": p.completed, "completed_on_time": p.completed_on_time, "returned": p.returned}
    headers = [_("Tasks"), *[str(LIGHT_LABELS[light]) for light in LIGHT_ORDER], _("Done"), _("Cancelled"),
               _("On-time completion"), _("Acknowledgement (working days)"), _("Reports on time")]
    row = [str(f.total), *[str(f.lights[light.value]) for light in LIGHT_ORDER], str(f.phases[Phase.DONE]),
           str(f.phases[Phase.CANCELLED]), percent(f.on_time_rate), _number(f.acknowledge_days_avg),
           percent(f.reporting_rate)]
    return Section(_("1. Overall (总体情况)"), [first, second],
                   Table(headers, [row], [1] * len(headers), numeric=set(range(len(headers)))), key="overall")


def _problems(line) -> str:
    return "；".join(problem_text(mode, line.task) for mode in line.status.failure_modes)


def _red(b) -> Section:
    rows = [[line.task.number or "—", line.task.name, line.task.lead_unit.name, line.task.responsible.name,
             cndate(line.status.deadline), _problems(line)] for line in b.red]
    intro = ngettext("%(n)d task shows a red light:", "%(n)d tasks show a red light:", len(rows)) % {"n": len(rows)}
    return Section(_("2. Red tasks (红灯任务)"), [intro] if rows else [], Table(
        [_("No."), _("Task"), _("Lead unit"), _("Responsible"), _("Deadline"), pgettext("task", "Problems")], rows,
        [2, 8, 4, 3, 4, 10], empty=_("No task shows a red light.")), key="red")


def _overdue_days(line) -> str:
    mode = next((m for m in line.status.failure_modes if m.rule is Rule.PAST_DEADLINE), None)
    return str(mode.value or 0) if mode else "—"


def _overdue(b) -> Section:
    rows = [[line.task.number or "—", line.task.name, line.task.lead_unit.name, line.task.responsible.name,
             cndate(line.task.baseline_deadline or line.status.deadline), cndate(line.status.deadline),
             _overdue_days(line), str(line.status.percent_complete) + "%"] for line in b.overdue]
    intro = ngettext("%(n)d task is past its deadline and not completed:",
                     "%(n)d tasks are past their deadline and not completed:", len(rows)) % {"n": len(rows)}
    return Section(_("3. Overdue tasks (逾期任务)"), [intro] if rows else [], Table(
        [_("No."), _("Task"), _("Lead unit"), _("Responsible"), _("Original deadline"), _("Deadline in force"),
         _("Working days overdue"), _("Percent complete")], rows, [2, 8, 4, 3, 4, 4, 3, 3],
        empty=_("No task is overdue."), numeric={6, 7}), key="overdue")


def _returned(b) -> Section:
    rows = [[cndate(r.returned_on), r.task.number or "—", r.task.name, r.task.lead_unit.name, r.reason]
            for r in b.returned]
    intro = ngettext("%(n)d completion was returned (退办) in the period:",
                     "%(n)d completions were returned (退办) in the period:", len(rows)) % {"n": len(rows)}
    return Section(_("4. Returned completions (退办情况)"), [intro] if rows else [], Table(
        [_("Returned on"), _("No."), _("Task"), _("Lead unit"), _("Reason")], rows, [4, 2, 8, 4, 10],
        empty=_("No completion was returned in the period.")), key="returned")


def _ranking(b) -> Section:
    rows = []
    for r in b.ranking:
        rates = r.rates
        rows.append([_number(r.rank), r.figures.name, str(r.figures.total), percent(rates["on_time"]),
                     f"{r.red}/{r.live}", percent(rates["reporting"]), percent(rates["acknowledging"]),
                     _number(r.score)])
    return Section(_("5. Ranking of the lead units (牵头部门排名)"), [], Table(
        [_("Rank"), _("Lead unit"), _("Tasks"), _("On-time completion"), _("Red / live"), _("Reports on time"),
         _("Prompt acknowledgement"), _("Score")], rows, [2, 7, 2, 3, 3, 3, 3, 2],
        empty=_("No task."), numeric={0, 2, 3, 4, 5, 6, 7}), key="ranking")


def score_note() -> str:
    w = bulletins.WEIGHTS
    return _(
        "Score out of 100: on-time completion rate ×%(on_time)d, share of live tasks not red ×%(free_of_red)d, "
        "reports on time ×%(reporting)d, acknowledgement within the plan's yellow threshold ×%(acknowledging)d. "
        "A rate with nothing to count is left out and the other weights are scaled up; a unit without any rate "
        "is not ranked. Equal scores: fewer red tasks first.") % w


def bulletin_layout(b: bulletins.Bulletin) -> Layout:
    scope = [x for x in (b.plan.name if b.plan else "", b.unit.name if b.unit else "") if x]
    lines = [
        "　".join(x for x in (b.issuer, cndate(b.date_to)) if x),
        _("Period: %(from)s to %(to)s") % {"from": cndate(b.date_from), "to": cndate(b.date_to)},
        _("Scope: %(scope)s") % {"scope": " · ".join(scope) if scope else _("all the key tasks you can see")},
    ]
    return Layout(b.title, lines, [_overview(b), _red(b), _overdue(b), _returned(b), _ranking(b)], [
        score_note(),
        _("Lights and failure modes are those of %(date)s, by the rules of the Five-Ones mechanism; the "
          "on-time completion rate compares the completion with the original deadline.") % {
            "date": cndate(b.date_to)}])


# --- PDF ---------------------------------------------------------------------------------------

def bulletin_html(layout: Layout) -> str:
    return render_to_string("tasks/documents/bulletin.html", {"doc": layout})


def bulletin_pdf(layout: Layout) -> bytes:
    return pdf(bulletin_html(layout))


def chase_context(chase, task, status) -> dict:
    """What the supervision notice (督办单) says: the task as it stood on the day of the chase."""
    if status.light is Light.DONE:
        light = light_label(status)
    else:
        light = str(LIGHT_LABELS[status.light])
    return {
        "chase": chase, "task": task, "status": status, "light": light,
        "problems": [problem_text(mode, task) for mode in status.failure_modes],
        "recipients": "、".join(p.name for p in chase.recipients.all()),
        "baseline": task.baseline_deadline if task.baseline_deadline and task.baseline_deadline != status.deadline
        else None,
    }


def chase_html(chase, task, status) -> str:
    return render_to_string("tasks/documents/chase_notice.html", chase_context(chase, task, status))


def chase_pdf(chase, task, status) -> bytes:
    return pdf(chase_html(chase, task, status))


bulletin_docx = layout_docx
