"""The 三会一课 API: records with attendance and photos, the rules, the compliance matrix and its
rates, the missing requirements and members' attendance. Thin: reads start from
orglife.selectors (scoped), writes go through orglife.services. Codes and employee numbers the
caller names are looked up inside the caller's scope; what lies outside answers like what does
not exist."""
from typing import Annotated

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile

from ronghe.core import clock
from ronghe.core.api_support import (
    PageQuery,
    get_or_404,
    invalid,
    named,
    paginate,
    parse_date,
    party_org_in,
    person_in,
    require_any,
    responses,
)
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.org.models import PartyOrg, Person
from ronghe.orglife import rules, selectors, services
from ronghe.orglife import schemas as s
from ronghe.orglife.models import Attendance, Photo, Record, Rule

RecordIdPath = Annotated[int, Path(description="Id of the record (记录编号).")]
RuleIdPath = Annotated[int, Path(description="Id of the rule (规则编号).")]
PhotoIdPath = Annotated[int, Path(description="Id of the photo (照片编号).")]
A = Attendance.Status

router = Router(tags=["orglife"])


# --- look-ups ------------------------------------------------------------------------------------

def _party_org(user, code, field, action=VIEW) -> PartyOrg:
    return party_org_in(PartyOrg.objects.restrict(user, action), code, field)


def _person(user, employee_no, field, party_org=None) -> Person:
    """A person the caller may see, or a member of `party_org`'s subtree."""
    q = Q(pk__in=Person.objects.restrict(user, VIEW).values("pk"))
    if party_org is not None:
        q |= Q(membership__party_org__path__startswith=party_org.path)
    return person_in(Person.objects.filter(q), employee_no, field)


def _attendance(user, items, party_org):
    out = []
    for i, item in enumerate(items):
        out.append((_person(user, item.person, f"attendance.{i}.person", party_org), item.status))
    return out


# --- output --------------------------------------------------------------------------------------

def _counted(qs):
    return qs.annotate(n_present=Count("attendance", filter=Q(attendance__status=A.PRESENT)),
                       n_leave=Count("attendance", filter=Q(attendance__status=A.LEAVE)),
                       n_absent=Count("attendance", filter=Q(attendance__status=A.ABSENT)))


def _row(record: Record) -> dict:
    return {
        "id": record.pk, "party_org": record.party_org.code, "party_org_name": record.party_org.name,
        "kind": record.kind, "held_on": record.held_on, "makeup_for": record.makeup_for, "topic": record.topic,
        "location": record.location,
        "host": record.host.employee_no if record.host_id else None,
        "host_name": record.host.name if record.host_id else None,
        "lecturer": record.lecturer.employee_no if record.lecturer_id else None,
        "lecturer_name": record.lecturer.name if record.lecturer_id else None,
        "attendance_counts": {"present": record.n_present, "leave": record.n_leave, "absent": record.n_absent},
        "created_at": record.created_at,
    }


def _detail(user, record_id) -> dict:
    record = get_or_404(_counted(selectors.records(user)), pk=record_id)
    attendance = record.attendance.select_related("person").order_by("person__employee_no")
    return {**_row(record), "minutes": record.minutes,
            "attendance": [{"person": a.person.employee_no, "name": a.person.name, "status": a.status}
                           for a in attendance],
            "photos": [_photo(p) for p in record.photos.all()]}


def _photo(photo: Photo) -> dict:
    return {"id": photo.pk, "caption": photo.caption, "url": reverse("orglife_photo", args=[photo.pk])}


# --- records -------------------------------------------------------------------------------------

@router.get("/records", response=responses({200: s.RecordPage}), **named("orglife_records_list"),
            summary="List records")
def records_list(request, filters: Query[s.RecordFilters], page: Query[PageQuery]):
    """Meetings and lessons (三会一课记录) of the Party organisations within your scope."""
    user = request.auth
    qs = selectors.records(user)
    if filters.party_org:
        qs = qs.filter(party_org__code=filters.party_org)
    if filters.party_org_subtree:
        root = PartyOrg.objects.filter(code=filters.party_org_subtree).only("path").first()
        qs = qs.filter(party_org__path__startswith=root.path) if root else qs.none()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    held_from = parse_date(filters.held_from, "held_from")
    held_to = parse_date(filters.held_to, "held_to")
    if held_from:
        qs = qs.filter(held_on__gte=held_from)
    if held_to:
        qs = qs.filter(held_on__lte=held_to)
    for word in filters.q.split():
        qs = qs.filter(topic__icontains=word)
    order = {"held_on": ["held_on", "id"], "-held_on": ["-held_on", "-id"], "party_org": ["party_org__path", "-held_on"],
             "kind": ["kind", "-held_on"]}[filters.sort]
    return paginate(_counted(qs).order_by(*order), page, lambda chunk: [_row(r) for r in chunk])


@router.get("/records/{record_id}", response=responses({200: s.RecordOut}), **named("orglife_records_get"),
            summary="Get a record")
def records_get(request, record_id: RecordIdPath):
    """One record with its attendance list and photos."""
    return _detail(request.auth, record_id)


@router.post("/records", response=responses({201: s.RecordOut}), **named("orglife_records_create"),
             summary="Record a meeting or lesson")
def records_create(request, payload: s.RecordIn):
    """A meeting or lesson held by a Party organisation you may change, with its attendance."""
    user = request.auth
    require_any(user, CHANGE)
    org = _party_org(user, payload.party_org, "party_org", CHANGE)
    record = services.record_create(
        actor=user, party_org=org, kind=payload.kind, held_on=payload.held_on, topic=payload.topic,
        location=payload.location, minutes=payload.minutes, makeup_for=payload.makeup_for,
        host=_person(user, payload.host, "host", org) if payload.host else None,
        lecturer=_person(user, payload.lecturer, "lecturer", org) if payload.lecturer else None,
        attendance=_attendance(user, payload.attendance, org))
    return Status(201, _detail(user, record.pk))


@router.patch("/records/{record_id}", response=responses({200: s.RecordOut}), **named("orglife_records_update"),
              summary="Edit a record")
def records_update(request, record_id: RecordIdPath, payload: s.RecordPatch):
    """Change the fields sent; `attendance`, when sent, replaces the whole list."""
    user = request.auth
    require_any(user, CHANGE)
    record = get_or_404(selectors.records(user, CHANGE), pk=record_id)
    changes = payload.dict(exclude_unset=True)
    if "party_org" in changes:
        changes["party_org"] = _party_org(user, changes["party_org"], "party_org", CHANGE)
    org = changes.get("party_org", record.party_org)
    for field in ("host", "lecturer"):
        if field in changes:
            changes[field] = _person(user, changes[field], field, org) if changes[field] else None
    attendance = changes.pop("attendance", None)
    if attendance is not None:
        attendance = _attendance(user, payload.attendance, org)
    for field in ("kind", "held_on", "topic"):
        if field in changes and changes[field] is None:
            raise invalid(field, _("This field cannot be empty."))
    for field in ("location", "minutes"):
        if field in changes and changes[field] is None:
            changes[field] = ""
    services.record_update(actor=user, record=record, attendance=attendance, **changes)
    return _detail(user, record.pk)


@router.delete("/records/{record_id}", response=responses({204: None}), **named("orglife_records_delete"),
               summary="Remove a record")
def records_delete(request, record_id: RecordIdPath, query: Query[s.DeleteQuery]):
    """Remove a record entered by mistake; the audit trail keeps what it said."""
    user = request.auth
    require_any(user, CHANGE)
    record = get_or_404(selectors.records(user, CHANGE), pk=record_id)
    services.record_delete(actor=user, record=record, reason=query.reason)
    return Status(204, None)


@router.post("/records/{record_id}/photos", response=responses({201: s.PhotoOut}), **named("orglife_photos_add"),
             summary="Add a photo")
def photos_add(request, record_id: RecordIdPath, image: File[UploadedFile] = None, caption: Form[str] = ""):
    """Upload a photo of the meeting (multipart: `image`, optional `caption`); JPEG, PNG, GIF or WebP, at most
    10 MB."""
    user = request.auth
    require_any(user, CHANGE)
    record = get_or_404(selectors.records(user, CHANGE), pk=record_id)
    if image is None:
        raise invalid("image", _("Choose a picture to upload."))
    photo = services.photo_add(actor=user, record=record, image=image, caption=caption)
    return Status(201, _photo(photo))


@router.delete("/records/{record_id}/photos/{photo_id}", response=responses({204: None}),
               **named("orglife_photos_remove"), summary="Remove a photo")
def photos_remove(request, record_id: RecordIdPath, photo_id: PhotoIdPath):
    """Remove a photo from the record."""
    user = request.auth
    require_any(user, CHANGE)
    photo = get_or_404(Photo.objects.restrict(user, CHANGE).select_related("record__party_org__unit"),
                       pk=photo_id, record_id=record_id)
    services.photo_remove(actor=user, photo=photo)
    return Status(204, None)


# --- rules ---------------------------------------------------------------------------------------

def _rule(rule: Rule) -> dict:
    return {"id": rule.pk, "org_kind": rule.org_kind, "meeting_kind": rule.meeting_kind, "frequency": rule.frequency,
            "min_count": rule.min_count, "exempt_below_members": rule.exempt_below_members, "active": rule.active}


@router.get("/rules", response=responses({200: list[s.RuleOut]}), **named("orglife_rules_list"),
            summary="List the rules")
def rules_list(request):
    """How often each kind of organisation owes each kind of meeting (company-wide)."""
    return [_rule(r) for r in Rule.objects.all()]


@router.get("/rules/{rule_id}", response=responses({200: s.RuleOut}), **named("orglife_rules_get"),
            summary="Get a rule")
def rules_get(request, rule_id: RuleIdPath):
    """One rule."""
    return _rule(get_or_404(Rule.objects.all(), pk=rule_id))


@router.patch("/rules/{rule_id}", response=responses({200: s.RuleOut}), **named("orglife_rules_update"),
              summary="Change a rule")
def rules_update(request, rule_id: RuleIdPath, payload: s.RulePatch):
    """Change how often a meeting is owed, how many per period, the exemption by size, or whether the rule is in
    force. System administrators only: the rules bind the whole company."""
    user = request.auth
    rule = get_or_404(Rule.objects.all(), pk=rule_id)
    changes = payload.dict(exclude_unset=True)
    for field in ("frequency", "min_count", "active"):
        if field in changes and changes[field] is None:
            raise invalid(field, _("This field cannot be empty."))
    if "exempt_below_members" in changes:
        changes["exempt_below_members"] = changes["exempt_below_members"] or None
    return _rule(services.rule_update(actor=user, rule=rule, **changes))


# --- compliance ----------------------------------------------------------------------------------

def _when(query):
    as_of = parse_date(query.as_of, "as_of") or clock.today()
    return query.year or as_of.year, as_of


def _counts(r: rules.Rates) -> dict:
    return {status.value: n for status, n in r.counts.items()}


def _rates(r: rules.Rates) -> dict:
    return {"counts": _counts(r), "due": r.due, "compliance_rate": r.compliance_rate,
            "completion_rate": r.completion_rate}


def _cell(cell: rules.Cell) -> dict:
    return {"meeting_kind": cell.meeting_kind, "status": cell.status.value, "held": cell.held, "made_up": cell.made_up}


@router.get("/compliance", response=responses({200: s.MatrixOut}), **named("orglife_compliance"),
            summary="The compliance matrix")
def compliance(request, query: Query[s.ComplianceQuery]):
    """Party organisations × periods (三会一课落实情况): the sub-organisations of `party_org` (the top of your
    scope without it), each with its own requirements per month and quarter and the counts of its whole
    subtree; ask again with a row's code to open it."""
    user = request.auth
    year, as_of = _when(query)
    parent = _party_org(user, query.party_org, "party_org") if query.party_org else None
    rows = selectors.matrix(user, year=year, as_of=as_of, parent=parent)
    return {
        "year": year, "as_of": as_of, "parent": parent.code if parent else None,
        "columns": [{"key": c.key, "start": c.period.start, "end": c.period.end} for c in selectors.columns(year)],
        "rows": [{"party_org": r.org.code, "name": r.org.name, "kind": r.org.kind, "members": r.members,
                  "has_children": r.has_children,
                  "cells": {key: [_cell(c) for c in cells] for key, cells in r.own.items()},
                  "subtree": {key: _counts(rates_) for key, rates_ in r.subtree.items()},
                  "rates": _rates(r.rates)} for r in rows],
    }


@router.get("/compliance/summary", response=responses({200: s.ComplianceSummaryOut}), **named("orglife_compliance_summary"),
            summary="Compliance and attendance rates")
def compliance_summary(request, query: Query[s.ComplianceQuery]):
    """Rates of the year for `party_org`'s subtree (all you may see without it): by meeting kind, by period,
    and members' attendance."""
    user = request.auth
    year, as_of = _when(query)
    root = _party_org(user, query.party_org, "party_org") if query.party_org else None
    found = selectors.summary(user, year=year, as_of=as_of, root=root)
    totals = selectors.attendance_totals(user, year=year, as_of=as_of, root=root)
    return {"year": year, "as_of": as_of, "organisations": found["orgs"], "total": _rates(found["total"]),
            "by_kind": {k: _rates(v) for k, v in found["by_kind"].items()},
            "by_period": {k: _rates(v) for k, v in found["by_period"].items()},
            "attendance": {k: totals[k] or 0 for k in ("present", "leave", "absent")},
            "attendance_rate": selectors.rate(totals["present"] or 0, totals["total"])}


@router.get("/gaps", response=responses({200: s.GapPage}), **named("orglife_gaps"),
            summary="Missing meetings")
def gaps(request, query: Query[s.GapQuery], page: Query[PageQuery]):
    """The requirements of the year that are missing (未开) on `as_of` — or late, or pending — by organisation and
    period: what a 通报 lists."""
    user = request.auth
    year, as_of = _when(query)
    root = _party_org(user, query.party_org, "party_org") if query.party_org else None
    found = selectors.gaps(user, year=year, as_of=as_of, root=root, statuses=(rules.Status(query.status),))
    return paginate(found, page, lambda chunk: [{
        "party_org": g.org.code, "party_org_name": g.org.name, "meeting_kind": g.cell.meeting_kind,
        "period": g.cell.period.key, "period_start": g.cell.period.start, "period_end": g.cell.period.end,
        "status": g.cell.status.value} for g in chunk])


@router.get("/attendance", response=responses({200: s.MemberAttendancePage}), **named("orglife_attendance"),
            summary="Members' attendance")
def attendance(request, query: Query[s.ComplianceQuery], page: Query[PageQuery]):
    """Each member's attendance at the year's meetings up to `as_of` (党员参会率): expected, present, on leave,
    absent."""
    user = request.auth
    year, as_of = _when(query)
    root = _party_org(user, query.party_org, "party_org") if query.party_org else None
    rows = selectors.member_attendance(user, year=year, as_of=as_of, root=root)
    return paginate(rows, page, lambda chunk: [{
        "person": r["person__employee_no"], "name": r["person__name"],
        "party_org": r["person__membership__party_org__code"],
        "party_org_name": r["person__membership__party_org__name"], "listed": r["total"], "present": r["present"],
        "leave": r["leave"], "absent": r["absent"], "rate": selectors.rate(r["present"], r["total"])} for r in chunk])
