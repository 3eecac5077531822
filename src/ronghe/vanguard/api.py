"""The carriers and problem-ledger API (党员载体, 生产难题台账). Thin: reads start from
vanguard.selectors (already scoped), writes go through vanguard.services, which decide who may
do what. Every id, code and employee number the caller names is looked up inside the caller's
scope, so that what lies outside answers like what does not exist."""
from decimal import Decimal
from typing import Annotated

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile

from ronghe.core import clock
from ronghe.core.api_support import (
    ApiError,
    PageQuery,
    get_or_404,
    invalid,
    named,
    paginate,
    parse_date,
    party_org_in,
    people_in,
    person_in,
    require_any,
    responses,
    unit_in,
)
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.org.models import PartyOrg, Person, Unit
from ronghe.vanguard import rules, selectors, services, stats
from ronghe.vanguard import schemas as s
from ronghe.vanguard.models import Carrier, Problem, ProblemAttachment

CarrierIdPath = Annotated[int, Path(description="Id of the carrier (载体编号).")]
ProblemIdPath = Annotated[int, Path(description="Id of the problem (难题编号).")]
AttachmentIdPath = Annotated[int, Path(description="Id of the attachment (附件编号).")]


# --- look-ups ------------------------------------------------------------------------------------

def _unit(user, code, field) -> Unit | None:
    """The unit a carrier or problem is placed in, within the caller's unit scope; None when
    no code is sent (the services then take the Party organisation's or the carrier's)."""
    if not code:
        return None
    return unit_in(Unit.objects.restrict(user, CHANGE).filter(abolished_on=None), code, field)


def _party_org(user, code, field) -> PartyOrg:
    return party_org_in(selectors.host_party_orgs(user, CHANGE), code, field)


def _people_of(user, members_only):
    return selectors.party_members(user) if members_only else Person.objects.restrict(user, VIEW)


def _person(user, employee_no, field, members_only=False) -> Person:
    return person_in(_people_of(user, members_only), employee_no, field)


def _people(user, numbers, field, members_only=False) -> list[Person]:
    return people_in(_people_of(user, members_only), numbers, field)


def _carrier_ref(user, carrier_id, field) -> Carrier:
    carrier = selectors.carriers(user, CHANGE).filter(pk=carrier_id).first()
    if carrier is None:
        raise invalid(field, _("No carrier %(id)s within your scope.") % {"id": carrier_id})
    return carrier


def _node(model, user, code, field):
    """A unit or party org the caller may see, for narrowing a list; None when no code."""
    if not code:
        return None
    node = model.objects.restrict(user, VIEW).filter(code=code).first()
    if node is None:
        raise invalid(field, _("No unit or party organisation with code “%(code)s” within your scope.") % {"code": code})
    return node


# --- carriers ------------------------------------------------------------------------------------

carriers_router = Router(tags=["carriers"])


def _flags(carrier) -> list[str]:
    if not carrier.n_members:
        return ["no_members"]
    return [] if carrier.n_leads else ["no_lead"]


def _carrier_row(carrier) -> dict:
    lead = next((m.person for m in carrier.members.all() if m.is_lead), None)
    return {"id": carrier.pk, "name": carrier.name, "kind": carrier.kind, "category": carrier.category,
            "unit": carrier.unit.code, "unit_name": carrier.unit.name, "party_org": carrier.party_org.code,
            "party_org_name": carrier.party_org.name, "production_related": carrier.production_related,
            "commitment": carrier.commitment, "targets": carrier.targets, "established_on": carrier.established_on,
            "retired_on": carrier.retired_on, "status": carrier.status,
            "lead": lead.employee_no if lead else None, "lead_name": lead.name if lead else None,
            "member_count": carrier.n_members, "flags": _flags(carrier)}


def _member_row(person, is_lead) -> dict:
    return {"employee_no": person.employee_no, "name": person.name, "is_lead": is_lead}


@carriers_router.get("", response=responses({200: s.CarrierPage}), **named("carriers_list"), summary="List carriers")
def carriers_list(request, filters: Query[s.CarrierFilters], page: Query[PageQuery]):
    """Carriers (载体: 先锋岗, 责任区, 先锋工程) of the units and Party organisations within your
    scope, with their lead, member count and flags (no members, no lead)."""
    user = request.auth
    qs = selectors.filter_carriers(
        selectors.carriers(user), q=filters.q, kind=filters.kind or "", category=filters.category or "",
        status=filters.status or "", unit=_node(Unit, user, filters.unit, "unit"),
        party_org=_node(PartyOrg, user, filters.party_org, "party_org"),
        production=filters.production_related, flag=filters.flag or "")
    return paginate(selectors.with_members(qs), page, lambda chunk: [_carrier_row(c) for c in chunk])


@carriers_router.get("/stats", response=responses({200: s.CarrierStats}), **named("carriers_stats"),
                     summary="Carrier statistics")
def carriers_stats(request, query: Query[s.VanguardStatsQuery]):
    """Carriers standing at the end of the period by kind and category, the share tied to
    production, the share of Party members on a carrier (党员参与率), and those without members
    or lead — for your scope, or the subtree of `unit` / `party_org`."""
    result = _stats(request.auth, query)
    c = result.carriers
    return {"date_from": result.period.start, "date_to": result.period.end, "total": c.total, "by_kind": c.by_kind,
            "by_category": c.by_category, "production_related": c.production_related,
            "production_share": c.production_share, "established_in_period": c.established_in_period,
            "party_members": c.party_members, "members_covered": c.members_covered, "coverage": c.coverage,
            "without_members": c.without_members, "without_lead": c.without_lead,
            "monthly": [{**m, "month": m["month"].isoformat()} for m in result.carriers_monthly]}


def _stats(user, query: s.VanguardStatsQuery) -> stats.Stats:
    today = clock.today()
    if query.preset:
        period = stats.preset_period(query.preset, query.year or today.year)
    else:
        default = stats.default_period(today)
        start = parse_date(query.date_from, "date_from") or default.start
        end = parse_date(query.date_to, "date_to") or max(default.end, start)
        if end < start:
            raise invalid("date_to", _("The period cannot end before it starts."))
        period = rules.Period(start, end)
    return stats.compute(user, period, unit=_node(Unit, user, query.unit, "unit"),
                         party_org=_node(PartyOrg, user, query.party_org, "party_org"))


def _detail_qs(user):
    return selectors.with_members(selectors.carriers(user)).prefetch_related("reviews", "recognitions").annotate(
        n_solved=Count("problems", filter=Q(problems__status__in=(Problem.Status.SOLVED, Problem.Status.VERIFIED)),
                       distinct=True))


def _carrier_detail(carrier) -> dict:
    return {**_carrier_row(carrier),
            "members": [_member_row(m.person, m.is_lead) for m in carrier.members.all()],
            "reviews": [{"year": r.year, "rating": r.rating, "comment": r.comment, "reviewed_on": r.reviewed_on}
                        for r in carrier.reviews.all()],
            "recognitions": [{"id": r.pk, "kind": r.kind, "level": r.level, "title": r.title,
                              "granted_on": r.granted_on, "granted_by": r.granted_by, "document_no": r.document_no}
                             for r in carrier.recognitions.all()],
            "problems_solved": carrier.n_solved}


@carriers_router.get("/{carrier_id}", response=responses({200: s.CarrierDetail}), **named("carriers_get"),
                     summary="Get a carrier")
def carriers_get(request, carrier_id: CarrierIdPath):
    """One carrier with its members, annual reviews (评议), namings and commendations (命名表彰)."""
    return _carrier_detail(get_or_404(_detail_qs(request.auth), pk=carrier_id))


def _carrier_out(user, carrier):
    return _carrier_detail(_detail_qs(user).get(pk=carrier.pk))


@carriers_router.post("", response=responses({201: s.CarrierDetail}), **named("carriers_create"),
                      summary="Create a carrier")
def carriers_create(request, payload: s.CarrierIn):
    """A carrier of a unit and a Party organisation within your reach, its lead and members all
    Party members."""
    user = request.auth
    require_any(user, CHANGE)
    carrier = services.carrier_create(
        actor=user, name=payload.name, kind=payload.kind, unit=_unit(user, payload.unit, "unit"),
        party_org=_party_org(user, payload.party_org, "party_org"), established_on=payload.established_on,
        category=payload.category, production_related=payload.production_related, commitment=payload.commitment,
        targets=payload.targets, lead=_person(user, payload.lead, "lead", True) if payload.lead else None,
        members=_people(user, payload.members, "members", True))
    return Status(201, _carrier_out(user, carrier))


def _carrier_to_change(user, carrier_id):
    require_any(user, CHANGE)
    get_or_404(selectors.carriers(user), pk=carrier_id)
    return get_or_404(selectors.carriers(user, CHANGE), pk=carrier_id)


@carriers_router.patch("/{carrier_id}", response=responses({200: s.CarrierDetail}), **named("carriers_update"),
                       summary="Edit a carrier")
def carriers_update(request, carrier_id: CarrierIdPath, payload: s.CarrierPatch):
    """Change the fields sent (not its members: POST …/members; nor its status: …/retire)."""
    user = request.auth
    carrier = _carrier_to_change(user, carrier_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "unit" in changes:
        changes["unit"] = _unit(user, changes["unit"], "unit")
    if "party_org" in changes:
        changes["party_org"] = _party_org(user, changes["party_org"], "party_org")
    carrier = services.carrier_update(actor=user, carrier=carrier, **changes)
    return _carrier_out(user, carrier)


@carriers_router.post("/{carrier_id}/members", response=responses({200: s.CarrierDetail}),
                     **named("carriers_members"), summary="Set a carrier's members")
def carriers_members(request, carrier_id: CarrierIdPath, payload: s.MembersIn):
    """The members become those sent, `lead` leading them (成员及负责人)."""
    user = request.auth
    carrier = _carrier_to_change(user, carrier_id)
    carrier = services.carrier_set_members(
        actor=user, carrier=carrier, lead=_person(user, payload.lead, "lead", True) if payload.lead else None,
        members=_people(user, payload.members, "members", True))
    return _carrier_out(user, carrier)


@carriers_router.post("/{carrier_id}/retire", response=responses({200: s.CarrierDetail}), **named("carriers_retire"),
                      summary="Retire a carrier")
def carriers_retire(request, carrier_id: CarrierIdPath, payload: s.RetireIn):
    """撤销: the carrier stops counting from that day."""
    user = request.auth
    carrier = services.carrier_retire(actor=user, carrier=_carrier_to_change(user, carrier_id), on=payload.on,
                                      reason=payload.reason)
    return _carrier_out(user, carrier)


@carriers_router.post("/{carrier_id}/reviews", response=responses({200: s.CarrierDetail}),
                      **named("carriers_review"), summary="Review a carrier for a year")
def carriers_review(request, carrier_id: CarrierIdPath, payload: s.ReviewIn):
    """The annual review (年度评议); a second review of the same year replaces the first."""
    user = request.auth
    carrier = _carrier_to_change(user, carrier_id)
    services.carrier_review(actor=user, carrier=carrier, year=payload.year, rating=payload.rating,
                            comment=payload.comment, on=payload.on)
    return _carrier_out(user, carrier)


@carriers_router.post("/{carrier_id}/recognitions", response=responses({200: s.CarrierDetail}),
                      **named("carriers_recognize"), summary="Record a naming or commendation")
def carriers_recognize(request, carrier_id: CarrierIdPath, payload: s.RecognitionIn):
    """A naming (命名, e.g. 示范岗) or a commendation (表彰) the carrier received."""
    user = request.auth
    carrier = _carrier_to_change(user, carrier_id)
    services.carrier_recognize(actor=user, carrier=carrier, kind=payload.kind, level=payload.level,
                               title=payload.title, granted_on=payload.granted_on, granted_by=payload.granted_by,
                               document_no=payload.document_no)
    return _carrier_out(user, carrier)


# --- problems ------------------------------------------------------------------------------------

problems_router = Router(tags=["problems"])


def _money(value: Decimal) -> float:
    return float(value)


def _problem_row(p: Problem) -> dict:
    return {"id": p.pk, "title": p.title, "unit": p.unit.code, "unit_name": p.unit.name, "carrier": p.carrier_id,
            "carrier_name": p.carrier.name if p.carrier_id else None,
            "party_org": p.carrier.party_org.code if p.carrier_id else None,
            "raised_by": p.raised_by.employee_no, "raised_by_name": p.raised_by.name, "raised_on": p.raised_on,
            "category": p.category, "difficulty": p.difficulty, "status": p.status, "started_on": p.started_on,
            "solved_on": p.solved_on, "verified_on": p.verified_on, "closed_on": p.closed_on,
            "oil_t": _money(p.oil_t), "gas_m3": _money(p.gas_m3), "cost_saved": _money(p.cost_saved),
            "other_benefit": p.other_benefit}


def _problems(user, action=VIEW):
    return selectors.problems(user, action).select_related("carrier__party_org")


@problems_router.get("", response=responses({200: s.ProblemPage}), **named("problems_list"),
                     summary="List problems")
def problems_list(request, filters: Query[s.ProblemFilters], page: Query[PageQuery]):
    """The production-problem ledger (生产难题台账) of your scope, newest first. “Solved in the
    first half of the year”: `solved_from=2026-01-01&solved_to=2026-06-30`."""
    user = request.auth
    qs = selectors.filter_problems(
        _problems(user), q=filters.q, status=filters.status or "", category=filters.category or "",
        difficulty=filters.difficulty or "", unit=_node(Unit, user, filters.unit, "unit"), carrier_id=filters.carrier,
        raised_from=parse_date(filters.raised_from, "raised_from"), raised_to=parse_date(filters.raised_to, "raised_to"),
        solved_from=parse_date(filters.solved_from, "solved_from"), solved_to=parse_date(filters.solved_to, "solved_to"))
    return paginate(qs, page, lambda chunk: [_problem_row(p) for p in chunk])


def _figures(key, name, f: rules.ProblemFigures) -> dict:
    return {"key": None if key is None else str(key), "name": name, **f.as_dict(),
            "oil_t": _money(f.oil_t), "gas_m3": _money(f.gas_m3), "cost_saved": _money(f.cost_saved)}


@problems_router.get("/stats", response=responses({200: s.ProblemStats}), **named("problems_stats"),
                     summary="Problem statistics")
def problems_stats(request, query: Query[s.VanguardStatsQuery]):
    """Problems raised, solved, verified and closed in the period, with the benefit of those
    solved (oil, gas, cost saved), by category, carrier and unit, and month by month. `preset=h1`
    is the first half of `year` (上半年解决难题)."""
    result = _stats(request.auth, query)
    p = result.problems
    categories = dict(Problem.Category.choices)
    return {
        "date_from": result.period.start, "date_to": result.period.end, "total": _figures(None, "", p.total),
        "open_at_end": p.open_at_end,
        "by_category": [_figures(k, str(categories.get(k, k)), f)
                        for k, _n, f in stats.ranked(p.by_category, {}, limit=len(categories))],
        "by_carrier": [_figures(k, result.carrier_names.get(k, ""), f)
                       for k, _n, f in stats.ranked(p.by_carrier, result.carrier_names)],
        "by_unit": [_figures(k, n, f) for k, n, f in stats.ranked(p.by_unit, result.unit_names)],
        "monthly": [{**m, "month": m["month"].isoformat(), "oil_t": _money(m["oil_t"]),
                     "gas_m3": _money(m["gas_m3"]), "cost_saved": _money(m["cost_saved"])} for m in p.monthly],
    }


def _problem_detail(p: Problem) -> dict:
    return {**_problem_row(p), "description": p.description, "solution": p.solution,
            "verification_note": p.verification_note,
            "verified_by": p.verified_by.username if p.verified_by_id else None, "close_reason": p.close_reason,
            "workers": [_member_row(w, False) for w in p.workers.all()],
            "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "uploaded_at": a.uploaded_at,
                             "url": reverse("vanguard_problem_attachment", args=[p.pk, a.pk])}
                            for a in p.attachments.all()],
            "steps": rules.steps_from(p.status)}


def _problem_detail_qs(user):
    return _problems(user).select_related("verified_by").prefetch_related(
        Prefetch("workers", Person.objects.order_by("employee_no")), "attachments")


@problems_router.get("/{problem_id}", response=responses({200: s.ProblemDetail}), **named("problems_get"),
                     summary="Get a problem")
def problems_get(request, problem_id: ProblemIdPath):
    """One problem with its description, solution, people working on it, attachments and the
    steps its status allows."""
    return _problem_detail(get_or_404(_problem_detail_qs(request.auth), pk=problem_id))


def _problem_out(user, problem):
    return _problem_detail(_problem_detail_qs(user).get(pk=problem.pk))


def _problem_to_change(user, problem_id):
    require_any(user, CHANGE)
    return get_or_404(_problems(user), pk=problem_id)


@problems_router.post("", response=responses({201: s.ProblemDetail}), **named("problems_create"),
                      summary="Register a problem")
def problems_create(request, payload: s.ProblemIn):
    """A production problem registered (已登记) at a unit, on a carrier or none."""
    user = request.auth
    require_any(user, CHANGE)
    problem = services.problem_create(
        actor=user, title=payload.title, unit=_unit(user, payload.unit, "unit"),
        raised_by=_person(user, payload.raised_by, "raised_by"), category=payload.category,
        raised_on=payload.raised_on, carrier=_carrier_ref(user, payload.carrier, "carrier") if payload.carrier else None,
        description=payload.description, difficulty=payload.difficulty,
        workers=_people(user, payload.workers, "workers"))
    return Status(201, _problem_out(user, problem))


@problems_router.patch("/{problem_id}", response=responses({200: s.ProblemDetail}), **named("problems_update"),
                       summary="Edit a problem")
def problems_update(request, problem_id: ProblemIdPath, payload: s.ProblemPatch):
    """Change the fields sent; the status moves only by the steps."""
    user = request.auth
    problem = _problem_to_change(user, problem_id)
    changes = payload.dict(exclude_unset=True)
    workers = changes.pop("workers", None)
    changes = {k: v for k, v in changes.items() if v is not None}
    if "unit" in changes:
        changes["unit"] = _unit(user, changes["unit"], "unit")
    if "raised_by" in changes:
        changes["raised_by"] = _person(user, changes["raised_by"], "raised_by")
    if "carrier" in changes:
        changes["carrier"] = _carrier_ref(user, changes["carrier"], "carrier") if changes["carrier"] else None
    for name in ("oil_t", "gas_m3", "cost_saved"):
        if name in changes:
            changes[name] = Decimal(str(changes[name]))
    problem = services.problem_update(actor=user, problem=problem, **changes,
                                      workers=_people(user, workers, "workers") if workers is not None else None)
    return _problem_out(user, problem)


def _step(request, problem_id, run):
    user = request.auth
    problem = _problem_to_change(user, problem_id)
    return _problem_out(user, run(user, problem))


@problems_router.post("/{problem_id}/start", response=responses({200: s.ProblemDetail}), **named("problems_start"),
                      summary="Start tackling")
def problems_start(request, problem_id: ProblemIdPath, payload: s.DatedIn):
    """攻关: the members take the problem on."""
    return _step(request, problem_id, lambda u, p: services.problem_start(actor=u, problem=p, on=payload.on))


@problems_router.post("/{problem_id}/solve", response=responses({200: s.ProblemDetail}), **named("problems_solve"),
                      summary="Record the solution")
def problems_solve(request, problem_id: ProblemIdPath, payload: s.SolveIn):
    """Solved (已解决): how, when, and the benefit; the unit verifies it next."""
    return _step(request, problem_id, lambda u, p: services.problem_solve(
        actor=u, problem=p, solution=payload.solution, on=payload.on, oil_t=Decimal(str(payload.oil_t)),
        gas_m3=Decimal(str(payload.gas_m3)), cost_saved=Decimal(str(payload.cost_saved)),
        other_benefit=payload.other_benefit))


@problems_router.post("/{problem_id}/verify", response=responses({200: s.ProblemDetail}), **named("problems_verify"),
                      summary="Verify the solution")
def problems_verify(request, problem_id: ProblemIdPath, payload: s.VerifyIn):
    """验收 by the unit: someone who may change the problem's unit confirms solution and benefit."""
    return _step(request, problem_id, lambda u, p: _unit_step(u, p, lambda: services.problem_verify(
        actor=u, problem=p, note=payload.note, on=payload.on)))


@problems_router.post("/{problem_id}/reject", response=responses({200: s.ProblemDetail}), **named("problems_reject"),
                      summary="Reject the solution")
def problems_reject(request, problem_id: ProblemIdPath, payload: s.RejectIn):
    """The unit does not accept the solution: the problem is tackled again."""
    return _step(request, problem_id, lambda u, p: _unit_step(u, p, lambda: services.problem_reject(
        actor=u, problem=p, note=payload.note)))


def _unit_step(user, problem, call):
    """Verification is the unit's: one who sees the problem through its carrier only is told so."""
    if not services.can_verify(user, problem):
        raise ApiError(403, "forbidden", _("Only the problem's unit verifies its solution."))
    return call()


@problems_router.post("/{problem_id}/close", response=responses({200: s.ProblemDetail}), **named("problems_close"),
                      summary="Close unsolved")
def problems_close(request, problem_id: ProblemIdPath, payload: s.CloseIn):
    """Closed unsolved, with the reason (未解决关闭)."""
    return _step(request, problem_id, lambda u, p: services.problem_close(
        actor=u, problem=p, reason=payload.reason, on=payload.on))


@problems_router.post("/{problem_id}/reopen", response=responses({200: s.ProblemDetail}), **named("problems_reopen"),
                      summary="Reopen a closed problem")
def problems_reopen(request, problem_id: ProblemIdPath):
    """A problem closed unsolved is registered again."""
    return _step(request, problem_id, lambda u, p: services.problem_reopen(actor=u, problem=p))


@problems_router.post("/{problem_id}/attachments", response=responses({201: s.ProblemAttachmentOut}),
                      **named("problems_attach"), summary="Attach a file")
def problems_attach(request, problem_id: ProblemIdPath, file: File[UploadedFile] = None):
    """Upload a file (multipart field `file`), at most 20 MB: a report, photos, a benefit sheet."""
    user = request.auth
    problem = _problem_to_change(user, problem_id)
    if file is None:
        raise invalid("file", _("Choose a file to attach."))
    a = services.attachment_add(actor=user, problem=problem, upload=file)
    return Status(201, {"id": a.pk, "name": a.name, "size": a.size, "uploaded_at": a.uploaded_at,
                        "url": reverse("vanguard_problem_attachment", args=[problem.pk, a.pk])})


@problems_router.delete("/{problem_id}/attachments/{attachment_id}", response=responses({204: None}),
                        **named("problems_detach"), summary="Remove an attachment")
def problems_detach(request, problem_id: ProblemIdPath, attachment_id: AttachmentIdPath):
    """Remove one of the problem's attachments; the file goes from storage once the change is saved."""
    user = request.auth
    problem = _problem_to_change(user, problem_id)
    attachment = get_or_404(ProblemAttachment.objects.filter(problem=problem), pk=attachment_id)
    services.attachment_remove(actor=user, attachment=attachment)
    return Status(204, None)

