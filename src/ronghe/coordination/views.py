"""Pages of coordination requests: the list with its filters and export, raising a request
(from a unit or a task), the request page with its timeline and the step forms each side may
use, editing, attachments, and the statistics. Thin: reads start from coordination.selectors,
writes go through coordination.services; a request outside the viewer's scope answers 404."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from ronghe.coordination import exporters, forms, rules, selectors, services
from ronghe.coordination.models import Category, Request
from ronghe.core import attachments, audit, clock
from ronghe.core.downloads import download
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.scoping import CHANGE
from ronghe.core.templatetags.ronghe import cndate
from ronghe.core.views import with_diffs
from ronghe.core.workdays import Calendar
from ronghe.org.models import Unit
from ronghe.tasks import selectors as task_selectors

PAGE_SIZE = 50
S = Request.State
STATE_FILTERS = [("awaiting", gettext_lazy("Awaiting an answer")), ("overdue", gettext_lazy("Answer overdue"))]


def _date(value):
    try:
        return dt.date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def filters_from(params) -> selectors.Filters:
    """The list filters from GET parameters; unknown values are ignored, not errors."""
    state = params.get("state", "")
    return selectors.Filters(
        q=params.get("q", "").strip(),
        state=state if state in S.values or state in ("awaiting", "overdue") else "",
        category=params.get("category", "") if params.get("category", "") in Category.values else "",
        from_unit=params.get("from_unit", "").strip(), to_unit=params.get("to_unit", "").strip(),
        handling_unit=params.get("handling_unit", "").strip(),
        to_person=_int(params.get("to_person")), task=_int(params.get("task")),
        raised_from=_date(params.get("raised_from")), raised_to=_date(params.get("raised_to")),
        mine=params.get("mine", "") if params.get("mine", "") in ("raised", "to_me") else "",
        sort=params.get("sort", "") if params.get("sort", "") in selectors.SORTS else selectors.DEFAULT_SORT,
    )


def present(requests, today, calendar):
    """Attach to each request how its answer date stands: `due` (the current due date),
    `overdue`, and `reminder` (due soon / overdue) for the badges."""
    for r in requests:
        r.due = rules.current_due(r.answer_due, r.escalated_on, calendar)
        r.overdue = r.awaiting_answer and today > r.due
        r.due_soon = rules.reminder(awaiting_answer=r.awaiting_answer, answer_due=r.answer_due,
                                    escalated_on=r.escalated_on, as_of=today,
                                    calendar=calendar) == rules.Reminder.DUE_SOON
        r.answered_late = r.answered_on is not None and r.answered_on > r.answer_due
    return requests


def can_raise(user) -> bool:
    return Unit.objects.restrict(user, CHANGE).exists()


def request_list(request):
    user = request.user
    f = filters_from(request.GET)
    qs = selectors.filtered(selectors.requests(user), f, user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    present(page.object_list, clock.today(), Calendar())
    return render(request, "coordination/request_list.html", {
        "page_obj": page, "filters": f, "states": S.choices, "state_filters": STATE_FILTERS,
        "categories": Category.choices, "can_raise": can_raise(user),
        "awaiting": selectors.awaiting_count(user),
    })


@require_GET
def request_export(request):
    """The ledger (协调事项台账) of what the list shows, with its filters, as xlsx."""
    user = request.user
    f = filters_from(request.GET)
    rows = present(list(selectors.filtered(selectors.requests(user), f, user)), clock.today(), Calendar())
    return download(exporters.ledger_xlsx(rows), f"coordination-{clock.today().isoformat()}.xlsx")


def _run(form, call, field_map=None):
    """Call a service with the form's data; its ValidationError goes onto the form."""
    try:
        return call()
    except OutOfScope as exc:
        raise Http404 from exc
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None


def request_create(request):
    user = request.user
    task = None
    task_id = _int(request.GET.get("task") or request.POST.get("task"))
    if task_id:
        task = get_object_or_404(task_selectors.tasks(user), pk=task_id)
        if not services.can_raise_from_task(user, task):
            raise Http404
    elif not can_raise(user):
        raise Http404
    form = forms.RaiseForm(request.POST or None, request.FILES or None, user=user, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def raise_it():
            raised = services.request_raise(
                actor=user, title=data["title"], description=data["description"], category=data["category"],
                from_unit=data.get("from_unit"), to_unit=data["to_unit"], to_person=data["to_person"], task=task,
                answer_due=data["answer_due"])
            if data.get("attachment"):
                services.attachment_add(actor=user, request=raised, file=data["attachment"])
            return raised

        done = _run(form, raise_it, {"to_person": "to_person_text"})
        if done is not None:
            messages.success(request, _("Request %(number)s was raised.") % {"number": done.number})
            return redirect("coordination_detail", done.pk)
    return render(request, "coordination/request_form.html", {
        "form": form, "task": task, "title": _("Raise a coordination request")})


def request_edit(request, pk):
    user = request.user
    req = get_object_or_404(selectors.requests(user), pk=pk)
    if not (req.awaiting_answer and services.is_raiser(user, req)):
        raise Http404
    form = forms.EditForm(request.POST or None, request=req)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in ("title", "description", "category", "answer_due", "to_person")
                   if getattr(req, name) != data[name]}
        done = _run(form, lambda: services.request_update(actor=user, request=req, **changes),
                    {"to_person": "to_person_text"}) if changes else req
        if done is not None:
            messages.success(request, _("Request %(number)s was saved.") % {"number": req.number})
            return redirect("coordination_detail", req.pk)
    return render(request, "coordination/request_form.html", {
        "form": form, "req": req, "title": _("Edit · %(name)s") % {"name": req.number}})


# Each step: the form, who may take it (raiser / addressee), the states it applies to, the
# service call, and the message shown after it.
STEPS = {
    "answer": (forms.AnswerForm, "addressee", Request.AWAITING_ANSWER,
               lambda user, req, d: services.request_answer(actor=user, request=req, answer=d["answer"])),
    "forward": (forms.ForwardForm, "addressee", Request.AWAITING_ANSWER,
                lambda user, req, d: services.request_forward(actor=user, request=req, to_unit=d["to_unit"],
                                                              note=d["note"])),
    "close": (forms.CloseForm, "raiser", (S.ANSWERED,),
              lambda user, req, d: services.request_close(actor=user, request=req, note=d["note"])),
    "reopen": (forms.ReopenForm, "raiser", (S.ANSWERED, S.CLOSED),
               lambda user, req, d: services.request_reopen(actor=user, request=req, reason=d["reason"],
                                                            answer_due=d["answer_due"])),
    "escalate": (forms.EscalateForm, "raiser", Request.AWAITING_ANSWER,
                 lambda user, req, d: services.request_escalate(actor=user, request=req, note=d["note"])),
    "attach": (forms.AttachForm, "either", tuple(S.values),
               lambda user, req, d: services.attachment_add(actor=user, request=req, file=d["file"])),
}
STEP_LABELS = {
    "answer": gettext_lazy("Answer"), "forward": gettext_lazy("Forward"), "close": gettext_lazy("Accept and close"),
    "reopen": gettext_lazy("Reopen"), "escalate": gettext_lazy("Escalate"), "attach": gettext_lazy("Attach a file"),
}


def _steps_for(user, req, today, calendar):
    """The steps the user may take on the request now, in the order the page shows them."""
    raiser, addressee = services.is_raiser(user, req), services.is_addressee(user, req)
    side = {"raiser": raiser, "addressee": addressee, "either": raiser or addressee}
    steps = []
    for name, (_form, who, states, _call) in STEPS.items():
        if not side[who] or req.state not in states:
            continue
        if name == "escalate" and not (rules.escalation_due(
                awaiting_answer=True, answer_due=req.answer_due, escalated_on=req.escalated_on, as_of=today,
                calendar=calendar) and services.next_level(req.handling_unit) is not None):
            continue
        steps.append(name)
    return steps, raiser


def _detail_context(request, req, bound=None):
    user = request.user
    today, calendar = clock.today(), Calendar()
    present([req], today, calendar)
    names, raiser = _steps_for(user, req, today, calendar)
    steps = []
    for name in names:
        form_class = STEPS[name][0]
        form = bound if bound is not None and bound[0] == name else None
        steps.append({"name": name, "label": STEP_LABELS[name],
                      "form": form[1] if form else form_class(prefix=name)})
    return {
        "req": req, "steps": steps, "today": today,
        "can_edit": req.awaiting_answer and raiser,
        "timeline": selectors.timeline(req), "attachments": selectors.attachments(req),
        "task_visible": req.task_id is not None and task_selectors.tasks(user).filter(pk=req.task_id).exists(),
        "audit_trail": with_diffs(audit.history(req).restrict(user)[:50], user),
        "open_step": bound[0] if bound else "",
        "suggestions": forms.known_units(user) if "forward" in names else None,
    }


def request_detail(request, pk):
    req = get_object_or_404(selectors.requests(request.user), pk=pk)
    return render(request, "coordination/request_detail.html", _detail_context(request, req))


@require_POST
def request_step(request, pk, step):
    user = request.user
    req = get_object_or_404(selectors.requests(user), pk=pk)
    form_class, _who, _states, call = STEPS[step]
    form = form_class(request.POST, request.FILES, prefix=step)
    if form.is_valid():
        done = _run(form, lambda: call(user, req, form.cleaned_data), {"reason": "reason", "on": None})
        if done is not None:
            messages.success(request, _("%(step)s: done.") % {"step": STEP_LABELS[step]})
            return redirect("coordination_detail", req.pk)
    req = get_object_or_404(selectors.requests(user), pk=pk)
    return render(request, "coordination/request_detail.html", _detail_context(request, req, (step, form)),
                  status=400)


@require_GET
def attachment_download(request, pk, attachment_id):
    req = get_object_or_404(selectors.requests(request.user), pk=pk)
    attachment = get_object_or_404(req.attachments.all(), pk=attachment_id)
    return attachments.serve(attachment.file, attachment.name)


# --- statistics -------------------------------------------------------------------------------

STATS_GROUPS = {
    "from_unit": gettext_lazy("By raising unit"),
    "to_unit": gettext_lazy("By addressed unit"),
    "to_person": gettext_lazy("By addressee (person)"),
}


def _percent(rate):
    return "—" if rate is None else f"{rate:.1f}%"


def period_from(params, today):
    """The period of the statistics: `start` / `end` (YYYY-MM-DD), default this year to today."""
    start = _date(params.get("start")) or dt.date(today.year, 1, 1)
    end = _date(params.get("end")) or today
    return (start, end) if start <= end else (end, start)


def request_stats(request):
    """Raised, answered, answered on time, open, overdue and average answer time (working
    days) for a period, in all and by raising unit, addressed unit and addressee."""
    today = clock.today()
    start, end = period_from(request.GET, today)
    f = filters_from(request.GET)
    found = selectors.statistics(request.user, start=start, end=end, filters=f)

    def line(name, figures):
        return {"name": name, "figures": figures, "answer_rate": _percent(figures.answer_rate),
                "on_time_rate": _percent(figures.on_time_rate),
                "average": "—" if figures.average_answer_days is None else f"{figures.average_answer_days:.1f}"}

    groups = [(key, label, [line(row.name or _("(not named)"), row.figures) for row in found.groups[key]])
              for key, label in STATS_GROUPS.items()]
    by_unit = found.groups["to_unit"]
    chart = {
        "units": [row.name for row in by_unit],
        "series": [
            {"name": _("Answered on time"), "colour": "#2fb344", "data": [r.figures.answered_on_time for r in by_unit]},
            {"name": _("Answered late"), "colour": "#f59f00",
             "data": [r.figures.answered - r.figures.answered_on_time for r in by_unit]},
            {"name": _("Awaiting an answer"), "colour": "#d63939", "data": [r.figures.open for r in by_unit]},
        ],
    }
    return render(request, "coordination/stats.html", {
        "start": start, "end": end, "total": line(_("All"), found.total), "groups": groups, "chart": chart,
        "headline": headline(found.total, start, end), "filters": f,
    })


def headline(figures, start, end) -> str:
    """The figure the reports quote, e.g. “12 requests raised, all 12 answered”."""
    period = _("%(start)s to %(end)s") % {"start": cndate(start), "end": cndate(end)}
    if not figures.raised:
        return _("%(period)s: no request raised.") % {"period": period}
    values = {"period": period, "raised": figures.raised, "answered": figures.answered,
              "on_time": figures.answered_on_time, "open": figures.open}
    if figures.all_answered:
        return ngettext("%(period)s: %(raised)d request raised, all %(answered)d answered (%(on_time)d on time).",
                        "%(period)s: %(raised)d requests raised, all %(answered)d answered (%(on_time)d on time).",
                        figures.raised) % values
    return ngettext("%(period)s: %(raised)d request raised, %(answered)d answered (%(on_time)d on time), "
                    "%(open)d awaiting an answer.",
                    "%(period)s: %(raised)d requests raised, %(answered)d answered (%(on_time)d on time), "
                    "%(open)d awaiting an answer.", figures.raised) % values
