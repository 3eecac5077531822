"""Pages of what leaders see of production: a unit's dashboard, its hundred-ton steps, its
production by period, its measures against plan and its new wells; the project groups and the
measures. Thin: figures come from production.selectors, the group and measure lists from
selectors_projects (filtered as the API filters them), writes from services_projects. Every
table exports what it shows to xlsx with `?export=xlsx`."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ronghe.core import clock
from ronghe.core.forms import add_service_errors
from ronghe.core.scoping import CHANGE, allows, scope_for
from ronghe.core.templatetags.ronghe import cndate
from ronghe.production import exporters_projects as exporters
from ronghe.production import selectors, selectors_projects, services_projects
from ronghe.production.forms import GroupForm, MeasureForm
from ronghe.production.importers_projects import month_cell
from ronghe.production.models import Measure

PAGE_SIZE = 50
GROUP_MEASURES = 200  # the group's page shows its latest measures; the measure list has them all
GROUP_SORTS = {"name": ("name",), "-year": ("-year", "name"), "unit": ("unit__code", "name"),
               "leader": ("leader__name", "name")}
MEASURE_SORTS = {"-planned_month": ("-planned_month", "id"), "planned_month": ("planned_month", "id"),
                 "-done_on": ("-done_on", "id"), "well": ("well__code", "id"), "kind": ("kind", "id")}


def _day(request, name="as_of"):
    try:
        return clock.parse_as_of(request.GET.get(name))
    except clock.BadDate:
        return None


def _as_of(request):
    return _day(request) or clock.today()


def _xlsx(content, name):
    response = HttpResponse(content, content_type=exporters.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _exporting(request):
    return request.GET.get("export") == "xlsx"


def _ancestors(user, unit):
    visible = {u.pk: u for u in selectors.units(user).filter(pk__in=unit.ancestor_ids())}
    return [visible[pk] for pk in unit.ancestor_ids() if pk in visible]


def _percent(value):
    return None if value is None else round(value * 100, 1)


UNIT_PAGES = {"dashboard": "production_dashboard", "steps": "production_steps", "periods": "production_units",
              "measures": "production_measure_summary", "new_wells": "production_new_wells"}


def _unit_context(request, unit, tab):
    return {"unit": unit, "tab": tab, "unit_page": UNIT_PAGES[tab], "ancestors": _ancestors(request.user, unit),
            "as_of": _day(request), "day": _as_of(request)}


# --- the dashboard ----------------------------------------------------------------------------------

@require_GET
def production_home(request):
    unit = selectors.default_unit(request.user)
    if unit is None:
        return render(request, "production/dashboard.html", {"unit": None, "tab": "dashboard"})
    return _dashboard(request, unit)


@require_GET
def production_dashboard(request, code):
    # The page names the unit by the model (its ancestors, its tabs); the selector, given a code,
    # would answer with a NamedUnit, as the API needs.
    return _dashboard(request, selectors.unit_or_404(request.user, code))


RANK_HEADERS = ["排名", "单位", "年累产油(t)", "年累计划(t)", "完成率(%)", "年计划(t)", "任务进度(%)", "时间进度(%)",
                "月累产油(t)", "月累计划(t)", "利润实际(万元)", "利润计划(万元)", "双超"]


def _yes_no(value):
    return "—" if value is None else ("是" if value else "否")


def _dashboard(request, unit):
    as_of = _as_of(request)
    board = selectors.dashboard(request.user, unit, as_of)
    unit = board["unit"]
    if _exporting(request):
        rows = ([r["rank"], r["unit"].name, round(r["ytd_actual_t"], 1), _round(r["ytd_plan_t"]),
                 _percent(r["ytd_ratio"]), r["annual_plan_t"], _percent(r["done_share"]), _percent(r["time_share"]),
                 round(r["mtd_actual_t"], 1), _round(r["mtd_plan_t"]), r["profit_actual"], r["profit_plan"],
                 _yes_no(r["double_exceed"])] for r in board["ranking"])
        return _xlsx(exporters.table_xlsx("排名", RANK_HEADERS, rows), f"ranking-{unit.code}-{as_of.isoformat()}")
    chart = {"days": [cndate(d) for d in board["days"]], "oil": [round(v, 1) for v in board["oil"]],
             "plan": [None if v is None else round(v, 1) for v in board["plan"]],
             "average": [None if v is None else round(v, 1) for v in board["average"]],
             "labels": {"oil": _("Daily oil (t)"), "plan": _("Plan (t/day)"), "average": _("7-day average (t/day)")}}
    figures = board["figures"]
    return render(request, "production/dashboard.html", {
        **_unit_context(request, unit, "dashboard"), "figures": figures, "chart": chart,
        "ranking": board["ranking"], "ytd_percent": _percent(figures["ytd_ratio"]),
        "mtd_percent": _percent(figures["mtd_ratio"]), "done_percent": _percent(figures["done_share"]),
        "time_percent": _percent(figures["time_share"])})


def _round(value, digits=1):
    return None if value is None else round(value, digits)


# --- hundred-ton steps --------------------------------------------------------------------------------

STEP_HEADERS = ["台阶", "水平(t/日)", "上台阶日期", "是否稳住", "跌破日期"]


@require_GET
def production_steps(request, code):
    unit = selectors.unit_or_404(request.user, code)
    as_of = _as_of(request)
    windows = selectors.step_windows()
    base_date = _day(request, "base_date")
    if base_date is None:
        first, _last = selectors.data_span(unit)
        base_date = first + dt.timedelta(days=windows.base_days) if first else as_of.replace(month=1, day=1)
    result = selectors.steps(unit, base_date, as_of, windows)
    held = {True: _("held"), False: _("not held"), None: _("not yet known")}
    if _exporting(request):
        rows = ([s.k, s.level, s.reached_on, _yes_no(s.held), s.lost_on] for s in result.steps)
        return _xlsx(exporters.table_xlsx("百吨台阶", STEP_HEADERS, rows), f"steps-{unit.code}-{base_date.isoformat()}")
    chart = {"days": [cndate(d) for d, _a in result.averages], "average": [round(a, 1) for _d, a in result.averages],
             "steps": [{"k": s.k, "level": s.level, "day": cndate(s.reached_on), "held": s.held} for s in result.steps],
             "base": result.base_level,
             "labels": {"average": _("7-day average (t/day)"), "base": _("Base level"), "step": _("Step")}}
    return render(request, "production/steps.html", {
        **_unit_context(request, unit, "steps"), "result": result, "base_date": base_date, "chart": chart,
        "windows": windows, "held_labels": held,
        "held_count": sum(1 for s in result.steps if s.held)})


# --- production by period --------------------------------------------------------------------------

GROUPING_LABELS = [("day", pgettext_lazy("grouping", "Day")), ("month", pgettext_lazy("grouping", "Month")),
                   ("year", pgettext_lazy("grouping", "Year"))]
PERIOD_HEADERS = ["期间", "产油(t)", "产液(t)", "产气(m³)", "天数", "日均产油(t)", "开井数"]


@require_GET
def production_units(request, code):
    unit = selectors.unit_or_404(request.user, code)
    end = _day(request, "to") or clock.today()
    start = _day(request, "from") or end.replace(month=1, day=1)
    start = min(start, end)
    group = request.GET.get("group") if request.GET.get("group") in selectors.GROUPINGS else "month"
    rows = selectors.production(unit, start, end, group)
    label = {"day": lambda d: cndate(d), "month": lambda d: f"{d.year}-{d.month:02d}", "year": lambda d: str(d.year)}
    if _exporting(request):
        lines = ([label[group](r["period"]), round(r["oil_t"], 1), round(r["liquid_t"], 1), round(r["gas_m3"], 1),
                  r["days"], round(r["daily_oil_t"], 1), r["producing_wells"]] for r in rows)
        return _xlsx(exporters.table_xlsx("产量", PERIOD_HEADERS, lines), f"production-{unit.code}-{group}")
    chart = {"periods": [label[group](r["period"]) for r in rows], "oil": [round(r["oil_t"], 1) for r in rows],
             "daily": [round(r["daily_oil_t"], 1) for r in rows],
             "labels": {"oil": _("Oil output (t)"), "daily": _("Mean daily oil (t/day)")}}
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "production/periods.html", {
        **_unit_context(request, unit, "periods"), "page_obj": page, "rows": page.object_list, "group": group,
        "start": start, "end": end, "chart": chart,
        "groupings": GROUPING_LABELS})


# --- measures against plan ------------------------------------------------------------------------------

SUMMARY_HEADERS = ["名称", "计划井次", "实施井次", "井次差", "计划增油(t)", "实际增油(t)", "超产(t)", "费用(万元)",
                   "去年同期井次", "去年同期增油(t)", "同比井次", "同比增油(t)"]


def _summary_line(figures):
    d = figures.as_dict()
    return [figures.name, d["planned"], d["done"], d["done_minus_planned"], d["planned_increment_t"],
            d["actual_increment_t"], d["increment_over_plan_t"], d["cost"], d["last_year_done"],
            d["last_year_increment_t"], d["done_vs_last_year"], d["increment_vs_last_year_t"]]


@require_GET
def production_measure_summary(request, code):
    unit = selectors.unit_or_404(request.user, code)
    as_of = _as_of(request)
    summary = selectors.measure_summary(request.user, as_of, root=unit)
    if _exporting(request):
        total = summary["total"]
        total.name = pgettext("production", "Total")
        lines = [_summary_line(g) for g in summary["groups"]] + [_summary_line(u) for u in summary["units"]]
        return _xlsx(exporters.table_xlsx("措施", SUMMARY_HEADERS, lines + [_summary_line(total)]),
                     f"measures-{unit.code}-{as_of.isoformat()}")
    chart = {"names": [g.name for g in summary["groups"]],
             "planned": [round(g.planned_increment_t) for g in summary["groups"]],
             "actual": [round(g.actual_increment_t) for g in summary["groups"]],
             "labels": {"planned": _("Planned incremental oil (t)"), "actual": _("Actual incremental oil (t)")}}
    return render(request, "production/measure_summary.html", {
        **_unit_context(request, unit, "measures"), "summary": summary, "total": summary["total"].as_dict(),
        "groups": [(g, g.as_dict()) for g in summary["groups"]], "units": [(u, u.as_dict()) for u in summary["units"]],
        "chart": chart})


# --- new wells ----------------------------------------------------------------------------------------

NEW_WELL_HEADERS = ["单位", "新井计划(口)", "设计(口)", "完钻(口)", "投产(口)"]


@require_GET
def production_new_wells(request, code):
    unit = selectors.unit_or_404(request.user, code)
    as_of = _as_of(request)
    try:
        year = int(request.GET.get("year") or as_of.year)
    except ValueError:
        year = as_of.year
    figures = selectors.new_wells(request.user, unit, year, as_of)
    if _exporting(request):
        lines = [[r["unit"].name, r["plan"], r["designed"], r["drilled"], r["producing"]] for r in figures["children"]]
        lines.append([unit.name, figures["plan"], figures["designed"], figures["drilled"], figures["producing"]])
        return _xlsx(exporters.table_xlsx("新井", NEW_WELL_HEADERS, lines), f"new-wells-{unit.code}-{year}")
    chart = {"days": [cndate(r["date"]) for r in figures["daily"]], "oil": [round(r["oil_t"], 1) for r in figures["daily"]],
             "wells": [r["wells"] for r in figures["daily"]],
             "labels": {"oil": _("New wells' daily oil (t)"), "wells": _("New wells reporting")}}
    plan = figures["plan"]
    return render(request, "production/new_wells.html", {
        **_unit_context(request, unit, "new_wells"), "figures": figures, "year": year, "chart": chart,
        "producing_percent": round(figures["producing"] * 100 / plan, 1) if plan else None,
        "years": range(as_of.year - 3, as_of.year + 1)})


# --- project groups -----------------------------------------------------------------------------------

GROUP_HEADERS = ["项目组", "单位", "牵头领导", "年度", "目标井次", "目标增油(t)", "目标"]


def _can_change_somewhere(user):
    return not scope_for(user, CHANGE).empty


def _int(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


@require_GET
def production_groups(request):
    user, params = request.user, request.GET
    try:
        qs = selectors_projects.filter_groups(user, unit=params.get("unit", "").strip(), year=_int(params.get("year")),
                                              q=params.get("q", "").strip())
    except Http404:  # a unit outside the scope lists nothing, as the API answers 404
        qs, unknown_unit = selectors.groups(user).none(), True
    else:
        unknown_unit = False
    sort = params.get("sort") if params.get("sort") in GROUP_SORTS else "-year"
    qs = qs.order_by(*GROUP_SORTS[sort])
    if _exporting(request):
        rows = ([g.name, g.unit.name, g.leader.name, g.year, g.target_measures, g.target_increment_t, g.targets]
                for g in qs.iterator(chunk_size=1000))
        return _xlsx(exporters.table_xlsx("项目组", GROUP_HEADERS, rows), "project-groups")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "production/group_list.html", {
        "page_obj": page, "groups": page.object_list, "sort": sort, "can_create": _can_change_somewhere(user),
        "unknown_unit": unknown_unit, "tab": "groups"})


def _group_initial(user, group):
    # Only the members the editor may see: the others are kept by the update as they are.
    members = selectors_projects.group_members(user, group).values_list("employee_no", flat=True)
    return {"name": group.name, "unit": group.unit.code, "leader": group.leader.employee_no, "year": group.year,
            "target_measures": group.target_measures, "target_increment_t": group.target_increment_t,
            "targets": group.targets, "members": " ".join(members),
            "wells": " ".join(group.wells.values_list("code", flat=True))}


@require_http_methods(["GET", "POST"])
def production_groups_new(request):
    if not _can_change_somewhere(request.user):
        raise Http404
    form = GroupForm(request.POST or None, user=request.user, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services_projects.project_group_create(
                actor=request.user, unit=data["unit"], name=data["name"], leader=data["leader"], year=data["year"],
                members=data["members"], wells=data["wells"], target_measures=data["target_measures"],
                target_increment_t=data["target_increment_t"], targets=data["targets"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project group saved."))
            return redirect("production_group_detail", group_id=group.pk)
    return render(request, "production/form.html", {"form": form, "title": _("New project group"), "tab": "groups"})


@require_http_methods(["GET", "POST"])
def production_group_edit(request, group_id):
    group = get_object_or_404(selectors.groups(request.user), pk=group_id)
    if not allows(request.user, CHANGE, group):
        raise Http404
    form = GroupForm(request.POST or None, user=request.user, initial=_group_initial(request.user, group))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_projects.project_group_update(
                actor=request.user, group=group, members=data["members"], wells=data["wells"],
                **{k: data[k] for k in ("name", "unit", "leader", "year", "target_measures", "target_increment_t",
                                        "targets")})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project group saved."))
            return redirect("production_group_detail", group_id=group.pk)
    return render(request, "production/form.html", {"form": form, "title": group.name, "group": group,
                                                    "tab": "groups"})


@require_POST
def production_group_delete(request, group_id):
    group = get_object_or_404(selectors.groups(request.user), pk=group_id)
    if not allows(request.user, CHANGE, group):
        raise Http404
    try:
        services_projects.project_group_delete(actor=request.user, group=group)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("production_group_detail", group_id=group.pk)
    messages.success(request, _("Project group deleted."))
    return redirect("production_groups")


@require_GET
def production_group_detail(request, group_id):
    group = get_object_or_404(selectors.groups(request.user), pk=group_id)
    as_of = _as_of(request)
    summary = selectors.measure_summary(request.user, as_of, group=group)
    rows = list(selectors_projects.filter_measures(request.user, group=group.pk)
                .order_by(*selectors_projects.MEASURE_ORDER)[:GROUP_MEASURES])
    increments = selectors.increments(rows, as_of)
    for m in rows:
        m.increment = increments[m.pk]
    return render(request, "production/group_detail.html", {
        "group": group, "figures": summary["total"].as_dict(), "measures": rows, "as_of": _day(request), "day": as_of,
        "members": selectors_projects.group_members(request.user, group),
        "wells": selectors_projects.group_wells(request.user, group),
        "can_change": allows(request.user, CHANGE, group), "tab": "groups"})


# --- measures -------------------------------------------------------------------------------------------

@require_GET
def production_measures(request):
    user, params, as_of = request.user, request.GET, _as_of(request)
    try:
        qs = selectors_projects.filter_measures(
            user, unit=params.get("unit", "").strip(), group=_int(params.get("group")),
            kind=params.get("kind") if params.get("kind") in Measure.Kind.values else None,
            year=_int(params.get("year")), well=params.get("well", "").strip(), state=params.get("state"))
    except Http404:
        qs, unknown_unit = selectors.measures(user).none(), True
    else:
        unknown_unit = False
    sort = request.GET.get("sort") if request.GET.get("sort") in MEASURE_SORTS else "-planned_month"
    qs = qs.order_by(*MEASURE_SORTS[sort])
    if _exporting(request):
        rows = list(qs)
        return _xlsx(exporters.measures_xlsx(rows, selectors.increments(rows, as_of), _("done"), _("planned")),
                     f"measures-{as_of.isoformat()}")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    increments = selectors.increments(rows, as_of)
    for m in rows:
        m.increment = increments[m.pk]
    return render(request, "production/measure_list.html", {
        "page_obj": page, "measures": rows, "sort": sort, "kinds": Measure.Kind.choices,
        "groups": selectors_projects.group_choices(user), "as_of": _day(request), "day": as_of,
        "can_create": _can_change_somewhere(user), "unknown_unit": unknown_unit, "tab": "measures"})


def _measure_initial(measure):
    return {"well": measure.well.code, "kind": measure.kind, "planned_month": month_cell(measure.planned_month),
            "done_on": measure.done_on, "group": measure.group_id, "planned_increment_t": measure.planned_increment_t,
            "cost": measure.cost, "validity_days": measure.validity_days, "note": measure.note}


FIELDS = ("kind", "planned_month", "done_on", "group", "planned_increment_t", "cost", "validity_days", "note")


@require_http_methods(["GET", "POST"])
def production_measures_new(request):
    if not _can_change_somewhere(request.user):
        raise Http404
    form = MeasureForm(request.POST or None, user=request.user,
                       initial={"planned_month": month_cell(clock.today()), "group": request.GET.get("group")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_projects.measure_create(actor=request.user, well=data["well"], **{k: data[k] for k in FIELDS})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Measure saved."))
            return redirect("production_measures")
    return render(request, "production/form.html", {"form": form, "title": _("New measure"), "tab": "measures"})


@require_http_methods(["GET", "POST"])
def production_measure_edit(request, measure_id):
    measure = get_object_or_404(selectors.measures(request.user), pk=measure_id)
    if not allows(request.user, CHANGE, measure):
        raise Http404
    form = MeasureForm(request.POST or None, user=request.user, initial=_measure_initial(measure))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_projects.measure_update(actor=request.user, measure=measure, well=data["well"],
                                             **{k: data[k] for k in FIELDS})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Measure saved."))
            return redirect("production_measures")
    return render(request, "production/form.html", {"form": form, "title": str(measure), "measure": measure,
                                                    "tab": "measures"})


@require_POST
def production_measure_delete(request, measure_id):
    measure = get_object_or_404(selectors.measures(request.user), pk=measure_id)
    if not allows(request.user, CHANGE, measure):
        raise Http404
    services_projects.measure_delete(actor=request.user, measure=measure)
    messages.success(request, _("Measure deleted."))
    return redirect("production_measures")
