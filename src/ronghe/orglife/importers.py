"""The 三会一课 ledger (三会一课台账) as a spreadsheet: one row per meeting or lesson, with its
attendance as lists of employee numbers. A row whose 记录编号 names a record within reach updates
it; a row without one creates a record. The export of the record list has the same columns, so
an exported file imports back unchanged. Checked whole in memory, written in bulk with one audit
entry for the batch."""
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core import clock
from ronghe.core.scoping import IMPORT
from ronghe.core.tabular import CHOICE, DATE, INT, Column, Importer, register
from ronghe.core.tabular.bulk import update_by_pk
from ronghe.org.models import PartyMembership, PartyOrg, Person
from ronghe.orglife.models import KINDS_BY_ORG, Attendance, Kind, Record

_BATCH = 1000
_SEPARATORS = re.compile(r"[\s,，、;；]+")
A = Attendance.Status
LISTS = (("present", A.PRESENT), ("leave", A.LEAVE), ("absent", A.ABSENT))
FIELDS = ("party_org", "kind", "held_on", "topic", "location", "host", "lecturer", "makeup_for", "minutes")

# Kind labels in the sheet are the Chinese names; the codes and English words are accepted too.
KIND_CHOICES = (
    (Kind.GENERAL_MEETING, "支部党员大会", "党员大会", "general meeting"),
    (Kind.COMMITTEE, "支委会", "支部委员会", "committee"),
    (Kind.GROUP_MEETING, "党小组会", "group meeting"),
    (Kind.LESSON, "党课", "lesson"),
    (Kind.THEME_DAY, "主题党日", "theme day"),
)


def numbers(text) -> list[str]:
    return [n for n in _SEPARATORS.split(text or "") if n]


@register
class RecordImporter(Importer):
    kind = "orglife"
    title = gettext_lazy("Organisation life records (三会一课台账)")
    sheet_title = "三会一课台账"
    key = "id"
    columns = [
        Column("id", "记录编号", aliases=("id", "record id"), type=INT, min_value=1,
               help=gettext_lazy("Leave empty for a new record; the number of an existing record updates it.")),
        Column("party_org", "党组织编码", aliases=("party org", "党组织"), required=True, max_length=64,
               example="P-CY1-B1", help=gettext_lazy("Code of the Party organisation that held it.")),
        Column("kind", "会议类型", aliases=("kind", "类型"), type=CHOICE, required=True, choices=KIND_CHOICES,
               example="支委会"),
        Column("held_on", "召开日期", aliases=("held on", "日期"), type=DATE, required=True, example="2026-03-05"),
        Column("topic", "主题", aliases=("topic", "会议主题"), required=True, max_length=300,
               example="研究发展党员工作"),
        Column("location", "地点", aliases=("location",), max_length=200, example="作业区会议室"),
        Column("host", "主持人工号", aliases=("host",), max_length=32, example="E000001"),
        Column("lecturer", "授课人工号", aliases=("lecturer",), max_length=32,
               help=gettext_lazy("Required for a Party lesson.")),
        Column("makeup_for", "补开所属日期", aliases=("make-up for", "makeup for"), type=DATE,
               help=gettext_lazy("For a meeting held late: a day of the period it makes up for.")),
        Column("present", "出席人员工号", aliases=("present",), example="E000001、E000002",
               help=gettext_lazy("Employee numbers separated by 、 , or spaces.")),
        Column("leave", "请假人员工号", aliases=("on leave", "leave")),
        Column("absent", "缺席人员工号", aliases=("absent",)),
        Column("minutes", "会议记录", aliases=("minutes",)),
    ]

    def _load(self, records):
        self.today = clock.today()
        orgs = PartyOrg.objects.all() if self.actor is None else PartyOrg.objects.restrict(self.actor, IMPORT)
        codes = {r["party_org"] for r in records if r["party_org"]}
        self.orgs = {o.code: o for o in orgs.filter(code__in=codes)}
        ids = {r["id"] for r in records if r["id"]}
        existing = Record.objects.filter(pk__in=ids).select_related("party_org")
        if self.actor is not None:
            existing = existing.filter(pk__in=Record.objects.restrict(self.actor, IMPORT).values("pk"))
        self.existing = {r.pk: r for r in existing}
        self.attendance = {}
        for record_id, person_id, status in Attendance.objects.filter(record_id__in=self.existing).values_list(
                "record_id", "person_id", "status"):
            self.attendance.setdefault(record_id, {})[person_id] = status
        wanted = set()
        for r in records:
            wanted.update(x for x in (r["host"], r["lecturer"]) if x)
            for key, _status in LISTS:
                wanted.update(numbers(r[key]))
        self.people = {p.employee_no: p for p in Person.objects.filter(employee_no__in=wanted)}
        self.member_paths = dict(PartyMembership.objects.filter(person__employee_no__in=wanted).values_list(
            "person__employee_no", "party_org__path"))

    def validate(self, records):
        self._load(records)
        self.plans = []
        for record in records:
            plan = self._check(record)
            if plan is not None:
                self.plans.append(plan)

    def _check(self, record):
        ok = True
        existing = None
        if record["id"]:
            existing = self.existing.get(record["id"])
            if existing is None:
                self.error(record, "id", _("No record %(id)s within your scope.") % {"id": record["id"]})
                ok = False
        org = self.orgs.get(record["party_org"]) if record.ok("party_org") else None
        if record.ok("party_org") and org is None:
            self.error(record, "party_org", _("No Party organisation with code “%(code)s” within your scope.")
                       % {"code": record["party_org"]})
            ok = False
        kind, held_on = record["kind"], record["held_on"]
        if org is not None and record.ok("kind") and kind not in KINDS_BY_ORG.get(org.kind, set()):
            self.error(record, "kind", _("A %(org)s does not hold a %(kind)s.") % {
                "org": org.get_kind_display(), "kind": Kind(kind).label})
            ok = False
        if record.ok("held_on") and held_on and held_on > self.today:
            self.error(record, "held_on", _("A meeting cannot be recorded before it is held."))
            ok = False
        if org is not None and held_on and org.established_on and held_on < org.established_on:
            self.error(record, "held_on", _("%(org)s was established on %(date)s.") % {
                "org": org.name, "date": org.established_on.isoformat()})
            ok = False
        if org is not None and held_on and org.abolished_on and held_on >= org.abolished_on:
            self.error(record, "held_on", _("%(org)s was abolished on %(date)s.") % {
                "org": org.name, "date": org.abolished_on.isoformat()})
            ok = False
        if record["makeup_for"] and held_on and record["makeup_for"] >= held_on:
            self.error(record, "makeup_for", _("A make-up meeting makes up for a day before it was held."))
            ok = False
        people = {}
        for key in ("host", "lecturer"):
            number = record[key]
            if number and number not in self.people:
                self.error(record, key, _("No person with employee number “%(no)s”.") % {"no": number})
                ok = False
            people[key] = self.people.get(number) if number else None
        if (kind == Kind.LESSON and (existing is None or self.has("lecturer")) and record.ok("lecturer", "kind")
                and people["lecturer"] is None):
            self.error(record, "lecturer", _("A Party lesson names its lecturer."))
            ok = False
        attendance, seen = {}, set()
        for key, status in LISTS:
            for number in numbers(record[key]):
                person = self.people.get(number)
                if person is None:
                    self.error(record, key, _("No person with employee number “%(no)s”.") % {"no": number})
                    ok = False
                elif number in seen:
                    self.error(record, key, _("%(no)s is listed twice.") % {"no": number})
                    ok = False
                elif org is not None and not self.member_paths.get(number, "").startswith(org.path):
                    self.error(record, key, _("%(name)s is not a member of %(org)s.") % {
                        "name": person.name, "org": org.name})
                    ok = False
                else:
                    attendance[person.pk] = status
                seen.add(number)
        if not ok or not record.ok(*FIELDS):
            return None
        values = {"party_org": org, "kind": kind, "held_on": held_on, "topic": record["topic"],
                  "location": record["location"] or "", "host": people["host"],
                  "lecturer": people["lecturer"] if kind == Kind.LESSON else None,
                  "makeup_for": record["makeup_for"], "minutes": record["minutes"] or ""}
        return existing, values, attendance

    def save(self, records):
        created, updated, unchanged = [], [], 0
        new_attendance = []
        for existing, values, attendance in self.plans:
            if existing is None:
                created.append((Record(created_by=self.actor if getattr(self.actor, "pk", None) else None, **values),
                                attendance))
                continue
            # Columns absent from the file leave what is stored as it is.
            values = {name: value for name, value in values.items() if self.has(name)}
            if not any(self.has(key) for key, _status in LISTS):
                attendance = self.attendance.get(existing.pk, {})
            same = all(getattr(existing, name) == value for name, value in values.items())
            if same and self.attendance.get(existing.pk, {}) == attendance:
                unchanged += 1
                continue
            for name, value in values.items():
                setattr(existing, name, value)
            updated.append((existing, attendance))
        Record.objects.bulk_create([r for r, _a in created], batch_size=_BATCH)
        update_by_pk(Record, [r for r, _a in updated],
                     [Record._meta.get_field(n).attname for n in FIELDS])
        Attendance.objects.filter(record__in=[r for r, _a in updated]).delete()
        for record, attendance in [*created, *updated]:
            new_attendance += [Attendance(record_id=record.pk, person_id=person_id, status=status)
                               for person_id, status in attendance.items()]
        Attendance.objects.bulk_create(new_attendance, batch_size=_BATCH)
        self.touched = {r.party_org for r, _a in [*created, *updated]}
        return {"created": len(created), "updated": len(updated), "unchanged": unchanged}

    def audit_scope(self):
        orgs = list(getattr(self, "touched", ()))
        if len(orgs) == 1:
            return {"party_org": orgs[0], "unit": orgs[0].unit}
        return {}


def export_rows(records):
    """Rows of `records` (with attendance and people prefetched) by the importer's column keys."""
    for record in records:
        lists = {key: [] for key, _status in LISTS}
        for a in sorted(record.attendance.all(), key=lambda a: a.person.employee_no):
            lists[{s: k for k, s in LISTS}[a.status]].append(a.person.employee_no)
        yield {"id": record.pk, "party_org": record.party_org.code, "kind": record.kind, "held_on": record.held_on,
               "topic": record.topic, "location": record.location,
               "host": record.host.employee_no if record.host_id else "",
               "lecturer": record.lecturer.employee_no if record.lecturer_id else "",
               "makeup_for": record.makeup_for, "present": "、".join(lists["present"]),
               "leave": "、".join(lists["leave"]), "absent": "、".join(lists["absent"]), "minutes": record.minutes}
