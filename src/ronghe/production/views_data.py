"""Pages of production data: the well list (油井台账) and a well's page with its daily curve, the
well form, the daily production upload (日产导入) with its progress bar, and the unit plans.
Thin: reads go through selectors_data, writes through services and the importer; anything
outside the viewer's scope answers 404."""
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ronghe.core import audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.scoping import CHANGE, IMPORT, allows, scope_for
from ronghe.core.views import with_diffs
from ronghe.production import daily_import, exporters, jobs, services
from ronghe.production import selectors_data as sel
from ronghe.production.forms_data import DailyUploadForm, WellForm
from ronghe.production.models import ProductionImport, Well

PAGE_SIZE = 50
DAY_PAGE_SIZE = 31
RECENT_JOBS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{clock.today():%Y%m%d}.xlsx"'
    return response


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(request, name):
    try:
        return clock.parse_as_of(request.GET.get(name))
    except clock.BadDate as exc:
        messages.error(request, str(exc))
        return None


# --- wells -------------------------------------------------------------------------------------

def well_list(request):
    user, params = request.user, request.GET
    filters = sel.WellFilters(q=params.get("q", "").strip(), unit=params.get("unit", "").strip(),
                              kind=params.get("kind", ""), status=params.get("status", ""),
                              block=params.get("block", "").strip(), new_in=_int(params.get("new_in")),
                              sort=params.get("sort", "code"))
    qs = sel.filter_wells(user, filters)
    if params.get("export") == "xlsx":
        return _xlsx(exporters.wells_xlsx(qs), "wells")
    page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
    return render(request, "production/data/well_list.html", {
        "page_obj": page, "filters": filters, "chosen_unit": sel.visible_unit(user, filters.unit),
        "kinds": Well.Kind.choices, "statuses": Well.Status.choices, "year": clock.today().year,
        "can_import": not scope_for(user, IMPORT).empty,
        "can_create": not scope_for(user, CHANGE).empty,
    })


def well_detail(request, code):
    user = request.user
    well = get_object_or_404(sel.wells(user), code=code)
    start, end = sel.date_range(_date(request, "from"), _date(request, "to"))
    if start > end:
        messages.error(request, _("The first day is after the last."))
        start = end
    days = sel.well_days(well, start, end)
    if request.GET.get("export") == "xlsx":
        return _xlsx(exporters.daily_xlsx(well, days), f"daily-{well.code}")
    page = Paginator(days.reverse(), DAY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "production/data/well_detail.html", {
        "well": well, "start": start, "end": end, "page_obj": page,
        "series": sel.well_series(well, start, end),
        "can_change": allows(user, CHANGE, well),
        "audit_trail": with_diffs(audit.history(well).restrict(user)[:50], user),
    })


def _well_form_page(request, well=None):
    user = request.user
    form = WellForm(request.POST or None, user=user, instance=well,
                    initial={"unit": request.GET.get("unit", "")} if well is None else None)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        try:
            if well is None:
                saved = services.well_create(actor=user, **data)
            else:
                saved = services.well_update(actor=user, well=well, **data)
        except OutOfScope as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Well %(code)s was saved.") % {"code": saved.code})
            return redirect("well_detail", saved.code)
    title = _("New well") if well is None else _("Edit well %(code)s") % {"code": well.code}
    return render(request, "production/data/well_form.html", {"form": form, "well": well, "title": title})


def well_create(request):
    if scope_for(request.user, CHANGE).empty:
        raise Http404
    return _well_form_page(request)


def well_edit(request, code):
    return _well_form_page(request, get_object_or_404(sel.wells(request.user, CHANGE), code=code))


# --- daily production upload -------------------------------------------------------------------

def _require_import(user):
    if scope_for(user, IMPORT).empty:
        raise Http404


def daily_upload(request):
    user = request.user
    _require_import(user)
    form = DailyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = f"{uuid.uuid4().hex}.upload"
        with (jobs.upload_dir() / stored).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = ProductionImport.objects.create(actor=user, file_name=upload.name[:255], stored_as=stored,
                                              dry_run=form.cleaned_data["dry_run"],
                                              language=translation.get_language() or "")
        jobs.start(job)
        return redirect("daily_import_detail", job.pk)
    jobs.expire_stale(actor=user)
    return render(request, "production/data/daily_upload.html", {
        "form": form, "columns": daily_import.COLUMNS,
        "recent": ProductionImport.objects.filter(actor=user)[:RECENT_JOBS],
    })


@require_GET
def daily_template(request):
    _require_import(request.user)
    response = HttpResponse(daily_import.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="production-template.xlsx"'
    return response


def _own_job(request, job_id):
    jobs.expire_stale(actor=request.user)  # or a job whose worker died would be polled for ever
    return get_object_or_404(ProductionImport, pk=job_id, actor=request.user)


@require_GET
def daily_import_detail(request, job_id):
    return render(request, "production/data/daily_import.html", {"job": _own_job(request, job_id)})


@require_GET
def daily_import_progress(request, job_id):
    """The progress card alone, polled by htmx until the job ends."""
    return render(request, "production/data/_import_progress.html", {"job": _own_job(request, job_id)})


# --- unit plans --------------------------------------------------------------------------------

def unit_plan_list(request):
    user, params = request.user, request.GET
    unit, year, month = params.get("unit", "").strip(), _int(params.get("year")), _int(params.get("month"))
    sort = params.get("sort", "unit")
    qs = sel.filter_plans(user, unit=unit, year=year, month=month, sort=sort)
    if params.get("export") == "xlsx":
        return _xlsx(exporters.unit_plans_xlsx(qs), "unit-plans")
    page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
    return render(request, "production/data/unit_plan_list.html", {
        "page_obj": page, "chosen_unit": sel.visible_unit(user, unit), "sort": sort,
        "months": range(0, 13), "can_import": not scope_for(user, IMPORT).empty,
    })
