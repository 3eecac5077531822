"""Every write of carriers and the problem ledger: one transaction each, validated, audited, and
checked against the actor's scope before and after (nobody moves a thing out of their reach).

Who may do what: whoever may change a carrier's unit or its Party organisation manages the
carrier and registers, tackles and solves the problems on it; a problem is verified (or its
solution rejected) by the unit, that is by someone who may change the problem's unit."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.core import attachments, audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.locking import lock_row
from ronghe.core.scoping import CHANGE, allows
from ronghe.org.models import Person
from ronghe.vanguard import rules
from ronghe.vanguard.models import (
    Carrier,
    CarrierMember,
    CarrierRecognition,
    CarrierReview,
    Problem,
    ProblemAttachment,
)

CARRIER_FIELDS = ["name", "kind", "unit", "party_org", "category", "production_related", "commitment", "targets",
                  "established_on", "retired_on", "status"]
CARRIER_EDITABLE = ["name", "kind", "unit", "party_org", "category", "production_related", "commitment", "targets",
                    "established_on"]
PROBLEM_FIELDS = ["title", "unit", "carrier", "raised_by", "raised_on", "category", "description", "difficulty",
                  "status", "started_on", "solution", "solved_on", "verified_on", "verification_note", "closed_on",
                  "close_reason", "oil_t", "gas_m3", "cost_saved", "other_benefit"]
PROBLEM_EDITABLE = ["title", "unit", "carrier", "raised_by", "raised_on", "category", "description", "difficulty",
                    "oil_t", "gas_m3", "cost_saved", "other_benefit", "solution"]


def _on(day):
    day = day or clock.today()
    if day > clock.today():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    return day


def person_words(person) -> str:
    return f"{person.name}（{person.employee_no}）"


# --- carriers ------------------------------------------------------------------------------------

def can_manage_carrier(actor, carrier) -> bool:
    return allows(actor, CHANGE, carrier)


def _may_host(actor, unit, party_org) -> bool:
    return allows(actor, CHANGE, unit) or allows(actor, CHANGE, party_org)


def _lock_carrier(actor, carrier):
    carrier = lock_row(carrier, "unit", "party_org__unit")
    if not can_manage_carrier(actor, carrier):
        raise OutOfScope()
    return carrier


def _check_members(lead, members) -> list:
    """The carrier's members, lead first and each once; every one an active Party member."""
    people = ([lead] if lead is not None else []) + [p for p in members if lead is None or p.pk != lead.pk]
    seen, out = set(), []
    for person in people:
        if person.pk in seen:
            raise ValidationError({"members": _("%(name)s is listed twice.") % {"name": person_words(person)}})
        seen.add(person.pk)
        out.append(person)
    ids = [p.pk for p in out]
    members_ok = set(Person.objects.filter(pk__in=ids, is_active=True, political_status__in=Person.PARTY_STATUSES,
                                           membership__isnull=False).values_list("pk", flat=True))
    for person in out:
        if person.pk not in members_ok:
            field = "lead" if lead is not None and person.pk == lead.pk else "members"
            raise ValidationError({field: _("%(name)s is not an active Party member.") % {
                "name": person_words(person)}})
    return out


def _members_after(carrier) -> dict:
    seats = list(carrier.members.select_related("person").order_by("-is_lead", "id"))
    return {"lead": next((person_words(s.person) for s in seats if s.is_lead), None),
            "members": [person_words(s.person) for s in seats]}


def _carrier_audit(actor, action, carrier, before=None, message="", extra=None):
    audit.record(actor=actor, action=f"carrier.{action}", obj=carrier, before=before,
                 after={**audit.snapshot(carrier, CARRIER_FIELDS), **(extra or {})}, message=message,
                 unit=carrier.unit, party_org=carrier.party_org)


@transaction.atomic
def carrier_create(*, actor, name, kind, party_org, established_on, unit=None, category=Carrier.Category.PRODUCTION,
                   production_related=True, commitment="", targets="", lead=None, members=()) -> Carrier:
    """A carrier of `unit` (by default the one `party_org` is attached to) and `party_org`, with
    its members, `lead` (one of them) leading it."""
    unit = unit or party_org.unit
    if not _may_host(actor, unit, party_org):
        raise ValidationError({"unit": _("No such unit or party organisation within your scope.")})
    carrier = Carrier(name=name, kind=kind, unit=unit, party_org=party_org, established_on=established_on,
                      category=category, production_related=production_related, commitment=commitment,
                      targets=targets)
    carrier.full_clean()
    people = _check_members(lead, members)
    carrier.save()
    CarrierMember.objects.bulk_create([CarrierMember(carrier=carrier, person=p, is_lead=lead is not None and
                                                     p.pk == lead.pk) for p in people])
    if not can_manage_carrier(actor, carrier):
        raise OutOfScope()
    _carrier_audit(actor, "create", carrier, extra=_members_after(carrier))
    return carrier


@transaction.atomic
def carrier_update(*, actor, carrier, **changes) -> Carrier:
    carrier = _lock_carrier(actor, carrier)
    unknown = set(changes) - set(CARRIER_EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = audit.snapshot(carrier, CARRIER_FIELDS)
    for name, value in changes.items():
        setattr(carrier, name, value)
    if ("unit" in changes or "party_org" in changes) and not _may_host(actor, carrier.unit, carrier.party_org):
        raise ValidationError({"unit": _("No such unit or party organisation within your scope.")})
    carrier.full_clean()
    carrier.save(update_fields=list(changes) or None)
    if not can_manage_carrier(actor, carrier):
        raise ValidationError({"unit": _("The carrier would leave your scope.")})
    _carrier_audit(actor, "update", carrier, before)
    return carrier


@transaction.atomic
def carrier_set_members(*, actor, carrier, lead, members) -> Carrier:
    """The carrier's members become `members` with `lead` (added if absent) leading them; a
    carrier may be left without members, and then without a lead (both are flagged)."""
    carrier = _lock_carrier(actor, carrier)
    before = _members_after(carrier)
    people = _check_members(lead, members)
    CarrierMember.objects.filter(carrier=carrier).delete()
    CarrierMember.objects.bulk_create([CarrierMember(carrier=carrier, person=p, is_lead=lead is not None and
                                                     p.pk == lead.pk) for p in people])
    audit.record(actor=actor, action="carrier.members", obj=carrier, before=before, after=_members_after(carrier),
                 unit=carrier.unit, party_org=carrier.party_org)
    return carrier


@transaction.atomic
def carrier_retire(*, actor, carrier, on=None, reason="") -> Carrier:
    carrier = _lock_carrier(actor, carrier)
    if carrier.status == Carrier.Status.RETIRED:
        raise ValidationError(_("This carrier is already retired."))
    before = audit.snapshot(carrier, CARRIER_FIELDS)
    carrier.retired_on, carrier.status = _on(on), Carrier.Status.RETIRED
    carrier.full_clean()
    carrier.save(update_fields=["retired_on", "status"])
    _carrier_audit(actor, "retire", carrier, before, message=reason)
    return carrier


@transaction.atomic
def carrier_reinstate(*, actor, carrier) -> Carrier:
    """Undo a retirement: the carrier stands again from its original establishment."""
    carrier = _lock_carrier(actor, carrier)
    if carrier.status != Carrier.Status.RETIRED:
        raise ValidationError(_("This carrier is not retired."))
    before = audit.snapshot(carrier, CARRIER_FIELDS)
    carrier.retired_on, carrier.status = None, Carrier.Status.ACTIVE
    carrier.full_clean()
    carrier.save(update_fields=["retired_on", "status"])
    _carrier_audit(actor, "reinstate", carrier, before)
    return carrier


@transaction.atomic
def carrier_review(*, actor, carrier, year, rating, comment="", on=None) -> CarrierReview:
    """The annual review (评议) of `year`; reviewing the same year again replaces it."""
    carrier = _lock_carrier(actor, carrier)
    on = _on(on)
    if year > on.year:
        raise ValidationError({"year": _("A year cannot be reviewed before it begins.")})
    if year < carrier.established_on.year:
        raise ValidationError({"year": _("The carrier did not exist in %(year)s.") % {"year": year}})
    review = CarrierReview.objects.filter(carrier=carrier, year=year).first()
    before = {"year": year, "rating": review.rating, "comment": review.comment} if review else None
    review = review or CarrierReview(carrier=carrier, year=year)
    review.rating, review.comment, review.reviewed_on, review.reviewed_by = rating, comment, on, actor
    review.full_clean(validate_constraints=False)
    review.save()
    audit.record(actor=actor, action="carrier.review", obj=carrier, before=before,
                 after={"year": year, "rating": rating, "comment": comment}, unit=carrier.unit,
                 party_org=carrier.party_org)
    return review


@transaction.atomic
def carrier_recognize(*, actor, carrier, kind, level, title, granted_on, granted_by="", document_no="") \
        -> CarrierRecognition:
    """A naming (命名) or commendation (表彰) the carrier received."""
    carrier = _lock_carrier(actor, carrier)
    _on(granted_on)
    if granted_on < carrier.established_on:
        raise ValidationError({"granted_on": _("The carrier did not exist yet on that date.")})
    recognition = CarrierRecognition(carrier=carrier, kind=kind, level=level, title=title, granted_on=granted_on,
                                     granted_by=granted_by, document_no=document_no)
    recognition.full_clean()
    recognition.save()
    audit.record(actor=actor, action="carrier.recognize", obj=carrier, after={
        "kind": kind, "level": level, "title": title, "granted_on": granted_on.isoformat(),
        "granted_by": granted_by, "document_no": document_no}, unit=carrier.unit, party_org=carrier.party_org)
    return recognition


# --- problems ------------------------------------------------------------------------------------

def can_work_on(actor, problem) -> bool:
    """Register, edit, tackle, solve and close: whoever may change the problem (its unit, or
    its carrier's Party organisation)."""
    return allows(actor, CHANGE, problem)


def can_verify(actor, problem) -> bool:
    """Verification is the unit's: the problem's unit must be within the actor's reach."""
    return allows(actor, CHANGE, problem.unit)


def _lock_problem(actor, problem, check=can_work_on):
    problem = lock_row(problem, "unit", "carrier__unit", "carrier__party_org", "raised_by")
    if not check(actor, problem):
        raise OutOfScope()
    return problem


def _problem_audit(actor, action, problem, before=None, message="", extra=None):
    audit.record(actor=actor, action=f"problem.{action}", obj=problem, before=before,
                 after={**audit.snapshot(problem, PROBLEM_FIELDS), **(extra or {})}, message=message,
                 unit=problem.unit, party_org=problem.carrier.party_org if problem.carrier_id else None)


def _workers_words(people) -> list[str]:
    return [person_words(p) for p in people]


@transaction.atomic
def problem_create(*, actor, title, raised_by, category, unit=None, raised_on=None, carrier=None, description="",
                   difficulty=Problem.Difficulty.ORDINARY, workers=()) -> Problem:
    """A problem registered (已登记) at `unit` (by default its carrier's), optionally on a
    carrier, with the people working on it."""
    if unit is None:
        if carrier is None:
            raise ValidationError({"unit": _("Name the unit or the carrier of the problem.")})
        unit = carrier.unit
    host_ok = allows(actor, CHANGE, unit) or (carrier is not None and can_manage_carrier(actor, carrier))
    if not host_ok:
        raise ValidationError({"unit": _("No such unit within your scope.")})
    problem = Problem(title=title, unit=unit, carrier=carrier, raised_by=raised_by, raised_on=_on(raised_on),
                      category=category, description=description, difficulty=difficulty)
    problem.full_clean()
    if carrier is not None and carrier.status == Carrier.Status.RETIRED:
        raise ValidationError({"carrier": _("This carrier is retired.")})
    problem.save()
    workers = list(dict.fromkeys(workers))
    problem.workers.set(workers)
    if not can_work_on(actor, problem):
        raise OutOfScope()
    _problem_audit(actor, "create", problem, extra={"workers": _workers_words(workers)})
    return problem


@transaction.atomic
def problem_update(*, actor, problem, workers=None, **changes) -> Problem:
    """Edit what a problem says (not its status: that moves by its steps); `workers`, when
    given, becomes the list of people working on it."""
    problem = _lock_problem(actor, problem)
    unknown = set(changes) - set(PROBLEM_EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "solution" in changes and problem.status not in (Problem.Status.SOLVED, Problem.Status.VERIFIED):
        raise ValidationError({"solution": _("A solution is recorded when the problem is solved.")})
    before = {**audit.snapshot(problem, PROBLEM_FIELDS), "workers": _workers_words(problem.workers.all())}
    for name, value in changes.items():
        setattr(problem, name, value)
    problem.full_clean()
    problem.save(update_fields=list(changes) or None)
    if workers is not None:
        problem.workers.set(list(dict.fromkeys(workers)))
    if not can_work_on(actor, problem):
        raise ValidationError({"unit": _("The problem would leave your scope.")})
    _problem_audit(actor, "update", problem, before, extra={"workers": _workers_words(problem.workers.all())})
    return problem


def _move(actor, problem, step, fields, message="", check=can_work_on, unless_set=None):
    """Take `step`: status moves, the given fields are set, and those of `unless_set` where the
    problem has no value yet; validated, saved and audited."""
    problem = _lock_problem(actor, problem, check)
    target = rules.target_of(step, problem.status)
    if target is None:
        raise ValidationError(_("This cannot be done to a problem that is “%(status)s”.") % {
            "status": problem.get_status_display()})
    before = audit.snapshot(problem, PROBLEM_FIELDS)
    problem.status = target
    fields = {**{k: v for k, v in (unless_set or {}).items() if getattr(problem, k) is None}, **fields}
    for name, value in fields.items():
        setattr(problem, name, value)
    problem.full_clean()
    problem.save(update_fields=["status", *fields])
    _problem_audit(actor, step, problem, before, message)
    return problem


@transaction.atomic
def problem_start(*, actor, problem, on=None) -> Problem:
    """攻关: the members start tackling the problem."""
    return _move(actor, problem, "start", {"started_on": _on(on)})


@transaction.atomic
def problem_solve(*, actor, problem, solution, on=None, oil_t=0, gas_m3=0, cost_saved=0, other_benefit="") -> Problem:
    """Solved, how, and what it was worth; the unit verifies it next."""
    on = _on(on)
    fields = {"solution": solution, "solved_on": on, "oil_t": oil_t, "gas_m3": gas_m3, "cost_saved": cost_saved,
              "other_benefit": other_benefit}
    return _move(actor, problem, "solve", fields, unless_set={"started_on": on})


@transaction.atomic
def problem_verify(*, actor, problem, note="", on=None) -> Problem:
    """The unit confirms the solution and its benefit (验收)."""
    return _move(actor, problem, "verify", {"verified_on": _on(on), "verified_by": actor, "verification_note": note},
                 message=note, check=can_verify)


@transaction.atomic
def problem_reject(*, actor, problem, note) -> Problem:
    """The unit does not accept the solution: the problem is tackled again and no longer counts
    as solved."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the solution is not accepted.")})
    return _move(actor, problem, "reject", {"solved_on": None, "verification_note": note}, message=note,
                 check=can_verify)


@transaction.atomic
def problem_close(*, actor, problem, reason, on=None) -> Problem:
    """Closed unsolved, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the problem is closed unsolved.")})
    return _move(actor, problem, "close", {"closed_on": _on(on), "close_reason": reason}, message=reason)


@transaction.atomic
def problem_reopen(*, actor, problem) -> Problem:
    """A problem closed unsolved is registered again, to be tackled afresh."""
    return _move(actor, problem, "reopen", {"closed_on": None, "close_reason": "", "started_on": None})


@transaction.atomic
def attachment_add(*, actor, problem, upload) -> ProblemAttachment:
    problem = _lock_problem(actor, problem)
    attachment = ProblemAttachment(problem=problem, uploaded_by=actor)
    stored = attachments.store(attachment, upload)
    audit.record(actor=actor, action="problem.attach", obj=problem, after=stored,
                 unit=problem.unit, party_org=problem.carrier.party_org if problem.carrier_id else None)
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment) -> None:
    problem = _lock_problem(actor, attachment.problem)
    name = attachment.name
    attachments.delete_with_file(attachment)
    audit.record(actor=actor, action="problem.detach", obj=problem, before={"file": name},
                 unit=problem.unit, party_org=problem.carrier.party_org if problem.carrier_id else None)
