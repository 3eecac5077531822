"""Every write of 三会一课: records with their attendance, their photos, and the company-wide
rules. One transaction each, validated, audited, the actor's scope checked before and after."""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ronghe.core import attachments, audit, clock
from ronghe.core.errors import OutOfScope
from ronghe.core.scoping import CHANGE, VIEW, allows, scope_for
from ronghe.org.models import PartyMembership, PartyOrg, Person
from ronghe.orglife.models import KINDS_BY_ORG, Attendance, Kind, Photo, Record, Rule

RECORD_FIELDS = ["party_org", "kind", "held_on", "makeup_for", "topic", "location", "host", "lecturer", "minutes"]
EDITABLE = set(RECORD_FIELDS)
RULE_FIELDS = ["org_kind", "meeting_kind", "frequency", "min_count", "exempt_below_members", "active"]
RULE_EDITABLE = {"frequency", "min_count", "exempt_below_members", "active"}
PHOTO_TYPES = {"jpeg", "png", "gif", "webp"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def _require(actor, obj):
    if not allows(actor, CHANGE, obj):
        raise OutOfScope()


def members_of(party_org: PartyOrg):
    """The Party members of an organisation and the organisations under it (a branch's members
    include those of its 党小组), active people only."""
    return (Person.objects.filter(membership__party_org__path__startswith=party_org.path, is_active=True)
            .select_related("membership__party_org").order_by("employee_no"))


def _check_person(actor, person, party_org, field):
    """A host or lecturer is a member of the organisation or someone the actor may see (a
    committee secretary giving a branch its lesson)."""
    if person is None:
        return
    member = PartyMembership.objects.filter(person=person, party_org__path__startswith=party_org.path).exists()
    if not member and not allows(actor, VIEW, person):
        raise ValidationError({field: _("No such person within your scope.")})


def _check_attendance(party_org, attendance):
    people = [person for person, _status in attendance]
    ids = [p.pk for p in people]
    if len(ids) != len(set(ids)):
        raise ValidationError({"attendance": _("Each person is listed once.")})
    statuses = {status for _person, status in attendance}
    if not statuses <= set(Attendance.Status.values):
        raise ValidationError({"attendance": _("Attendance is present, on leave or absent.")})
    members = set(PartyMembership.objects.filter(person_id__in=ids, party_org__path__startswith=party_org.path)
                  .values_list("person_id", flat=True))
    strangers = [p.name for p in people if p.pk not in members]
    if strangers:
        raise ValidationError({"attendance": _("Not members of %(org)s: %(names)s") % {
            "org": party_org.name, "names": "、".join(strangers)}})


def _validate(record: Record, actor):
    record.full_clean()
    org = record.party_org
    if record.kind not in KINDS_BY_ORG.get(org.kind, set()):
        raise ValidationError({"kind": _("A %(org)s does not hold a %(kind)s.") % {
            "org": org.get_kind_display(), "kind": record.get_kind_display()}})
    if record.held_on > clock.today():
        raise ValidationError({"held_on": _("A meeting cannot be recorded before it is held.")})
    if org.established_on and record.held_on < org.established_on:
        raise ValidationError({"held_on": _("%(org)s was established on %(date)s.") % {
            "org": org.name, "date": org.established_on.isoformat()}})
    if org.abolished_on and record.held_on >= org.abolished_on:
        raise ValidationError({"held_on": _("%(org)s was abolished on %(date)s.") % {
            "org": org.name, "date": org.abolished_on.isoformat()}})
    if record.kind != Kind.LESSON and record.lecturer_id:
        record.lecturer = None
    _check_person(actor, record.host, org, "host")
    _check_person(actor, record.lecturer, org, "lecturer")


def _state(record: Record) -> dict:
    state = audit.snapshot(record, RECORD_FIELDS)
    state["attendance"] = {str(person_id): status for person_id, status in
                           Attendance.objects.filter(record=record).order_by("person_id")
                           .values_list("person_id", "status")}
    return state


def _set_attendance(record, attendance):
    Attendance.objects.filter(record=record).delete()
    Attendance.objects.bulk_create([Attendance(record=record, person=person, status=status)
                                    for person, status in attendance])


def _audit(actor, action, record, before=None, after=None, message=""):
    audit.record(actor=actor, action=f"orglife.{action}", obj=record, before=before, after=after, message=message,
                 unit=record.party_org.unit, party_org=record.party_org)


@transaction.atomic
def record_create(*, actor, party_org, kind, held_on: dt.date, topic, location="", host=None, lecturer=None,
                  minutes="", makeup_for=None, attendance=()) -> Record:
    """A meeting or lesson held, with its attendance: (person, "present" | "leave" | "absent")
    for every member expected."""
    if not allows(actor, CHANGE, party_org):
        raise ValidationError({"party_org": _("No such Party organisation within your scope.")})
    record = Record(party_org=party_org, kind=kind, held_on=held_on, topic=topic, location=location, host=host,
                    lecturer=lecturer, minutes=minutes, makeup_for=makeup_for, created_by=actor)
    _validate(record, actor)
    attendance = list(attendance)
    _check_attendance(party_org, attendance)
    record.save()
    _set_attendance(record, attendance)
    _audit(actor, "create", record, after=_state(record))
    _require(actor, record)
    return record


@transaction.atomic
def record_update(*, actor, record: Record, attendance=None, **changes) -> Record:
    """Change what a record says; `attendance`, when given, replaces the whole list."""
    _require(actor, record)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    record = Record.objects.select_for_update().select_related("party_org__unit").get(pk=record.pk)
    before = _state(record)
    if "party_org" in changes and changes["party_org"] != record.party_org and not allows(
            actor, CHANGE, changes["party_org"]):
        raise ValidationError({"party_org": _("No such Party organisation within your scope.")})
    for name, value in changes.items():
        setattr(record, name, value)
    _validate(record, actor)
    if attendance is not None:
        attendance = list(attendance)
        _check_attendance(record.party_org, attendance)
    elif "party_org" in changes:
        kept = [(a.person, a.status) for a in record.attendance.select_related("person")]
        _check_attendance(record.party_org, kept)
    record.save()
    if attendance is not None:
        _set_attendance(record, attendance)
    after = _state(record)
    if after != before:
        _audit(actor, "update", record, before=before, after=after)
    _require(actor, record)
    return record


@transaction.atomic
def record_delete(*, actor, record: Record, reason="") -> None:
    """Remove a record entered by mistake; the audit trail keeps what it said."""
    _require(actor, record)
    before = _state(record)
    _audit(actor, "delete", record, before=before, message=reason)
    for photo in record.photos.all():
        transaction.on_commit(lambda name=photo.image.name, storage=photo.image.storage: storage.delete(name))
    record.delete()


def _image_type(upload) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = (image.format or "").lower()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return kind if kind in PHOTO_TYPES else None


@transaction.atomic
def photo_add(*, actor, record: Record, image, caption="") -> Photo:
    _require(actor, record)
    if image.size > MAX_PHOTO_BYTES:
        raise ValidationError({"image": _("A photo is at most 10 MB.")})
    if _image_type(image) is None:
        raise ValidationError({"image": _("Upload a JPEG, PNG, GIF or WebP picture.")})
    photo = Photo(record=record, image=image, caption=caption)
    photo.full_clean(exclude=["image"])
    photo.save()
    audit.record(actor=actor, action="orglife.photo_add", obj=record, after={"photo": photo.image.name,
                                                                             "caption": caption},
                 unit=record.party_org.unit, party_org=record.party_org)
    return photo


@transaction.atomic
def photo_remove(*, actor, photo: Photo) -> None:
    record = photo.record
    _require(actor, record)
    audit.record(actor=actor, action="orglife.photo_remove", obj=record,
                 before={"photo": photo.image.name, "caption": photo.caption},
                 unit=record.party_org.unit, party_org=record.party_org)
    attachments.delete_with_file(photo, "image")


def can_change_rules(actor) -> bool:
    """The rules bind the whole company: only those whose scope is everything set them."""
    return scope_for(actor, CHANGE).everything


@transaction.atomic
def rule_update(*, actor, rule: Rule, **changes) -> Rule:
    if not can_change_rules(actor):
        raise PermissionDenied(_("Only a system administrator sets the rules of organisation life."))
    unknown = set(changes) - RULE_EDITABLE
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    before = audit.snapshot(rule, RULE_FIELDS)
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save(update_fields=list(changes) or None)
    after = audit.snapshot(rule, RULE_FIELDS)
    if after != before:
        audit.record(actor=actor, action="orglife.rule_update", obj=rule, before=before, after=after)
    return rule
