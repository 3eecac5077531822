"""Pages of labour competitions (劳动竞赛): the list, the leaderboard of a period with rank
changes, awards, trend chart and publishing, a participant's breakdown, the set-up (participants,
indicators, awards), readings entered by hand or imported, bonus and deduction items, the
ranking as xlsx and the printable 通报 (HTML and PDF). Thin: reads start from
competitions.selectors, writes go through competitions.services; a competition outside the
viewer's scope answers 404. The people of a participant read the list, the leaderboard, their
own breakdown, the spreadsheet, the 通报 and the awards of the competitions they take part in,
as selectors.for_viewer masks them; everything else answers them 404 as before."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ronghe.competitions import exporters, forms, report, selectors, services, sources
from ronghe.competitions.importers import ReadingImporter
from ronghe.competitions.models import Adjustment, AwardKind, Competition, Indicator, Reading
from ronghe.core import clock
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.models import AuditEntry
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.core.templatetags.ronghe import cndate
from ronghe.core.views import with_diffs
from ronghe.org.models import Unit
from ronghe.production.models import ProjectGroup
from ronghe.vanguard.models import Carrier

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORTS = {"-starts_on": ("-starts_on", "name", "pk"), "starts_on": ("starts_on", "name", "pk"),
         "name": ("name", "pk"), "organiser": ("organiser__path", "name", "pk")}
# One colour per participant in the trend chart, readable on screen and in print.
PALETTE = ["#d63939", "#206bc4", "#2fb344", "#f59f00", "#ae3ec9", "#0ca678", "#f76707", "#4263eb", "#74b816",
           "#d6336c", "#17a2b8", "#495057"]


def _as_of(request):
    try:
        return clock.parse_as_of(request.GET.get("as_of"))
    except clock.BadDate as exc:
        messages.error(request, str(exc))
        return None


def _competition(request, competition_id, action=VIEW):
    """A competition organised within the user's scope (the pages that read it whole or run it)."""
    return get_object_or_404(selectors.with_counts(selectors.competitions(request.user, action)), pk=competition_id)


def _visible(request, competition_id):
    """A competition organised within the user's scope or one they take part in, with how they
    read it (selectors.Access)."""
    competition = get_object_or_404(selectors.with_counts(selectors.visible_competitions(request.user)),
                                    pk=competition_id)
    return competition, selectors.access_for(request.user, competition)


def _managed(request, competition_id):
    """The competition if the user may run it; 404 otherwise, as for what lies outside."""
    competition = _competition(request, competition_id)
    if not services.can_manage(request.user, competition):
        raise Http404
    return competition


def _run(call, form=None, request=None):
    """Call a service; its ValidationError goes onto the form, or into the messages."""
    try:
        return call()
    except OutOfScope as exc:
        raise Http404 from exc
    except ValidationError as exc:
        if form is not None:
            add_service_errors(form, exc)
        else:
            messages.error(request, " ".join(exc.messages))
        return None


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the list ------------------------------------------------------------------------------------

def _filtered_list(request):
    params = request.GET
    qs = selectors.with_counts(selectors.visible_competitions(request.user))
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    year = params.get("year", "").strip()
    if year.isdigit():
        qs = qs.filter(starts_on__year__lte=int(year), ends_on__year__gte=int(year))
    if params.get("kind") in Competition.Kind.values:
        qs = qs.filter(kind=params["kind"])
    sort = params.get("sort") if params.get("sort") in SORTS else "-starts_on"
    return qs.order_by(*SORTS[sort]), sort


def competition_list(request):
    qs, sort = _filtered_list(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "competitions/list.html", {
        "page_obj": page, "competitions": page.object_list, "kinds": Competition.Kind.choices, "sort": sort,
        "can_create": Unit.objects.restrict(request.user, CHANGE).exists(),
    })


@require_GET
def competition_list_export(request):
    qs, _sort = _filtered_list(request)
    return _xlsx(exporters.competitions_xlsx(qs), "competitions.xlsx")


def competition_awards(request):
    """Awards given with published rankings (流动红旗 …), newest period first."""
    qs = selectors.awards(request.user)
    competition_id = request.GET.get("competition", "")
    if competition_id.isdigit():
        qs = qs.filter(publication__competition_id=int(competition_id))
    year = request.GET.get("year", "").strip()
    if year.isdigit():
        qs = qs.filter(publication__period_start__year=int(year))
    award = request.GET.get("award", "").strip()
    if award:
        qs = qs.filter(award=award)
    if request.GET.get("export") == "xlsx":
        return _xlsx(_awards_xlsx(qs), "awards.xlsx")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "competitions/awards.html", {
        "page_obj": page, "grants": page.object_list,
        "competitions": selectors.visible_competitions(request.user).order_by("-starts_on", "name"),
        "award_names": selectors.awards(request.user).order_by("award").values_list("award", flat=True).distinct(),
    })


def _awards_xlsx(grants) -> bytes:
    from ronghe.core.tabular import DATE, INT, Column, rows_xlsx

    columns = [Column("competition", "劳动竞赛"), Column("period_start", "周期开始", type=DATE),
               Column("period_end", "周期结束", type=DATE), Column("award", "奖项"), Column("participant", "获奖单位"),
               Column("rank", "名次", type=INT)]
    rows = ({"competition": g.publication.competition.name, "period_start": g.publication.period_start,
             "period_end": g.publication.period_end, "award": g.award, "participant": g.participant.label,
             "rank": g.rank} for g in grants)
    return rows_xlsx(columns, rows, sheet_title="获奖")


# --- create and edit -----------------------------------------------------------------------------

def _form_page(request, competition=None):
    user = request.user
    units = list(Unit.objects.restrict(user, CHANGE).filter(abolished_on=None).order_by("path"))
    form = forms.CompetitionForm(request.POST or None, units=units, competition=competition)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        if competition is None:
            done = _run(lambda: services.competition_create(actor=user, **data), form)
        else:
            changes = {k: v for k, v in data.items() if getattr(competition, k) != v and k in form.changed_data}
            done = _run(lambda: services.competition_update(actor=user, competition=competition, **changes),
                        form) if changes else competition
        if done is not None:
            messages.success(request, _("“%(name)s” was saved.") % {"name": done.name})
            return redirect("competition_setup" if competition is None else "competition_detail", done.pk)
    title = _("New competition") if competition is None else _("Edit · %(name)s") % {"name": competition.name}
    return render(request, "competitions/form.html", {"form": form, "competition": competition, "title": title})


def competition_create(request):
    if not Unit.objects.restrict(request.user, CHANGE).exists():
        raise Http404
    return _form_page(request)


def competition_edit(request, competition_id):
    return _form_page(request, _managed(request, competition_id))


# --- the leaderboard -----------------------------------------------------------------------------

def _period(request, competition, as_of):
    raw = request.GET.get("period", "").strip()
    try:
        start = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        start = None
    period = selectors.period_starting(competition, start, as_of)
    if period is None:
        raise Http404
    return period


def _trend(rankings) -> dict:
    """The rank of each participant period by period, for the chart."""
    names, seen = [], set()
    for ranking in rankings:
        for row in ranking.rows:
            if row.participant_id not in seen:
                seen.add(row.participant_id)
                names.append((row.participant_id, row.name))
    series = []
    for index, (pk, name) in enumerate(names):
        ranks, totals = [], []
        for ranking in rankings:
            row = ranking.row_of(pk)
            ranks.append(row.rank if row else None)
            totals.append(round(row.total, 2) if row else None)
        series.append({"name": name, "ranks": ranks, "totals": totals, "colour": PALETTE[index % len(PALETTE)]})
    return {"periods": [cndate(r.period.start) for r in rankings], "series": series,
            "count": max((r.size for r in rankings), default=1),
            "text": {"rank": _("Rank"), "total": _("Total")}}


def competition_detail(request, competition_id):
    competition, access = _visible(request, competition_id)
    as_of = _as_of(request)
    day = as_of or clock.today()
    period = _period(request, competition, day)
    rankings = selectors.for_viewer(selectors.rankings(competition, max(day, period.start)), access)
    ranking = next(r for r in rankings if r.period.start == period.start)
    can_manage = access.organiser and services.can_manage(request.user, competition)
    periods = selectors.periods_of(competition)
    published = selectors.current_publications(competition)
    return render(request, "competitions/detail.html", {
        "competition": competition, "ranking": ranking, "period": period, "as_of": as_of, "day": day,
        "periods": [{"period": p, "published": p.start in published, "begun": p.start <= day} for p in periods],
        "trend": _trend(rankings), "can_manage": can_manage, "access": access,
        "tie_breaker_name": next((i["name"] for i in ranking.indicators if i["code"] == ranking.tie_breaker), ""),
        "publishable": can_manage and period.end <= clock.today(),
        "publish_form": forms.PublishForm(initial={"period_start": period.start}),
        "history": selectors.versions(competition, period.start, access),
        "audit_trail": with_diffs(_audit_trail(request.user, competition), request.user) if access.organiser else [],
    })


def _audit_trail(user, competition):
    """What was done to the competition itself and to its publications (publishing again
    included), newest first."""
    publications = [str(pk) for pk in competition.publications.values_list("pk", flat=True)]
    return (AuditEntry.objects.restrict(user)
            .filter(Q(object_type="competitions.competition", object_id=str(competition.pk))
                    | Q(object_type="competitions.publication", object_id__in=publications))
            .select_related("actor")[:30])


@require_POST
def competition_publish(request, competition_id):
    competition = _managed(request, competition_id)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the period to publish."))
        return redirect("competition_detail", competition.pk)
    start = form.cleaned_data["period_start"]
    done = _run(lambda: services.period_publish(actor=request.user, competition=competition, period_start=start,
                                                reason=form.cleaned_data["reason"]), request=request)
    if done is not None:
        messages.success(request, _("The ranking of %(period)s is published (version %(version)s).") % {
            "period": cndate(start), "version": done.version})
    return redirect(f"{reverse('competition_detail', args=[competition.pk])}?period={start.isoformat()}")


def _ranking_for_download(request, competition_id):
    competition, access = _visible(request, competition_id)
    as_of = _as_of(request) or clock.today()
    period = _period(request, competition, as_of)
    return selectors.ranking(competition, period, as_of, access)


@require_GET
def competition_export(request, competition_id):
    ranking = _ranking_for_download(request, competition_id)
    return _xlsx(exporters.ranking_xlsx(ranking), f"ranking-{ranking.period.start.isoformat()}.xlsx")


@require_GET
def competition_report(request, competition_id):
    """The 通报 as a printable page; `?format=pdf` downloads it as PDF."""
    ranking = _ranking_for_download(request, competition_id)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(report.pdf(ranking, clock.today()), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="notice-{ranking.period.start.isoformat()}.pdf"'
        return response
    return HttpResponse(report.html(ranking, clock.today()))


def competition_participant(request, competition_id, participant_id):
    """One participant's standing period by period, indicator by indicator: for the organiser's
    scope any participant, for a participant's people their own."""
    competition, access = _visible(request, competition_id)
    if not access.sees(participant_id):
        raise Http404
    participant = get_object_or_404(competition.participants.select_related("unit__parent", "project_group", "carrier"),
                                    pk=participant_id)
    as_of = _as_of(request)
    rankings = selectors.for_viewer(selectors.rankings(competition, as_of or clock.today()), access)
    rows = [(r, r.row_of(participant.pk)) for r in rankings]
    rows = [(r, row) for r, row in rows if row is not None]
    indicators = rankings[-1].indicators if rankings else [selectors.indicator_facts(i)
                                                            for i in selectors.indicators_of(competition)]
    chart = {"periods": [cndate(r.period.start) for r, _row in rows],
             "ranks": [row.rank for _r, row in rows], "totals": [round(row.total, 2) for _r, row in rows],
             "count": max((r.size for r, _row in rows), default=1),
             "text": {"rank": _("Rank"), "total": _("Total")}}
    return render(request, "competitions/participant.html", {
        "competition": competition, "participant": participant, "rows": rows, "indicators": indicators,
        "chart": chart, "as_of": as_of, "access": access,
    })


# --- set-up --------------------------------------------------------------------------------------

def _setup_forms(request, competition, **bound):
    user = request.user
    units, groups, carriers = [], [], []
    under = competition.organiser.path
    if competition.kind == Competition.Kind.UNITS:
        units = list(Unit.objects.restrict(user, VIEW).filter(path__startswith=under, abolished_on=None)
                     .select_related("parent").order_by("path"))
    elif competition.kind == Competition.Kind.GROUPS:
        groups = list(ProjectGroup.objects.restrict(user, VIEW).filter(unit__path__startswith=under)
                      .select_related("unit").order_by("-year", "unit__path", "name"))
    else:
        carriers = list(Carrier.objects.restrict(user, VIEW).filter(unit__path__startswith=under,
                                                                    status=Carrier.Status.ACTIVE)
                        .select_related("unit").order_by("unit__path", "kind", "name"))
    return {
        "participant_form": bound.get("participant_form") or forms.ParticipantForm(units=units, groups=groups,
                                                                                   carriers=carriers),
        "indicator_form": bound.get("indicator_form") or forms.IndicatorForm(kind=competition.kind),
        "award_form": bound.get("award_form") or forms.AwardKindForm(),
        "units": units, "groups": groups, "carriers": carriers,
    }


def competition_setup(request, competition_id, **bound):
    competition = _managed(request, competition_id)
    indicators = selectors.indicators_of(competition)
    for indicator in indicators:
        source = None if indicator.is_manual else sources.get(indicator.source)
        indicator.source_label = source.label if source else ""
    return render(request, "competitions/setup.html", {
        "competition": competition, "participants": selectors.participants_of(competition),
        "indicators": indicators, "award_kinds": selectors.award_kinds(competition),
        **_setup_forms(request, competition, **bound),
    })


@require_POST
def competition_participant_add(request, competition_id):
    competition = _managed(request, competition_id)
    setup = _setup_forms(request, competition)
    form = forms.ParticipantForm(request.POST, units=setup["units"], groups=setup["groups"],
                                 carriers=setup["carriers"])
    if form.is_valid() and _run(lambda: services.participant_add(actor=request.user, competition=competition,
                                                                 **form.service_kwargs()), form):
        return redirect("competition_setup", competition.pk)
    return competition_setup(request, competition.pk, participant_form=form)


@require_POST
def competition_participant_remove(request, competition_id, participant_id):
    competition = _managed(request, competition_id)
    participant = get_object_or_404(competition.participants.select_related("unit__parent", "project_group", "carrier"),
                                    pk=participant_id)
    _run(lambda: services.participant_remove(actor=request.user, participant=participant), request=request)
    return redirect("competition_setup", competition.pk)


@require_POST
def competition_indicator_add(request, competition_id):
    competition = _managed(request, competition_id)
    form = forms.IndicatorForm(request.POST, kind=competition.kind)
    if form.is_valid() and _run(lambda: services.indicator_create(actor=request.user, competition=competition,
                                                                  **form.service_kwargs()), form):
        return redirect("competition_setup", competition.pk)
    return competition_setup(request, competition.pk, indicator_form=form)


@require_POST
def competition_indicator_remove(request, competition_id, indicator_id):
    competition = _managed(request, competition_id)
    indicator = get_object_or_404(Indicator.objects.filter(competition=competition), pk=indicator_id)
    _run(lambda: services.indicator_remove(actor=request.user, indicator=indicator), request=request)
    return redirect("competition_setup", competition.pk)


@require_POST
def competition_tie_breaker(request, competition_id):
    competition = _managed(request, competition_id)
    code = request.POST.get("tie_breaker", "")
    indicator = competition.indicators.filter(code=code).first() if code else None
    _run(lambda: services.competition_update(actor=request.user, competition=competition, tie_breaker=indicator),
         request=request)
    return redirect("competition_setup", competition.pk)


@require_POST
def competition_award_add(request, competition_id):
    competition = _managed(request, competition_id)
    form = forms.AwardKindForm(request.POST)
    if form.is_valid() and _run(lambda: services.award_kind_create(actor=request.user, competition=competition,
                                                                   **form.cleaned_data), form):
        return redirect("competition_setup", competition.pk)
    return competition_setup(request, competition.pk, award_form=form)


@require_POST
def competition_award_remove(request, competition_id, award_id):
    competition = _managed(request, competition_id)
    kind = get_object_or_404(AwardKind.objects.filter(competition=competition), pk=award_id)
    _run(lambda: services.award_kind_remove(actor=request.user, award_kind=kind), request=request)
    return redirect("competition_setup", competition.pk)


# --- readings and adjustments --------------------------------------------------------------------

def _readings(request, competition):
    qs = (Reading.objects.filter(indicator__competition=competition)
          .select_related("indicator", "participant__unit__parent", "participant__project_group",
                          "participant__carrier", "updated_by")
          .order_by("-period_start", "indicator__sort_order", "indicator_id", "participant__sort_order", "pk"))
    period = request.GET.get("period", "").strip()
    try:
        qs = qs.filter(period_start=dt.date.fromisoformat(period)) if period else qs
    except ValueError:
        qs = qs.none()
    indicator = request.GET.get("indicator", "").strip()
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    participant = request.GET.get("participant", "").strip()
    if participant.isdigit():
        qs = qs.filter(participant_id=int(participant))
    return qs


def _entry_periods(competition):
    """Periods readings and items may be entered for: those begun (the first before any has)."""
    periods = selectors.periods_of(competition)
    return [p for p in periods if p.start <= clock.today()] or periods[:1]


def competition_readings(request, competition_id):
    competition = _competition(request, competition_id)
    if request.GET.get("export") == "xlsx":
        return _xlsx(exporters.readings_xlsx(competition, _readings(request, competition)), "readings.xlsx")
    form = None
    if request.method == "POST":
        if not services.can_manage(request.user, competition):
            raise Http404
        form = forms.ReadingForm(request.POST, indicators=[i for i in selectors.indicators_of(competition)
                                                           if i.is_manual],
                                 participants=selectors.participants_of(competition),
                                 periods=_entry_periods(competition))
        if form.is_valid():
            data = form.cleaned_data
            done = _run(lambda: services.reading_set(
                actor=request.user, indicator=form.indicators[data["indicator"]],
                participant=form.participants[data["participant"]],
                period_start=dt.date.fromisoformat(data["period_start"]), value=data["value"], plan=data["plan"],
                evidence=data["evidence"]), form)
            if done is not None:
                messages.success(request, _("The reading was saved."))
                return redirect("competition_readings", competition.pk)
    return _readings_page(request, competition, form=form)


def _readings_page(request, competition, form=None, import_result=None):
    can_manage = services.can_manage(request.user, competition)
    participants = selectors.participants_of(competition)
    manual = [i for i in selectors.indicators_of(competition) if i.is_manual]
    ready = can_manage and manual and participants
    page = Paginator(_readings(request, competition), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "competitions/readings.html", {
        "competition": competition, "page_obj": page, "readings": page.object_list, "can_manage": can_manage,
        "participants": participants, "indicators": manual, "periods": selectors.periods_of(competition),
        "form": form or (forms.ReadingForm(indicators=manual, participants=participants,
                                           periods=_entry_periods(competition)) if ready else None),
        "import_form": forms.ImportForm() if ready else None, "import_result": import_result,
    })


@require_GET
def competition_readings_template(request, competition_id):
    competition = _managed(request, competition_id)
    return _xlsx(ReadingImporter(competition).template(), "readings-template.xlsx")


@require_POST
def competition_readings_import(request, competition_id):
    competition = _managed(request, competition_id)
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a spreadsheet to import."))
        return redirect("competition_readings", competition.pk)
    upload = form.cleaned_data["file"]
    result = ReadingImporter(competition, actor=request.user).run_file(upload, filename=upload.name)
    if result.ok:
        messages.success(request, _("Imported %(total)d rows: %(created)d new, %(updated)d changed, "
                                    "%(unchanged)d unchanged.") % result.counts)
        return redirect("competition_readings", competition.pk)
    return _readings_page(request, competition, import_result=result)


@require_POST
def competition_reading_remove(request, competition_id, reading_id):
    competition = _managed(request, competition_id)
    reading = get_object_or_404(Reading.objects.filter(indicator__competition=competition)
                                .select_related("indicator"), pk=reading_id)
    _run(lambda: services.reading_remove(actor=request.user, reading=reading), request=request)
    return redirect("competition_readings", competition.pk)


def competition_adjustments(request, competition_id):
    competition = _competition(request, competition_id)
    can_manage = services.can_manage(request.user, competition)
    participants = selectors.participants_of(competition)
    form = None
    if can_manage and participants:
        form = forms.AdjustmentForm(request.POST if request.method == "POST" else None, participants=participants,
                                    periods=_entry_periods(competition))
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            done = _run(lambda: services.adjustment_add(
                actor=request.user, participant=form.participants[data["participant"]],
                period_start=dt.date.fromisoformat(data["period_start"]), points=data["points"],
                reason=data["reason"], evidence=data["evidence"]), form)
            if done is not None:
                messages.success(request, _("The bonus or deduction was saved."))
                return redirect("competition_adjustments", competition.pk)
    qs = (Adjustment.objects.filter(competition=competition)
          .select_related("participant__unit__parent", "participant__project_group", "participant__carrier", "created_by")
          .order_by("-period_start", "-id"))
    period = request.GET.get("period", "").strip()
    try:
        qs = qs.filter(period_start=dt.date.fromisoformat(period)) if period else qs
    except ValueError:
        qs = qs.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "competitions/adjustments.html", {
        "competition": competition, "page_obj": page, "adjustments": page.object_list, "form": form,
        "can_manage": can_manage, "periods": selectors.periods_of(competition),
    })


@require_POST
def competition_adjustment_remove(request, competition_id, adjustment_id):
    competition = _managed(request, competition_id)
    item = get_object_or_404(Adjustment.objects.filter(competition=competition), pk=adjustment_id)
    _run(lambda: services.adjustment_remove(actor=request.user, adjustment=item), request=request)
    return redirect("competition_adjustments", competition.pk)

