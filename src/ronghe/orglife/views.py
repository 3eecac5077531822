"""Pages of 三会一课: the compliance matrix (organisations × months and quarters, opened subtree by
subtree), the records with their attendance and photos, statistics, the missing meetings with
their 通报, and the rules. Thin: reads start from orglife.selectors, writes go through
orglife.services; anything outside the viewer's scope answers 404."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ronghe.core import attachments, audit, clock
from ronghe.core.downloads import download
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.core.views import with_diffs
from ronghe.org.forms import changeable
from ronghe.org.models import PartyOrg, Person
from ronghe.orglife import exporters, forms, rules, selectors, services
from ronghe.orglife.models import Attendance, Kind, Photo, Rule
from ronghe.orglife.wording import SHORT, status_look

PAGE_SIZE = 50
A = Attendance.Status

SORTS = {"held_on": ["held_on", "id"], "-held_on": ["-held_on", "-id"], "party_org": ["party_org__path", "-held_on"],
         "kind": ["kind", "-held_on"], "topic": ["topic", "-held_on"]}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _when(request):
    """The year and the day the page judges on (`?year=`, `?as_of=`)."""
    try:
        as_of = clock.parse_as_of(request.GET.get("as_of"))
    except clock.BadDate as exc:
        messages.error(request, str(exc))
        as_of = None
    day = as_of or clock.today()
    year = _int(request.GET.get("year"))
    if year is None or not 2000 <= year <= 2100:
        year = day.year
    return year, day, as_of


def _visible_org(request, code):
    if not code:
        return None
    return get_object_or_404(PartyOrg.objects.restrict(request.user, VIEW), code=code)


def _percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


def _run(form, call):
    try:
        return call()
    except OutOfScope as exc:
        raise Http404 from exc
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


# --- the matrix ----------------------------------------------------------------------------------

def _present_rows(rows, depth):
    for row in rows:
        row.depth = depth
        row.cells = []
        row.rate_text = _percent(row.rates.compliance_rate)
        row.rate_css = _rate_css(row.rates.compliance_rate)
    return rows


def _rate_css(rate):
    if rate is None:
        return "text-secondary"
    return "text-green" if rate >= 0.95 else ("text-orange" if rate >= 0.8 else "text-red")


def _matrix_cells(row, columns):
    """Per column: the row's own requirements as badges, and what lies below it — how many of the
    requirements of its sub-organisations are missing, of those owed."""
    out = []
    for column in columns:
        cells = row.own.get(column.key, [])
        own = [{"short": SHORT.get(c.meeting_kind, "?"), "kind": Kind(c.meeting_kind).label, "look": status_look(c.status),
                "held": c.held, "made_up": c.made_up} for c in cells]
        below = None
        counts = row.subtree.get(column.key)
        if row.has_children and counts is not None:
            missing = counts.counts[rules.Status.MISSING] - sum(1 for c in cells if c.status == rules.Status.MISSING)
            due = counts.due - sum(1 for c in cells if c.status in rules.DUE)
            if due:
                below = {"missing": missing, "due": due, "css": "bg-red-lt text-red" if missing else "text-green"}
        out.append({"column": column, "own": own, "below": below})
    return out


def _matrix_context(request, parent, depth):
    year, day, as_of = _when(request)
    columns = selectors.columns(year)
    rows = _present_rows(selectors.matrix(request.user, year=year, as_of=day, parent=parent), depth)
    for row in rows:
        row.cells = _matrix_cells(row, columns)
    return {"rows": rows, "columns": columns, "year": year, "day": day, "as_of": as_of, "parent": parent}


def matrix(request):
    """三会一课落实情况: the top of the viewer's organisations (or `party_org`'s sub-organisations),
    each opening its own sub-organisations lazily."""
    parent = _visible_org(request, request.GET.get("party_org", "").strip())
    context = _matrix_context(request, parent, 0)
    context.update({
        "looks": [status_look(s) for s in (rules.Status.HELD, rules.Status.LATE, rules.Status.MISSING,
                                           rules.Status.PENDING, rules.Status.EXEMPT)],
        "shorts": [(SHORT[k], Kind(k).label) for k in (Kind.GENERAL_MEETING, Kind.COMMITTEE, Kind.LESSON,
                                                        Kind.GROUP_MEETING)],
        "years": range(context["day"].year - 3, context["day"].year + 1),
        "ancestors": [o for o in PartyOrg.objects.restrict(request.user, VIEW).filter(pk__in=parent.ancestor_ids())]
        if parent else [],
    })
    return render(request, "orglife/matrix.html", context)


@require_GET
def matrix_rows(request):
    """The rows of one organisation's sub-organisations (htmx, opened from its row); without one,
    the top rows of the viewer's scope."""
    parent = _visible_org(request, request.GET.get("party_org", "").strip())
    depth = min(_int(request.GET.get("depth")) or (1 if parent else 0), 20)
    return render(request, "orglife/_matrix_rows.html", _matrix_context(request, parent, depth))


# --- records -------------------------------------------------------------------------------------

def _filtered_records(request):
    params = request.GET
    qs = selectors.records(request.user)
    root = _visible_org(request, params.get("party_org", "").strip())
    if root is not None:
        qs = qs.filter(party_org__path__startswith=root.path)
    if params.get("kind") in Kind.values:
        qs = qs.filter(kind=params["kind"])
    for name, lookup in (("held_from", "held_on__gte"), ("held_to", "held_on__lte")):
        try:
            day = clock.parse_as_of(params.get(name))
        except clock.BadDate as exc:
            messages.error(request, str(exc))
            day = None
        if day:
            qs = qs.filter(**{lookup: day})
    for word in params.get("q", "").split():
        qs = qs.filter(topic__icontains=word)
    sort = params.get("sort") if params.get("sort") in SORTS else "-held_on"
    qs = qs.annotate(n_present=Count("attendance", filter=Q(attendance__status=A.PRESENT)),
                     n_listed=Count("attendance"), n_photos=Count("photos", distinct=True))
    return qs.order_by(*SORTS[sort]), root, sort


def record_list(request):
    qs, root, sort = _filtered_records(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orglife/record_list.html", {
        "page_obj": page, "records": page.object_list, "root": root, "kinds": Kind.choices, "sort": sort,
        "held_sort": "held_on" if sort == "-held_on" else "-held_on",
        "can_create": PartyOrg.objects.restrict(request.user, CHANGE).exists(),
        "orgs": PartyOrg.objects.restrict(request.user, VIEW).filter(abolished_on=None).only(
            "code", "name", "depth", "path").order_by("path"),
    })


@require_GET
def record_export(request):
    qs, _root, _sort = _filtered_records(request)
    content = exporters.records_xlsx(qs, request.user)
    return download(content, f"orglife-records-{clock.today().isoformat()}.xlsx")


def _form_for(request, org, data=None, initial=None, record=None):
    orgs = changeable(PartyOrg, request.user)
    if record is not None:
        orgs = orgs | PartyOrg.objects.filter(pk=record.party_org_id)
    members = services.members_of(org) if org is not None else Person.objects.none()
    people = Person.objects.filter(Q(pk__in=Person.objects.restrict(request.user, VIEW).values("pk"))
                                   | Q(pk__in=members.values("pk"))).filter(is_active=True).order_by("employee_no")
    return forms.RecordForm(data, initial=initial, orgs=orgs.order_by("path"), people=people, members=members)


def record_create(request):
    if not PartyOrg.objects.restrict(request.user, CHANGE).exists():
        raise Http404
    code = (request.POST.get("party_org") or request.GET.get("party_org") or "").strip()
    org = PartyOrg.objects.restrict(request.user, CHANGE).filter(code=code).first() if code else None
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    initial = {"party_org": org, "kind": kind}
    if request.method == "POST":
        form = _form_for(request, org, request.POST)
        if form.is_valid():
            record = _run(form, lambda: services.record_create(actor=request.user, **form.record_fields(),
                                                               attendance=form.attendance()))
            if record is not None:
                messages.success(request, _("The record is saved."))
                return redirect("orglife_record_detail", record.pk)
    else:
        form = _form_for(request, org, initial=initial)
    return render(request, "orglife/record_form.html", {"form": form, "org": org, "record": None})


def record_detail(request, record_id):
    record = get_object_or_404(selectors.records(request.user), pk=record_id)
    attendance = list(record.attendance.select_related("person").order_by("person__employee_no"))
    counts = {status: sum(1 for a in attendance if a.status == status) for status in A.values}
    history = with_diffs(list(audit.history(record).order_by("-at", "-id")[:50]), request.user)
    return render(request, "orglife/record_detail.html", {
        "record": record, "attendance": attendance, "counts": counts,
        "rate": _percent(selectors.rate(counts[A.PRESENT], len(attendance))),
        "photos": list(record.photos.all()), "history": history,
        "can_change": selectors.records(request.user, CHANGE).filter(pk=record.pk).exists(),
        "photo_form": forms.PhotoForm(), "delete_form": forms.DeleteForm(),
    })


def _changeable_record(request, record_id):
    return get_object_or_404(selectors.records(request.user, CHANGE), pk=record_id)


def record_edit(request, record_id):
    record = _changeable_record(request, record_id)
    existing = {a.person_id: a.status for a in record.attendance.all()}
    if request.method == "POST":
        code = request.POST.get("party_org", "").strip()
        org = PartyOrg.objects.restrict(request.user, VIEW).filter(code=code).first() or record.party_org
        form = _form_for(request, org, request.POST, record=record)
        if form.is_valid():
            fields = form.record_fields()
            updated = _run(form, lambda: services.record_update(actor=request.user, record=record,
                                                                attendance=form.attendance(), **fields))
            if updated is not None:
                messages.success(request, _("The record is saved."))
                return redirect("orglife_record_detail", record.pk)
    else:
        initial = {name: getattr(record, name) for name in ("party_org", "kind", "held_on", "topic", "location",
                                                           "host", "lecturer", "makeup_for", "minutes")}
        form = _form_for(request, record.party_org, initial=initial, record=record)
        for person in form.members:
            form.fields[forms.attendance_key(person)].initial = existing.get(person.pk, forms.NOT_EXPECTED)
    return render(request, "orglife/record_form.html", {"form": form, "org": record.party_org, "record": record})


@require_POST
def record_delete(request, record_id):
    record = _changeable_record(request, record_id)
    form = forms.DeleteForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.record_delete(actor=request.user, record=record, reason=reason)
    messages.success(request, _("The record is removed."))
    return redirect("orglife_record_list")


@require_POST
def photo_add(request, record_id):
    record = _changeable_record(request, record_id)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(actor=request.user, record=record, image=form.cleaned_data["image"],
                               caption=form.cleaned_data["caption"])
            messages.success(request, _("The photo is added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a picture to upload."))
    return redirect("orglife_record_detail", record.pk)


@require_GET
def photo(request, photo_id):
    found = get_object_or_404(Photo.objects.restrict(request.user, VIEW), pk=photo_id)
    return attachments.serve(found.image)


@require_POST
def photo_remove(request, photo_id):
    found = get_object_or_404(Photo.objects.restrict(request.user, CHANGE).select_related("record__party_org__unit"),
                              pk=photo_id)
    services.photo_remove(actor=request.user, photo=found)
    messages.success(request, _("The photo is removed."))
    return redirect("orglife_record_detail", found.record_id)


# --- statistics ----------------------------------------------------------------------------------

def stats(request):
    """Compliance rates by kind, period and sub-organisation, with members' attendance."""
    year, day, as_of = _when(request)
    root = _visible_org(request, request.GET.get("party_org", "").strip())
    found = selectors.summary(request.user, year=year, as_of=day, root=root)
    rows = _present_rows(selectors.matrix(request.user, year=year, as_of=day, parent=root), 0)
    columns = selectors.columns(year)
    chart = {
        "periods": [c.key for c in columns if c.frequency == rules.Frequency.MONTH],
        "series": [{"name": str(status_look(s)["label"]), "colour": status_look(s)["colour"],
                    "data": [found["by_period"].get(c.key, rules.Rates()).counts[s] for c in columns
                             if c.frequency == rules.Frequency.MONTH]}
                   for s in (rules.Status.HELD, rules.Status.LATE, rules.Status.MISSING)],
        "quarters": [c.key for c in columns if c.frequency == rules.Frequency.QUARTER],
        "quarter_series": [{"name": str(status_look(s)["label"]), "colour": status_look(s)["colour"],
                            "data": [found["by_period"].get(c.key, rules.Rates()).counts[s] for c in columns
                                     if c.frequency == rules.Frequency.QUARTER]}
                           for s in (rules.Status.HELD, rules.Status.LATE, rules.Status.MISSING)],
    }
    kinds = [{"label": Kind(k).label, "rates": r, "compliance": _percent(r.compliance_rate),
              "completion": _percent(r.completion_rate)} for k, r in sorted(found["by_kind"].items())]
    totals = selectors.attendance_totals(request.user, year=year, as_of=day, root=root)
    people = Paginator(selectors.member_attendance(request.user, year=year, as_of=day, root=root),
                       PAGE_SIZE).get_page(request.GET.get("page"))
    for row in people.object_list:
        row["rate"] = _percent(selectors.rate(row["present"], row["total"]))
    return render(request, "orglife/stats.html", {
        "year": year, "day": day, "as_of": as_of, "root": root, "total": found["total"],
        "compliance": _percent(found["total"].compliance_rate), "completion": _percent(found["total"].completion_rate),
        "organisations": found["orgs"], "kind_rates": kinds, "rows": rows, "chart": chart, "page_obj": people,
        "attendance": totals, "attendance_rate": _percent(selectors.rate(totals["present"] or 0, totals["total"])),
        "years": range(day.year - 3, day.year + 1),
    })


# --- missing meetings and the 通报 ------------------------------------------------------------------

GAP_STATUSES = {"missing": rules.Status.MISSING, "late": rules.Status.LATE, "pending": rules.Status.PENDING}


def _gaps(request):
    year, day, as_of = _when(request)
    root = _visible_org(request, request.GET.get("party_org", "").strip())
    status = GAP_STATUSES.get(request.GET.get("status"), rules.Status.MISSING)
    found = selectors.gaps(request.user, year=year, as_of=day, root=root, statuses=(status,))
    kind = request.GET.get("kind")
    if kind in Kind.values:
        found = [g for g in found if g.cell.meeting_kind == kind]
    return found, year, day, as_of, root, status


def gap_list(request):
    found, year, day, as_of, root, status = _gaps(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    for gap in page.object_list:
        gap.kind_label = Kind(gap.cell.meeting_kind).label
    return render(request, "orglife/gap_list.html", {
        "page_obj": page, "gaps": page.object_list, "year": year, "day": day, "as_of": as_of, "root": root,
        "status": status, "look": status_look(status), "kinds": Kind.choices, "count": len(found),
        "status_choices": [(code, status_look(s)["label"]) for code, s in GAP_STATUSES.items()],
        "years": range(day.year - 3, day.year + 1),
        "orgs": PartyOrg.objects.restrict(request.user, VIEW).filter(abolished_on=None).only(
            "code", "name", "depth", "path").order_by("path"),
    })


@require_GET
def gap_export(request):
    found, year, day, _as_of, _root, _status = _gaps(request)
    return download(exporters.gaps_xlsx(found), f"orglife-gaps-{year}-{day.isoformat()}.xlsx")


def _notice(request):
    found, year, day, _as_of, root, _status = _gaps(request)
    return exporters.Notice(gaps=found, year=year, as_of=day, root=root)


@require_GET
def notice_docx(request):
    notice = _notice(request)
    return download(exporters.notice_docx(notice), f"orglife-notice-{notice.as_of.isoformat()}.docx")


@require_GET
def notice_pdf(request):
    notice = _notice(request)
    return download(exporters.notice_pdf(notice), f"orglife-notice-{notice.as_of.isoformat()}.pdf")


# --- rules ---------------------------------------------------------------------------------------

def rule_list(request):
    can_change = services.can_change_rules(request.user)
    rules_ = list(Rule.objects.all())
    for rule in rules_:
        rule.form = forms.RuleForm(instance=rule, prefix=f"r{rule.pk}") if can_change else None
    return render(request, "orglife/rules.html", {"rules": rules_, "can_change": can_change})


@require_POST
def rule_edit(request, rule_id):
    rule = get_object_or_404(Rule, pk=rule_id)
    if not services.can_change_rules(request.user):
        raise PermissionDenied
    form = forms.RuleForm(request.POST, prefix=f"r{rule.pk}", instance=Rule.objects.get(pk=rule.pk))
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.rule_update(actor=request.user, rule=rule, **changes)
            messages.success(request, _("The rule is saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("orglife_rules"))

