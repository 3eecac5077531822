"""Pages of carriers and the production-problem ledger: lists with filters, sorting, pagination
and xlsx export, carrier cards, the statistics with charts, each carrier's and problem's page
with the steps its state allows, and the forms. Thin: reads start from vanguard.selectors,
writes go through vanguard.services; anything outside the viewer's scope answers 404."""
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ronghe.core import attachments, audit, clock
from ronghe.core.downloads import download
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.core.views import with_diffs
from ronghe.org.models import PartyOrg, Person, Unit
from ronghe.vanguard import forms, rules, selectors, services, stats
from ronghe.vanguard.importers import CarrierImporter, ProblemImporter
from ronghe.vanguard.models import Carrier, Problem, ProblemAttachment

PAGE_SIZE = 50
CARDS_PAGE_SIZE = 24
S = Problem.Status

CARRIER_SORTS = {"name": ("name", "id"), "unit": ("unit__path", "name"), "kind": ("kind", "name"),
                 "established": ("-established_on", "id"), "members": ("-n_members", "name")}
PROBLEM_SORTS = {"raised": ("-raised_on", "-id"), "solved": ("-solved_on", "-id"), "title": ("title", "id"),
                 "unit": ("unit__path", "-raised_on"), "benefit": ("-cost_saved", "-oil_t", "-id")}
STATUS_CSS = {S.OPEN: "bg-secondary-lt", S.TACKLING: "bg-blue-lt", S.SOLVED: "bg-green-lt", S.VERIFIED: "bg-teal-lt",
              S.CLOSED: "bg-dark-lt"}
KIND_COLOURS = {Carrier.Kind.POST: "#d63939", Carrier.Kind.ZONE: "#f59f00", Carrier.Kind.PROJECT: "#206bc4"}


def _date(request, name):
    try:
        return clock.parse_as_of(request.GET.get(name))
    except clock.BadDate as exc:
        messages.error(request, str(exc))
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _node(model, user, code):
    code = (code or "").strip()
    return model.objects.restrict(user, VIEW).filter(code=code).first() if code else None


def _may_create(user) -> bool:
    return Unit.objects.restrict(user, CHANGE).exists() or PartyOrg.objects.restrict(user, CHANGE).exists()


def _run(form, call, field_map=None):
    """Call a service; its ValidationError goes onto the form, OutOfScope is a 404."""
    try:
        return call()
    except OutOfScope as exc:
        raise Http404 from exc
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None


# --- carriers ------------------------------------------------------------------------------------

def _filtered_carriers(request):
    user, params = request.user, request.GET
    production = {"yes": True, "no": False}.get(params.get("production", ""))
    chosen = {"unit": _node(Unit, user, params.get("unit")), "party_org": _node(PartyOrg, user, params.get("party_org"))}
    qs = selectors.filter_carriers(
        selectors.carriers(user), q=params.get("q", "").strip(),
        kind=params.get("kind") if params.get("kind") in Carrier.Kind.values else "",
        category=params.get("category") if params.get("category") in Carrier.Category.values else "",
        status=params.get("status") if params.get("status") in Carrier.Status.values else "",
        unit=chosen["unit"], party_org=chosen["party_org"], production=production,
        flag=params.get("flag") if params.get("flag") in ("no_members", "no_lead") else "")
    if params.get("unit") and chosen["unit"] is None or params.get("party_org") and chosen["party_org"] is None:
        qs = qs.none()
    sort = params.get("sort") if params.get("sort") in CARRIER_SORTS else "unit"
    return selectors.with_members(qs).order_by(*CARRIER_SORTS[sort]), sort


def _carrier_filters():
    return {"kinds": Carrier.Kind.choices, "categories": Carrier.Category.choices,
            "statuses": Carrier.Status.choices,
            "flags": [("no_members", _("Without members")), ("no_lead", _("Without a lead"))]}


def _decorate(carriers):
    for c in carriers:
        seats = list(c.members.all())
        c.lead = next((s.person for s in seats if s.is_lead), None)
        c.others = [s.person for s in seats if not s.is_lead]
        c.flag = "no_members" if not c.n_members else ("no_lead" if not c.n_leads else "")
    return carriers


def carrier_list(request):
    qs, sort = _filtered_carriers(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list)
    return render(request, "vanguard/carrier_list.html", {
        **_carrier_filters(), "page_obj": page, "sort": sort, "tab": "list",
        "can_create": _may_create(request.user)})


def carrier_cards(request):
    qs, sort = _filtered_carriers(request)
    page = Paginator(qs.annotate(n_solved=Count("problems", filter=Q(problems__status__in=(S.SOLVED, S.VERIFIED)),
                                                distinct=True)), CARDS_PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list)
    return render(request, "vanguard/carrier_cards.html", {**_carrier_filters(), "page_obj": page, "sort": sort,
                                                           "tab": "cards", "kind_colours": KIND_COLOURS})


@require_GET
def carrier_export(request):
    qs, _sort = _filtered_carriers(request)
    content = CarrierImporter.export_workbook(CarrierImporter.rows_of(qs.iterator(chunk_size=2000)))
    return download(content, f"carriers-{clock.today().isoformat()}.xlsx")


def _carrier(user, carrier_id):
    return get_object_or_404(selectors.with_members(selectors.carriers(user)), pk=carrier_id)


@require_GET
def carrier_detail(request, carrier_id):
    user = request.user
    carrier = _carrier(user, carrier_id)
    _decorate([carrier])
    problems = selectors.problems(user).filter(carrier=carrier).order_by("-raised_on", "-id")
    may = services.can_manage_carrier(user, carrier)
    return render(request, "vanguard/carrier_detail.html", {
        "carrier": carrier, "may_change": may, "problems": problems[:20], "problem_count": problems.count(),
        "solved": problems.filter(status__in=(S.SOLVED, S.VERIFIED)).aggregate(
            n=Count("id"), oil=Sum("oil_t"), gas=Sum("gas_m3"), cost=Sum("cost_saved")),
        "reviews": carrier.reviews.all(), "recognitions": carrier.recognitions.all(),
        "actions": [a for a in CARRIER_ACTIONS.values() if a.applies(carrier)] if may else [],
        "audit_trail": with_diffs(audit.history(carrier)[:50], user),
    })


def carrier_create(request):
    user = request.user
    form = forms.CarrierForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        carrier = _run(form, lambda: services.carrier_create(
            actor=user, name=data["name"], kind=data["kind"], unit=data["unit"], party_org=data["party_org"],
            category=data["category"], production_related=data["production_related"],
            established_on=data["established_on"], commitment=data["commitment"], targets=data["targets"],
            lead=data["lead"], members=data["members"]))
        if carrier is not None:
            messages.success(request, _("The carrier “%(name)s” was created.") % {"name": carrier.name})
            return redirect("vanguard_carrier_detail", carrier.pk)
    return render(request, "vanguard/form.html", {"form": form, "title": _("New carrier"),
                                                  "back": "vanguard_carrier_list"})


@dataclass(frozen=True)
class CarrierAction:
    name: str
    label: Promise
    icon: str
    form: type
    run: object  # (actor, carrier, cleaned data) -> result
    done: Promise
    when: object = None
    danger: bool = False

    def applies(self, carrier) -> bool:
        return self.when is None or self.when(carrier)


def _edit(user, carrier, data):
    """A blank unit keeps the carrier's."""
    return services.carrier_update(actor=user, carrier=carrier, **{
        k: data[k] for k in services.CARRIER_EDITABLE if not (k == "unit" and data[k] is None)})


CARRIER_ACTIONS = {a.name: a for a in [
    CarrierAction("edit", gettext_lazy("Edit"), "edit", forms.CarrierForm, _edit, gettext_lazy("The carrier was saved.")),
    CarrierAction("members", gettext_lazy("Members"), "users", forms.MembersForm,
                  lambda u, c, d: services.carrier_set_members(actor=u, carrier=c, lead=d["lead"], members=d["members"]),
                  gettext_lazy("The members were saved.")),
    CarrierAction("review", gettext_lazy("Annual review (评议)"), "star", forms.ReviewForm,
                  lambda u, c, d: services.carrier_review(actor=u, carrier=c, year=d["year"], rating=d["rating"],
                                                          comment=d["comment"], on=d["on"]),
                  gettext_lazy("The review was recorded.")),
    CarrierAction("recognize", gettext_lazy("Naming or commendation (命名表彰)"), "award", forms.RecognitionForm,
                  lambda u, c, d: services.carrier_recognize(actor=u, carrier=c, **d),
                  gettext_lazy("The recognition was recorded.")),
    CarrierAction("retire", gettext_lazy("Retire (撤销)"), "archive", forms.RetireForm,
                  lambda u, c, d: services.carrier_retire(actor=u, carrier=c, on=d["on"], reason=d["reason"]),
                  gettext_lazy("The carrier was retired."), when=lambda c: c.status == Carrier.Status.ACTIVE,
                  danger=True),
    CarrierAction("reinstate", gettext_lazy("Reinstate"), "rotate", forms.ConfirmForm,
                  lambda u, c, d: services.carrier_reinstate(actor=u, carrier=c),
                  gettext_lazy("The carrier stands again."), when=lambda c: c.status == Carrier.Status.RETIRED),
]}


def carrier_action(request, carrier_id, action):
    user = request.user
    action = CARRIER_ACTIONS[action]
    carrier = _carrier(user, carrier_id)
    if not services.can_manage_carrier(user, carrier):
        raise Http404
    extra = {"user": user, "carrier": carrier} if action.form in (forms.CarrierForm, forms.MembersForm) else {}
    form = action.form(request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: action.run(user, carrier, form.cleaned_data), field_map={"on": "on"}) is not None:
            messages.success(request, action.done)
            return redirect("vanguard_carrier_detail", carrier.pk)
    return render(request, "vanguard/form.html", {
        "form": form, "title": f"{action.label} · {carrier.name}", "danger": action.danger,
        "back": "vanguard_carrier_detail", "back_id": carrier.pk})


# --- problems ------------------------------------------------------------------------------------

def _filtered_problems(request):
    user, params = request.user, request.GET
    unit = _node(Unit, user, params.get("unit"))
    solved_from, solved_to = _date(request, "solved_from"), _date(request, "solved_to")
    preset = params.get("solved_in", "")
    year = _int(params.get("year")) or clock.today().year
    period = stats.preset_period(preset, year)
    if period is not None:
        solved_from, solved_to = period.start, period.end
    status = params.get("status", "")
    qs = selectors.filter_problems(
        selectors.problems(user).select_related("carrier__party_org"), q=params.get("q", "").strip(),
        status=status if status in (*S.values, "live", "solved_or_verified") else "",
        category=params.get("category") if params.get("category") in Problem.Category.values else "",
        difficulty=params.get("difficulty") if params.get("difficulty") in Problem.Difficulty.values else "",
        unit=unit, carrier_id=_int(params.get("carrier")), raised_from=_date(request, "raised_from"),
        raised_to=_date(request, "raised_to"), solved_from=solved_from, solved_to=solved_to)
    if params.get("unit") and unit is None:
        qs = qs.none()
    sort = params.get("sort") if params.get("sort") in PROBLEM_SORTS else "raised"
    return qs.order_by(*PROBLEM_SORTS[sort]), sort, {"solved_from": solved_from, "solved_to": solved_to,
                                                     "preset": preset if period else "", "year": year}


def problem_list(request):
    qs, sort, chosen = _filtered_problems(request)
    totals = qs.aggregate(n=Count("id"), oil=Sum("oil_t"), gas=Sum("gas_m3"), cost=Sum("cost_saved"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for p in page.object_list:
        p.css = STATUS_CSS[p.status]
    return render(request, "vanguard/problem_list.html", {
        "page_obj": page, "sort": sort, "chosen": chosen, "totals": totals, "tab": "problems",
        "statuses": [("live", _("Open or being tackled")), ("solved_or_verified", _("Solved or verified")),
                     *S.choices],
        "categories": Problem.Category.choices, "difficulties": Problem.Difficulty.choices,
        "presets": stats.PRESETS, "carrier": selectors.carriers(request.user).filter(
            pk=_int(request.GET.get("carrier"))).first() if _int(request.GET.get("carrier")) else None,
        "can_create": _may_create(request.user)})


@require_GET
def problem_export(request):
    qs, _sort, _chosen = _filtered_problems(request)
    qs = qs.prefetch_related(Prefetch("workers", Person.objects.order_by("employee_no")))
    content = ProblemImporter.export_workbook(ProblemImporter.rows_of(qs.iterator(chunk_size=2000)))
    return download(content, f"problems-{clock.today().isoformat()}.xlsx")


def _problem(user, problem_id):
    return get_object_or_404(selectors.problems(user).select_related("carrier__party_org", "verified_by"),
                             pk=problem_id)


@dataclass(frozen=True)
class ProblemStep:
    name: str
    label: Promise
    icon: str
    form: type
    run: object  # (actor, problem, cleaned data) -> result
    done: Promise
    unit_only: bool = False
    primary: bool = False
    danger: bool = False


PROBLEM_STEPS = {step.name: step for step in [
    ProblemStep("start", gettext_lazy("Start tackling (攻关)"), "player-play", forms.DatedForm,
                lambda u, p, d: services.problem_start(actor=u, problem=p, on=d["on"]),
                gettext_lazy("The problem is being tackled."), primary=True),
    ProblemStep("solve", gettext_lazy("Record the solution (已解决)"), "bulb", forms.SolveForm,
                lambda u, p, d: services.problem_solve(actor=u, problem=p, solution=d["solution"], on=d["on"],
                                                       oil_t=d["oil_t"], gas_m3=d["gas_m3"],
                                                       cost_saved=d["cost_saved"], other_benefit=d["other_benefit"]),
                gettext_lazy("The solution was recorded; the unit verifies it next."), primary=True),
    ProblemStep("verify", gettext_lazy("Verify (验收)"), "circle-check", forms.VerifyForm,
                lambda u, p, d: services.problem_verify(actor=u, problem=p, note=d["note"], on=d["on"]),
                gettext_lazy("The solution was verified."), unit_only=True, primary=True),
    ProblemStep("reject", gettext_lazy("Reject the solution"), "arrow-back-up", forms.RejectForm,
                lambda u, p, d: services.problem_reject(actor=u, problem=p, note=d["note"]),
                gettext_lazy("The solution was rejected; the problem is tackled again."), unit_only=True, danger=True),
    ProblemStep("close", gettext_lazy("Close unsolved"), "circle-x", forms.CloseForm,
                lambda u, p, d: services.problem_close(actor=u, problem=p, reason=d["reason"], on=d["on"]),
                gettext_lazy("The problem was closed unsolved."), danger=True),
    ProblemStep("reopen", gettext_lazy("Reopen"), "rotate", forms.ConfirmForm,
                lambda u, p, d: services.problem_reopen(actor=u, problem=p),
                gettext_lazy("The problem is registered again.")),
]}


def _may_step(user, problem, step) -> bool:
    return services.can_verify(user, problem) if step.unit_only else services.can_work_on(user, problem)


@require_GET
def problem_detail(request, problem_id):
    user = request.user
    problem = _problem(user, problem_id)
    problem.css = STATUS_CSS[problem.status]
    may_work = services.can_work_on(user, problem)
    steps = [PROBLEM_STEPS[name] for name in rules.steps_from(problem.status)]
    return render(request, "vanguard/problem_detail.html", {
        "problem": problem, "may_work": may_work,
        "steps": [step for step in steps if _may_step(user, problem, step)],
        "awaiting_unit": problem.status == S.SOLVED and not services.can_verify(user, problem),
        "workers": problem.workers.select_related("unit").order_by("employee_no"),
        "attachments": problem.attachments.select_related("uploaded_by"),
        "attachment_form": forms.AttachmentForm(),
        "carrier_visible": problem.carrier_id is not None
        and selectors.carriers(user).filter(pk=problem.carrier_id).exists(),
        "audit_trail": with_diffs(audit.history(problem)[:50], user),
    })


CARRIER_SUGGESTIONS = 20


@require_GET
def carrier_options(request):
    """Suggestions for the problem form's carrier: the active carriers the user may register
    problems on whose name, unit name or unit code holds what was typed."""
    text = (request.GET.get("carrier") or "").strip()
    carriers = []
    if text and not forms.CARRIER_ID.search(text):
        carriers = (selectors.carriers(request.user, CHANGE).filter(status=Carrier.Status.ACTIVE)
                    .filter(Q(name__icontains=text) | Q(unit__name__icontains=text) | Q(unit__code__istartswith=text))
                    .select_related("unit").order_by("unit__path", "name")[:CARRIER_SUGGESTIONS])
    return render(request, "vanguard/_carrier_options.html",
                  {"options": [(forms.carrier_label(c), c.party_org.name) for c in carriers]})


def problem_create(request):
    user = request.user
    carrier = selectors.carriers(user, CHANGE).filter(pk=_int(request.GET.get("carrier"))).first()
    form = forms.ProblemForm(request.POST or None, user=user, carrier=carrier)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        problem = _run(form, lambda: services.problem_create(
            actor=user, title=d["title"], unit=d["unit"], raised_by=d["raised_by"], category=d["category"],
            raised_on=d["raised_on"], carrier=d["carrier"], description=d["description"],
            difficulty=d["difficulty"], workers=d["workers"]))
        if problem is not None:
            messages.success(request, _("The problem “%(title)s” was registered.") % {"title": problem.title})
            return redirect("vanguard_problem_detail", problem.pk)
    return render(request, "vanguard/form.html", {"form": form, "title": _("Register a production problem"),
                                                  "back": "vanguard_problem_list"})


def problem_edit(request, problem_id):
    user = request.user
    problem = _problem(user, problem_id)
    if not services.can_work_on(user, problem):
        raise Http404
    form = forms.ProblemForm(request.POST or None, user=user, problem=problem)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = {k: d[k] for k in ("title", "unit", "carrier", "category", "difficulty", "raised_by", "raised_on",
                                     "description") if not (k == "unit" and d[k] is None)}
        if _run(form, lambda: services.problem_update(actor=user, problem=problem, workers=d["workers"],
                                                      **changes)) is not None:
            messages.success(request, _("The problem was saved."))
            return redirect("vanguard_problem_detail", problem.pk)
    return render(request, "vanguard/form.html", {"form": form, "title": _("Edit · %(title)s") % {
        "title": problem.title}, "back": "vanguard_problem_detail", "back_id": problem.pk})


def problem_step(request, problem_id, step):
    user = request.user
    step = PROBLEM_STEPS[step]
    problem = _problem(user, problem_id)
    if not _may_step(user, problem, step):
        raise Http404
    if request.method != "POST" and rules.target_of(step.name, problem.status) is None:
        messages.warning(request, _("“%(step)s” is not possible now: the problem is “%(status)s”.") % {
            "step": step.label, "status": problem.get_status_display()})
        return redirect("vanguard_problem_detail", problem.pk)
    form = step.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: step.run(user, problem, form.cleaned_data), field_map={"reason": "reason"}) is not None:
            messages.success(request, step.done)
            return redirect("vanguard_problem_detail", problem.pk)
    return render(request, "vanguard/form.html", {
        "form": form, "title": f"{step.label} · {problem.title}", "danger": step.danger,
        "back": "vanguard_problem_detail", "back_id": problem.pk, "step": step})


@require_POST
def problem_attach(request, problem_id):
    user = request.user
    problem = _problem(user, problem_id)
    if not services.can_work_on(user, problem):
        raise Http404
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=user, problem=problem, upload=form.cleaned_data["file"])
            messages.success(request, _("The file was attached."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("vanguard_problem_detail", problem.pk)


def _attachment(user, problem_id, attachment_id):
    problem = _problem(user, problem_id)
    return problem, get_object_or_404(ProblemAttachment.objects.filter(problem=problem), pk=attachment_id)


@require_GET
def problem_attachment(request, problem_id, attachment_id):
    _problem_row, attachment = _attachment(request.user, problem_id, attachment_id)
    return attachments.serve(attachment.file, attachment.name)


@require_POST
def problem_attachment_delete(request, problem_id, attachment_id):
    user = request.user
    problem, attachment = _attachment(user, problem_id, attachment_id)
    if not services.can_work_on(user, problem):
        raise Http404
    services.attachment_remove(actor=user, attachment=attachment)
    messages.success(request, _("The attachment was removed."))
    return redirect("vanguard_problem_detail", problem.pk)


# --- statistics ----------------------------------------------------------------------------------

def _period(request):
    today = clock.today()
    preset = request.GET.get("preset", "")
    year = _int(request.GET.get("year")) or today.year
    period = stats.preset_period(preset, year)
    if period is not None:
        return period, preset, year
    default = stats.default_period(today)
    start = _date(request, "date_from") or default.start
    end = _date(request, "date_to") or max(default.end, start)
    if end < start:
        messages.error(request, _("The period cannot end before it starts."))
        end = start
    return rules.Period(start, end), "", year


def _month_label(first) -> str:
    """“2026年3月” in Chinese, “2026-03” otherwise."""
    chinese = (translation.get_language() or "").lower().startswith("zh")
    return f"{first.year}年{first.month}月" if chinese else first.strftime("%Y-%m")


def _percent(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"


@require_GET
def stats_page(request):
    user = request.user
    period, preset, year = _period(request)
    unit, party_org = _node(Unit, user, request.GET.get("unit")), _node(PartyOrg, user, request.GET.get("party_org"))
    if (request.GET.get("unit", "").strip() and unit is None) or (request.GET.get("party_org", "").strip()
                                                                  and party_org is None):
        messages.error(request, _("No unit or party organisation with that code within your scope; the whole "
                                  "scope is shown."))
    result = stats.compute(user, period, unit=unit, party_org=party_org)
    c, p = result.carriers, result.problems
    kinds, categories = dict(Carrier.Kind.choices), dict(Problem.Category.choices)
    chart = {
        "kinds": [{"name": str(kinds[k]), "value": c.by_kind.get(k, 0), "colour": KIND_COLOURS[k]}
                  for k in Carrier.Kind.values],
        "months": [_month_label(m["month"]) for m in p.monthly],
        "standing": [{"name": str(kinds[k]), "colour": KIND_COLOURS[k],
                      "data": [m[k] for m in result.carriers_monthly]} for k in Carrier.Kind.values],
        "problems": [{"name": str(label), "key": key, "data": [m[key] for m in p.monthly]}
                     for key, label in (("raised", _("Raised")), ("solved", _("Solved")),
                                        ("verified", _("Verified")))],
        "categories": [{"name": str(categories.get(k, k)), "raised": f.raised, "solved": f.solved}
                       for k, _n, f in stats.ranked(p.by_category, {}, limit=len(categories))],
    }
    query = {"unit": unit.code if unit else "", "party_org": party_org.code if party_org else ""}
    return render(request, "vanguard/stats.html", {
        "period": period, "preset": preset, "year": year, "presets": stats.PRESETS, "unit": unit,
        "party_org": party_org, "c": c, "p": p, "chart": chart, "tab": "stats", "query": query,
        "production_share": _percent(c.production_share), "coverage": _percent(c.coverage),
        "kinds": [(kinds[k], c.by_kind.get(k, 0)) for k in Carrier.Kind.values],
        "by_category": [(categories.get(k, k), f) for k, _n, f in stats.ranked(p.by_category, {},
                                                                                limit=len(categories))],
        "by_carrier": stats.ranked({k: v for k, v in p.by_carrier.items() if k is not None}, result.carrier_names),
        "by_unit": stats.ranked(p.by_unit, result.unit_names),
        "flagged": selectors.with_members(selectors.carriers(user).filter(
            pk__in=(c.without_members + c.without_lead)[:stats.GROUP_LIMIT])).order_by("unit__path", "name"),
        "flagged_count": len(c.without_members) + len(c.without_lead),
    })
