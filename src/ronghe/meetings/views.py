"""Pages of the meetings module: the meeting list and calendar, a meeting's page (agenda with
what is proposed for it, attendance, decisions turned into tasks, minutes), series, decisions,
the Party secretaries' attendance statistics and the iCal feed. Thin: reads start from
meetings.selectors, writes go through meetings.services; what lies outside the viewer's scope
answers 404."""
import calendar as gregorian
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ronghe.core import audit, clock
from ronghe.core.downloads import download
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.models import AuditEntry
from ronghe.core.scoping import CHANGE
from ronghe.core.templatetags.ronghe import cndate
from ronghe.core.views import with_diffs
from ronghe.meetings import exporters, forms, minutes, selectors, services
from ronghe.meetings.models import AgendaItem, Attendance, Decision, FeedToken, Kind, Meeting
from ronghe.org.models import Unit
from ronghe.tasks import selectors as task_selectors

PAGE_SIZE = 50


def _run(form, call, field_map=None):
    """Call a service; its ValidationError goes onto the form, OutOfScope answers 404."""
    try:
        return call()
    except OutOfScope as exc:
        raise Http404 from exc
    except ValidationError as exc:
        if form is None:
            raise
        add_service_errors(form, exc, field_map)
        return None


def _act(request, call, done):
    """A one-click action: run it, say what happened or what stood in the way."""
    try:
        result = call()
    except OutOfScope as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(request, done)
    return result


def _date(value):
    try:
        return clock.parse_as_of(value)
    except clock.BadDate:
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _can_create(user):
    return Unit.objects.restrict(user, CHANGE).exists()


# --- the meeting list ----------------------------------------------------------------------------

SORTS = {"date": ("date", "start_time", "pk"), "-date": ("-date", "-start_time", "-pk"),
         "title": ("title", "date", "pk"), "unit": ("organiser_unit__path", "date", "pk")}


def filtered_meetings(request):
    user, params = request.user, request.GET
    qs = selectors.meetings(user)
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q))
    if params.get("kind") in Kind.values:
        qs = qs.filter(kind=params["kind"])
    if params.get("state") in Meeting.State.values:
        qs = qs.filter(state=params["state"])
    if _int(params.get("series")):
        qs = qs.filter(series_id=_int(params["series"]))
    if params.get("unit", "").strip():
        qs = qs.filter(organiser_unit__code=params["unit"].strip())
    if _date(params.get("date_from")):
        qs = qs.filter(date__gte=_date(params["date_from"]))
    if _date(params.get("date_to")):
        qs = qs.filter(date__lte=_date(params["date_to"]))
    if params.get("mine") == "1":
        qs = qs.filter(pk__in=selectors.person_meetings(user).values("pk"))
    sort = params.get("sort") if params.get("sort") in SORTS else "date"
    return selectors.with_counts(qs).order_by(*SORTS[sort]), sort


def meeting_list(request):
    qs, sort = filtered_meetings(request)
    if "date_from" not in request.GET and "page" not in request.GET and not request.GET.get("sort"):
        # Without a choice, the list opens on what is coming: the meetings from today on.
        qs = qs.filter(date__gte=clock.today() - dt.timedelta(days=31))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {
        "page_obj": page, "sort": sort, "kinds": Kind.choices, "states": Meeting.State.choices,
        "series": selectors.series_list(request.user).order_by("name"), "can_create": _can_create(request.user),
        "today": clock.today()})


def meeting_export(request):
    qs, _sort = filtered_meetings(request)
    return download(exporters.meetings_xlsx(qs), f"meetings-{clock.today().isoformat()}.xlsx")


def meeting_calendar(request):
    """The month view: each day's meetings."""
    today = clock.today()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    weeks = gregorian.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    qs = selectors.meetings(request.user).filter(date__gte=weeks[0][0], date__lte=weeks[-1][-1])
    if request.GET.get("mine") == "1":
        qs = qs.filter(pk__in=selectors.person_meetings(request.user).values("pk"))
    by_day = {}
    for meeting in qs.order_by("date", "start_time", "pk"):
        by_day.setdefault(meeting.date, []).append(meeting)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(request, "meetings/calendar.html", {
        "first": first, "today": today, "previous": previous, "following": following,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "mine": request.GET.get("mine") == "1"})


# --- one meeting ---------------------------------------------------------------------------------

def _meeting(user, meeting_id):
    return get_object_or_404(selectors.with_counts(selectors.meetings(user)), pk=meeting_id)


def _managed(user, meeting_id):
    meeting = _meeting(user, meeting_id)
    if not services.can_manage(user, meeting):
        raise Http404
    return meeting


def meeting_detail(request, meeting_id):
    user = request.user
    meeting = _meeting(user, meeting_id)
    manage = services.can_manage(user, meeting)
    items = list(selectors.agenda(meeting))
    for item in items:
        item.form = forms.OutcomeForm(initial={"discussion": item.discussion, "outcome": item.outcome,
                                               "outcome_note": item.outcome_note}, auto_id=f"id_item{item.pk}_%s")
    rows = list(selectors.attendance(meeting))
    for row in rows:
        row.form = forms.AttendanceForm(user=user, initial={"status": row.status, "reason": row.reason,
                                                            "substitute": row.substitute},
                                        auto_id=f"id_att{row.pk}_%s")
    decisions = list(selectors.decisions_of(meeting))
    for decision in decisions:
        decision.effective_state = selectors.decision_state(decision)
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "manage": manage, "items": items, "today": clock.today(), "attendance": rows, "decisions": decisions,
        "proposals": selectors.proposals(meeting, user) if manage and meeting.state != Meeting.State.CANCELLED
        else [],
        "item_form": forms.AgendaItemForm(user=user), "invite_form": forms.InviteForm(user=user),
        "decision_form": forms.DecisionForm(user=user, meeting=meeting, initial={
            "deadline": max(meeting.date, clock.today()) + dt.timedelta(days=30)}),
        "state_form": forms.StateForm(initial={"state": meeting.state}),
        "task_form": forms.CreateTaskForm(user=user),
        "visible_tasks": set(task_selectors.tasks(user).filter(
            pk__in=[i.task_id for i in items if i.task_id] + [d.task_id for d in decisions if d.task_id])
            .values_list("pk", flat=True)),
        "audit_trail": with_diffs(_meeting_history(meeting, items, rows, decisions)[:50], user),
    })


def _meeting_history(meeting, items, rows, decisions):
    """What happened to the meeting, its agenda, its attendance and its decisions."""
    def of(model, objects):
        return Q(object_type=model._meta.label_lower, object_id__in=[str(o.pk) for o in objects])

    return (AuditEntry.objects.filter(of(Meeting, [meeting]) | of(AgendaItem, items) | of(Attendance, rows)
                                      | of(Decision, decisions)).select_related("actor"))


def _back(meeting, anchor=""):
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


def _form_page(request, meeting, form, title, template="meetings/meeting_action.html"):
    return render(request, template, {"meeting": meeting, "form": form, "title": title})


def meeting_create(request):
    user = request.user
    if not _can_create(user):
        raise Http404
    series = selectors.series_list(user).filter(pk=_int(request.GET.get("series"))).first()
    initial = {}
    if series is not None:
        initial = {"title": series.name, "kind": series.kind, "organiser_unit": series.organiser_unit.code,
                   "place": series.place, "chair": series.chair, "start_time": series.start_time,
                   "invitees": list(series.invitees.all())}
    form = forms.MeetingForm(request.POST if request.method == "POST" else None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = _run(form, lambda: services.meeting_create(
            actor=user, organiser_unit=data["organiser_unit"], title=data["title"], kind=data["kind"],
            date=data["date"], start_time=data["start_time"], end_time=data["end_time"], place=data["place"],
            chair=data["chair"], invitees=data["invitees"],
            series=series if series is not None and services.can_manage(user, series) else None))
        if meeting is not None:
            messages.success(request, _("The meeting was created."))
            return _back(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "title": _("New meeting"), "meeting": None})


def meeting_edit(request, meeting_id):
    user = request.user
    meeting = _managed(user, meeting_id)
    form = forms.MeetingForm(request.POST if request.method == "POST" else None, user=user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if getattr(meeting, k) != v}
        if _run(form, lambda: services.meeting_update(actor=user, meeting=meeting, **changes) if changes
                else meeting) is not None:
            messages.success(request, _("The meeting was saved."))
            return _back(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting,
                                                          "title": _("Edit · %(name)s") % {"name": meeting}})


@require_POST
def meeting_agenda_add(request, meeting_id):
    """Take a proposed item, or add one written by the organiser."""
    user = request.user
    meeting = _managed(user, meeting_id)
    proposal = forms.ProposalForm(request.POST)
    if proposal.is_valid() and any(proposal.cleaned_data.values()):
        data = proposal.cleaned_data
        task = get_object_or_404(task_selectors.tasks(user), pk=data["task"]) if data["task"] else None
        decision = get_object_or_404(selectors.decisions(user), pk=data["decision"]) if data["decision"] else None
        request_obj = None
        if data["request"]:
            from ronghe.coordination.models import Request

            request_obj = get_object_or_404(Request.objects.restrict(user), pk=data["request"])
        _act(request, lambda: services.agenda_item_add(actor=user, meeting=meeting, task=task, decision=decision,
                                                       request=request_obj), _("The item is on the agenda."))
        return _back(meeting, "agenda")
    form = forms.AgendaItemForm(request.POST, user=user)
    if form.is_valid() and _run(form, lambda: services.agenda_item_add(
            actor=user, meeting=meeting, title=form.cleaned_data["title"],
            presenter=form.cleaned_data["presenter"])) is not None:
        messages.success(request, _("The item is on the agenda."))
        return _back(meeting, "agenda")
    return _form_page(request, meeting, form, _("Add an agenda item"))


@require_POST
def meeting_agenda_all(request, meeting_id):
    """Take every proposed item at once: the agenda built for the organiser."""
    user = request.user
    meeting = _managed(user, meeting_id)
    proposed = selectors.proposals(meeting, user)
    _act(request, lambda: [services.agenda_item_add(actor=user, meeting=meeting, task=p.task, request=p.request,
                                                    decision=p.decision) for p in proposed],
         _("%(count)s proposed items are on the agenda.") % {"count": len(proposed)})
    return _back(meeting, "agenda")


def _item(user, meeting_id, item_id):
    meeting = _managed(user, meeting_id)
    return meeting, get_object_or_404(AgendaItem.objects.filter(meeting=meeting), pk=item_id)


def meeting_item(request, meeting_id, item_id):
    """The discussion note and outcome of an agenda item."""
    user = request.user
    meeting, item = _item(user, meeting_id, item_id)
    form = forms.OutcomeForm(request.POST if request.method == "POST" else None, initial={"discussion": item.discussion, "outcome": item.outcome,
                                                            "outcome_note": item.outcome_note})
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.agenda_item_update(actor=user, item=item, **form.cleaned_data)) is not None:
            messages.success(request, _("The item's outcome was saved."))
            return _back(meeting, f"item-{item.pk}")
    return _form_page(request, meeting, form, item.title)


def meeting_item_request(request, meeting_id, item_id):
    """The meeting raises a coordination request about an agenda item."""
    user = request.user
    meeting, item = _item(user, meeting_id, item_id)
    form = forms.RaiseRequestForm(request.POST if request.method == "POST" else None, user=user,
                                  initial={"title": item.title[:200], "description": item.outcome_note})
    if request.method == "POST" and form.is_valid():
        raised = _run(form, lambda: services.agenda_item_raise_request(actor=user, item=item, **form.cleaned_data))
        if raised is not None:
            messages.success(request, _("Coordination request %(number)s was raised.") % {"number": raised.number})
            return _back(meeting, f"item-{item.pk}")
    return _form_page(request, meeting, form, _("Raise a coordination request · %(item)s") % {"item": item.title})


@require_POST
def meeting_item_remove(request, meeting_id, item_id):
    user = request.user
    meeting, item = _item(user, meeting_id, item_id)
    _act(request, lambda: services.agenda_item_remove(actor=user, item=item), _("The item was removed."))
    return _back(meeting, "agenda")


def meeting_attendance(request, meeting_id, attendance_id):
    user = request.user
    meeting = _managed(user, meeting_id)
    row = get_object_or_404(Attendance.objects.filter(meeting=meeting).select_related("person"), pk=attendance_id)
    form = forms.AttendanceForm(request.POST if request.method == "POST" else None, user=user, initial={
        "status": row.status, "reason": row.reason, "substitute": row.substitute})
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.attendance_record(actor=user, attendance=row, **form.cleaned_data)) is not None:
            messages.success(request, _("The attendance of %(name)s was recorded.") % {"name": row.person.name})
            return _back(meeting, "attendance")
    return _form_page(request, meeting, form, _("Attendance · %(name)s") % {"name": row.person.name})


@require_POST
def meeting_invite(request, meeting_id):
    user = request.user
    meeting = _managed(user, meeting_id)
    form = forms.InviteForm(request.POST, user=user)
    if form.is_valid() and _run(form, lambda: services.attendance_invite(
            actor=user, meeting=meeting, people=form.cleaned_data["people"])) is not None:
        messages.success(request, _("The people were invited."))
        return _back(meeting, "attendance")
    return _form_page(request, meeting, form, _("Invite"))


def meeting_decide(request, meeting_id):
    user = request.user
    meeting = _managed(user, meeting_id)
    form = forms.DecisionForm(request.POST if request.method == "POST" else None, user=user, meeting=meeting,
                              initial={"item": _int(request.GET.get("item"))})
    if request.method == "POST" and form.is_valid():
        decision = _run(form, lambda: services.decision_create(actor=user, meeting=meeting, **form.cleaned_data))
        if decision is not None:
            messages.success(request, _("Decision %(number)s was recorded.") % {"number": decision.number})
            return _back(meeting, "decisions")
    return _form_page(request, meeting, form, _("Record a decision"))


@require_POST
def meeting_notice(request, meeting_id):
    user = request.user
    meeting = _managed(user, meeting_id)
    try:
        sent = services.meeting_send_notice(actor=user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(meeting)
    if sent:
        messages.success(request, _("The meeting notice was sent (%(count)s messages).") % {"count": sent})
    else:
        messages.info(request, _("Everyone invited has been told already."))
    return _back(meeting)


def meeting_state(request, meeting_id):
    user = request.user
    meeting = _managed(user, meeting_id)
    form = forms.StateForm(request.POST if request.method == "POST" else None, initial={"state": meeting.state})
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.meeting_set_state(actor=user, meeting=meeting, **form.cleaned_data)) is not None:
            messages.success(request, _("The meeting is “%(state)s”.") % {
                "state": Meeting.State(form.cleaned_data["state"]).label})
            return _back(meeting)
    return _form_page(request, meeting, form, _("Meeting state"))


def meeting_minutes(request, meeting_id):
    user = request.user
    meeting = _managed(user, meeting_id)
    form = forms.MinutesForm(request.POST if request.method == "POST" else None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.minutes_save(actor=user, meeting=meeting,
                                                    minutes=form.cleaned_data["minutes"])) is not None:
            messages.success(request, _("The minutes were saved."))
            return _back(meeting, "minutes")
    return _form_page(request, meeting, form, _("Minutes (会议纪要)"))


def meeting_minutes_docx(request, meeting_id):
    meeting = _meeting(request.user, meeting_id)
    return download(minutes.minutes_docx(meeting), f"minutes-{meeting.date.isoformat()}-{meeting.pk}.docx")


# --- decisions -----------------------------------------------------------------------------------

def filtered_decisions(request):
    user, params = request.user, request.GET
    qs = selectors.decisions(user)
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(text__icontains=q)
    if params.get("state") in Decision.State.values:
        qs = selectors.decisions_in_state(qs, params["state"])
    if _int(params.get("series")):
        qs = qs.filter(meeting__series_id=_int(params["series"]))
    if params.get("overdue") == "1":
        qs = qs.filter(selectors.open_q(), deadline__lt=clock.today())
    sort = params.get("sort") if params.get("sort") in ("deadline", "-deadline", "meeting") else "meeting"
    order = {"deadline": ("deadline", "pk"), "-deadline": ("-deadline", "-pk"),
             "meeting": ("meeting__date", "meeting_id", "seq")}[sort]
    return qs.order_by(*order), sort


def decision_list(request):
    qs, sort = filtered_decisions(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for decision in page.object_list:
        decision.effective_state = selectors.decision_state(decision)
    # A lead unit sees its decisions; the meeting itself only when it may see the meeting too.
    visible = set(selectors.meetings(request.user).filter(pk__in=[d.meeting_id for d in page.object_list])
                  .values_list("pk", flat=True))
    return render(request, "meetings/decision_list.html", {"visible_meetings": visible,
        "page_obj": page, "sort": sort, "states": Decision.State.choices, "today": clock.today(),
        "series": selectors.series_list(request.user).order_by("name")})


def decision_export(request):
    qs, _sort = filtered_decisions(request)
    return download(exporters.decisions_xlsx(qs), f"decisions-{clock.today().isoformat()}.xlsx")


def _decision(user, decision_id):
    decision = get_object_or_404(selectors.decisions(user), pk=decision_id)
    if not services.can_manage(user, decision.meeting):
        raise Http404
    return decision


def decision_task(request, decision_id):
    """One step: the decision becomes an issued task of its owner."""
    user = request.user
    decision = _decision(user, decision_id)
    form = forms.CreateTaskForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        task = _run(form, lambda: services.decision_create_task(actor=user, decision=decision,
                                                                leader=form.cleaned_data["leader"]))
        if task is not None:
            messages.success(request, _("Decision %(number)s is now a task issued to %(owner)s.") % {
                "number": decision.number, "owner": decision.owner.name})
            return _back(decision.meeting, "decisions")
    return _form_page(request, decision.meeting, form, _("Turn into a task · %(number)s") % {
        "number": decision.number})


def decision_close(request, decision_id):
    user = request.user
    decision = _decision(user, decision_id)
    form = forms.CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.decision_close(actor=user, decision=decision, **form.cleaned_data)) is not None:
            messages.success(request, _("Decision %(number)s was closed.") % {"number": decision.number})
            return _back(decision.meeting, "decisions")
    return _form_page(request, decision.meeting, form, _("Close · %(number)s") % {"number": decision.number})


# --- series --------------------------------------------------------------------------------------

def series_list(request):
    qs = selectors.series_list(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    if request.GET.get("kind") in Kind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("inactive") != "1":
        qs = qs.filter(active=True)
    page = Paginator(qs.order_by("organiser_unit__path", "name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/series_list.html", {"page_obj": page, "kinds": Kind.choices,
                                                         "can_create": _can_create(request.user)})


def series_detail(request, series_id):
    user = request.user
    series = get_object_or_404(selectors.series_list(user), pk=series_id)
    meetings = selectors.with_counts(selectors.meetings(user).filter(series=series)).order_by("-date", "-pk")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/series_detail.html", {
        "series": series, "page_obj": page, "manage": services.can_manage(user, series),
        "invitees": series.invitees.select_related("unit").order_by("employee_no"),
        "units": series.units.order_by("path"), "plans": series.plans.order_by("-year", "name"),
        "until": clock.today() + dt.timedelta(days=62),
        "audit_trail": with_diffs(audit.history(series).restrict(user)[:50], user)})


SERIES_FIELDS = ["name", "kind", "organiser_unit", "recurrence", "day", "second_day", "month_of_quarter",
                 "holiday_rule", "starts_on", "ends_on", "start_time", "duration_minutes", "place", "chair",
                 "invitees", "units", "plans"]


def series_create(request):
    user = request.user
    if not _can_create(user):
        raise Http404
    form = forms.SeriesForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in SERIES_FIELDS}
        series = _run(form, lambda: services.series_create(actor=user, **data))
        if series is not None:
            messages.success(request, _("“%(name)s” was saved.") % {"name": series.name})
            return redirect("meeting_series_detail", series.pk)
    return render(request, "meetings/series_form.html", {"form": form, "series": None, "title": _("New series")})


def series_edit(request, series_id):
    user = request.user
    series = get_object_or_404(selectors.series_list(user, CHANGE), pk=series_id)
    form = forms.SeriesForm(request.POST if request.method == "POST" else None, user=user, series=series)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in [*SERIES_FIELDS, "active"]}
        if _run(form, lambda: services.series_update(actor=user, series=series, **data)) is not None:
            messages.success(request, _("“%(name)s” was saved.") % {"name": series.name})
            return redirect("meeting_series_detail", series.pk)
    return render(request, "meetings/series_form.html", {"form": form, "series": series,
                                                         "title": _("Edit · %(name)s") % {"name": series.name}})


@require_POST
def series_generate(request, series_id):
    user = request.user
    series = get_object_or_404(selectors.series_list(user, CHANGE), pk=series_id)
    until = _date(request.POST.get("until")) or clock.today() + dt.timedelta(days=62)
    until = min(until, clock.today() + dt.timedelta(days=3 * 366))
    try:
        made = services.generate_meetings(actor=user, until=until, series=series)
    except OutOfScope as exc:
        raise Http404 from exc
    messages.success(request, _("%(count)s meetings were created up to %(date)s.") % {
        "count": len(made), "date": cndate(until)})
    return redirect("meeting_series_detail", series.pk)


# --- statistics and the feed ---------------------------------------------------------------------

def attendance_stats(request):
    """The attendance of the production units' Party secretaries at a kind of meeting."""
    today = clock.today()
    data = request.GET if request.GET.get("kind") else {"kind": Kind.GEOLOGY_REVIEW,
                                                        "date_from": today.replace(month=1, day=1).isoformat(),
                                                        "date_to": today.replace(month=12, day=31).isoformat()}
    form = forms.StatsForm(data)
    stats = None
    chart = None
    if form.is_valid():
        stats = selectors.secretary_attendance(request.user, kind=form.cleaned_data["kind"],
                                               start=form.cleaned_data["date_from"], end=form.cleaned_data["date_to"])
        chart = {"units": [line.unit.name for line in stats.units],
                 "present": [line.present for line in stats.units],
                 "substitute": [line.substitute for line in stats.units],
                 "absent": [line.expected - line.present - line.substitute for line in stats.units],
                 "labels": {"present": _("Present in person"), "substitute": _("Substitute sent"),
                            "absent": _("Absent")}}
    return render(request, "meetings/stats.html", {"form": form, "stats": stats, "chart": chart})


def feed_settings(request):
    """Create, renew or revoke the secret address of one's iCal feed."""
    user = request.user
    key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_token_revoke(actor=user)
            messages.success(request, _("The calendar address was revoked."))
        elif user.person_id:
            key = services.feed_token_create(actor=user)
            messages.success(request, _("A new calendar address was made; the old one no longer works."))
    url = request.build_absolute_uri(reverse("api:meetings_feed", args=[key])) if key else ""
    return render(request, "meetings/feed.html", {"url": url, "has_feed": FeedToken.objects.filter(user=user).exists(),
                                                  "has_person": bool(user.person_id)})

