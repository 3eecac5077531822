"""The carrier register (载体台账) and the production-problem ledger (生产难题台账) as
spreadsheets. Exports use the same columns, so an exported file re-imports unchanged.

Carriers are keyed by unit and name: a row whose 单位编码 and 载体名称 name a stored carrier
updates it (and, when 负责人工号 / 成员工号 are present, replaces its members); any other row
creates one. Problems are keyed by 编号: a row with the id of a stored problem updates it, a row
without one registers a new problem. Every row is checked as the services check a single write
(dates in the order of the status flow, a solution for a solved problem, a reason for a closed
one, Party members on carriers), and against the importer's scope when run by a user."""
import datetime as dt
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core import clock
from ronghe.core.scoping import IMPORT, VIEW
from ronghe.core.tabular import BOOL, CHOICE, DATE, DECIMAL, INT, Column, Importer, register
from ronghe.core.tabular.bulk import update_by_pk
from ronghe.org.models import PartyOrg, Person, Unit
from ronghe.vanguard.models import Carrier, CarrierMember, Problem

_BATCH = 1000
_LIST = re.compile(r"[\s,，、；;]+")


def _chunks(items, size=_BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def numbers(text) -> list[str]:
    return list(dict.fromkeys(n for n in _LIST.split(text or "") if n))


def _common_unit(units):
    """The deepest unit above (or equal to) all `units`, for the batch's audit entry."""
    paths = [u.path.strip("/").split("/") for u in units]
    if not paths:
        return None
    common = []
    for segments in zip(*paths, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return Unit.objects.filter(pk=int(common[-1])).first() if common else None


class _Scoped(Importer):
    """What both importers share: units, Party organisations and people looked up by code and
    employee number, inside the actor's reach when a user runs the import."""

    def units(self):
        return Unit.objects.restrict(self.actor, IMPORT) if self.actor is not None else Unit.objects.all()

    def party_orgs(self):
        return (PartyOrg.objects.restrict(self.actor, IMPORT) if self.actor is not None
                else PartyOrg.objects.all()).select_related("unit")

    def people(self):
        return Person.objects.restrict(self.actor, VIEW) if self.actor is not None else Person.objects.all()

    def _load_people(self, wanted):
        found = {}
        for chunk in _chunks(wanted):
            for person in self.people().filter(employee_no__in=chunk).select_related("membership"):
                found[person.employee_no] = person
        return found

    def _load_nodes(self, queryset, codes):
        found = {}
        for chunk in _chunks(codes):
            for node in queryset.filter(code__in=chunk):
                found[node.code] = node
        return found

    def audit_scope(self):
        unit = _common_unit(getattr(self, "touched_units", []))
        return {"unit": unit} if unit else {}


@register
class CarrierImporter(_Scoped):
    kind = "carriers"
    title = gettext_lazy("Party-member carriers (党员载体)")
    sheet_title = "载体台账"
    audit_object_type = "vanguard.import"
    columns = [
        Column("name", "载体名称", aliases=("name", "carrier"), required=True, max_length=200,
               example="兴隆台采油厂采油一班共产党员先锋岗",
               help=gettext_lazy("Unique within its unit: with 单位编码 it names the carrier a row updates.")),
        Column("kind", "载体类型", aliases=("kind",), type=CHOICE, required=True, example="共产党员先锋岗",
               choices=((Carrier.Kind.POST, "共产党员先锋岗", "先锋岗", "post"),
                        (Carrier.Kind.ZONE, "党员责任区", "责任区", "zone"),
                        (Carrier.Kind.PROJECT, "党员先锋工程", "先锋工程", "project")),
               help=gettext_lazy("共产党员先锋岗, 党员责任区 or 党员先锋工程.")),
        Column("unit", "单位编码", aliases=("unit", "unit code"), required=True, max_length=64, example="XLT-ZY1-T1",
               help=gettext_lazy("Code of the carrier's unit.")),
        Column("party_org", "党组织编码", aliases=("party org", "party_org"), required=True, max_length=64,
               example="P-XLT-ZY1", help=gettext_lazy("Code of its Party organisation, attached to the unit or one "
                                                      "above it.")),
        Column("lead", "负责人工号", aliases=("lead",), required=True, max_length=32, example="20010123",
               help=gettext_lazy("Employee number of the lead, a Party member.")),
        Column("members", "成员工号", aliases=("members",), example="20010124、20010125",
               help=gettext_lazy("Employee numbers of the other members, Party members, separated by 、 or commas.")),
        Column("category", "类别", aliases=("category",), type=CHOICE, example="生产",
               choices=((Carrier.Category.PRODUCTION, "生产", "production"),
                        (Carrier.Category.RESEARCH, "科研", "research"),
                        (Carrier.Category.BUSINESS, "经营", "business"),
                        (Carrier.Category.SERVICE, "服务", "service"),
                        (Carrier.Category.OTHER, "其他", "other")),
               help=gettext_lazy("生产, 科研, 经营, 服务 or 其他; 生产 when blank.")),
        Column("production_related", "是否生产相关", aliases=("production related",), type=BOOL, example=True,
               help=gettext_lazy("是 or 否; when blank, 是 for the 生产 category and 否 for the others.")),
        Column("commitment", "承诺", aliases=("commitment",), example="不让一口井带病生产",
               help=gettext_lazy("The members' commitment.")),
        Column("established_on", "设立日期", aliases=("established", "established on"), type=DATE,
               example=dt.date(2025, 3, 1), help=gettext_lazy("When it was set up; today when blank.")),
    ]

    def validate(self, records):
        self.today = clock.today()
        units = self._load_nodes(self.units(), {r["unit"] for r in records if r["unit"]})
        orgs = self._load_nodes(self.party_orgs(), {r["party_org"] for r in records if r["party_org"]})
        wanted = {r["lead"] for r in records if r["lead"]} | {n for r in records for n in numbers(r["members"])}
        people = self._load_people(wanted)
        stored = defaultdict(dict)
        for chunk in _chunks([u.pk for u in units.values()]):
            for carrier in Carrier.objects.filter(unit_id__in=chunk).select_related("unit", "party_org__unit"):
                stored[carrier.unit_id][carrier.name] = carrier
        seen = {}
        self.rows = []
        for record in records:
            unit, org = units.get(record["unit"]), orgs.get(record["party_org"])
            if record.ok("unit") and record["unit"] and unit is None:
                self.error(record, "unit", _("No unit “%(code)s” within your scope.") % {"code": record["unit"]})
            if record.ok("party_org") and record["party_org"] and org is None:
                self.error(record, "party_org", _("No party organisation “%(code)s” within your scope.") % {
                    "code": record["party_org"]})
            lead = self._member(record, "lead", record["lead"], people) if record.ok("lead") else None
            members = [self._member(record, "members", n, people) for n in numbers(record["members"])]
            if unit is None or org is None or not record.ok("name", "kind"):
                continue
            key = (unit.pk, record["name"])
            if key in seen:
                self.error(record, "name", _("“%(name)s” of %(unit)s appears more than once in the file (also row "
                                             "%(row)d).") % {"name": record["name"], "unit": unit.code,
                                                             "row": seen[key]})
                continue
            seen[key] = record.row
            existing = stored[unit.pk].get(record["name"])
            carrier = self._as_it_will_be(record, existing, unit, org)
            try:
                carrier.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    column = field if field in self._by_key else ""
                    for message in messages:
                        self.error(record, column, message)
                continue
            seated = {p.pk: p for p in [lead, *members] if p is not None}
            self.rows.append({"record": record, "carrier": carrier, "existing": existing, "lead": lead,
                              "members": list(seated.values())})

    def _member(self, record, key, number, people):
        person = people.get(number)
        if person is None:
            self.error(record, key, _("No person with employee number %(no)s within your scope.") % {"no": number})
            return None
        if not (person.is_active and person.is_party_member and hasattr(person, "membership")):
            self.error(record, key, _("%(name)s (%(no)s) is not an active Party member.") % {
                "name": person.name, "no": number})
            return None
        return person

    def _as_it_will_be(self, record, existing, unit, org):
        if existing is not None:
            carrier = Carrier(**{f.attname: getattr(existing, f.attname) for f in Carrier._meta.concrete_fields})
        else:
            carrier = Carrier(name=record["name"], status=Carrier.Status.ACTIVE)
        carrier.unit, carrier.party_org, carrier.kind = unit, org, record["kind"]
        if self.has("category") and record.ok("category"):
            carrier.category = record["category"] or Carrier.Category.PRODUCTION
        elif existing is None:
            carrier.category = Carrier.Category.PRODUCTION
        if self.has("production_related") and record.ok("production_related") and \
                record["production_related"] is not None:
            carrier.production_related = record["production_related"]
        elif existing is None or (self.has("category") and record["production_related"] is None):
            carrier.production_related = carrier.category == Carrier.Category.PRODUCTION
        if self.has("commitment") and record.ok("commitment"):
            carrier.commitment = record["commitment"] or ""
        if self.has("established_on") and record.ok("established_on") and record["established_on"]:
            carrier.established_on = record["established_on"]
        elif existing is None:
            carrier.established_on = self.today
        return carrier

    FIELDS = ["kind", "party_org", "category", "production_related", "commitment", "established_on"]

    def save(self, records):
        new = [row for row in self.rows if row["existing"] is None]
        Carrier.objects.bulk_create([row["carrier"] for row in new], batch_size=_BATCH)
        changed = [row for row in self.rows if row["existing"] is not None
                   and any(getattr(row["existing"], f) != getattr(row["carrier"], f) for f in self.FIELDS)]
        update_by_pk(Carrier, [row["carrier"] for row in changed], self.FIELDS)
        replace = [row for row in self.rows if row["existing"] is not None and self._members_differ(row)]
        CarrierMember.objects.filter(carrier_id__in=[row["carrier"].pk for row in replace]).delete()
        seats = []
        for row in new + replace:
            for person in row["members"]:
                seats.append(CarrierMember(carrier=row["carrier"], person=person,
                                           is_lead=row["lead"] is not None and person.pk == row["lead"].pk))
        CarrierMember.objects.bulk_create(seats, batch_size=_BATCH)
        self.touched_units = list({row["carrier"].unit_id: row["carrier"].unit for row in self.rows}.values())
        updated = len({row["carrier"].pk for row in changed + replace})
        return {"created": len(new), "updated": updated, "unchanged": len(self.rows) - len(new) - updated}

    def _members_differ(self, row) -> bool:
        if not self.has("members") and not self.has("lead"):
            return False
        wanted = {(p.pk, row["lead"] is not None and p.pk == row["lead"].pk) for p in row["members"]}
        return wanted != set(row["existing"].members.values_list("person_id", "is_lead"))

    @classmethod
    def rows_of(cls, carriers) -> list[dict]:
        """Export rows of carriers fetched with `selectors.with_members`."""
        out = []
        for c in carriers:
            seats = list(c.members.all())
            lead = next((s.person for s in seats if s.is_lead), None)
            out.append({"name": c.name, "kind": c.kind, "unit": c.unit.code, "party_org": c.party_org.code,
                        "lead": lead.employee_no if lead else "",
                        "members": "、".join(s.person.employee_no for s in seats if not s.is_lead),
                        "category": c.category, "production_related": c.production_related,
                        "commitment": c.commitment, "established_on": c.established_on})
        return out


STATUS_CHOICES = ((Problem.Status.OPEN, "已登记", "open", "待攻关"), (Problem.Status.TACKLING, "攻关中", "tackling"),
                  (Problem.Status.SOLVED, "已解决", "solved"), (Problem.Status.VERIFIED, "已验收", "verified", "已验证"),
                  (Problem.Status.CLOSED, "未解决关闭", "closed", "已关闭"))


@register
class ProblemImporter(_Scoped):
    kind = "problems"
    title = gettext_lazy("Production-problem ledger (生产难题台账)")
    sheet_title = "生产难题台账"
    audit_object_type = "vanguard.import"
    key = "id"
    columns = [
        Column("id", "编号", aliases=("id",), type=INT, min_value=1,
               help=gettext_lazy("Blank for a new problem; the id of a stored one to update it (as exported).")),
        Column("title", "难题名称", aliases=("title",), required=True, max_length=200, example="抽油机井频繁躺井",
               help=gettext_lazy("What the problem is.")),
        Column("unit", "单位编码", aliases=("unit",), required=True, max_length=64, example="XLT-ZY1",
               help=gettext_lazy("Code of the unit where it arose.")),
        Column("carrier", "载体名称", aliases=("carrier",), max_length=200, example="兴隆台采油厂采油一班共产党员先锋岗",
               help=gettext_lazy("The carrier that took it on, of the unit, above it or below it.")),
        Column("raised_by", "提出人工号", aliases=("raised by",), required=True, max_length=32, example="20010123",
               help=gettext_lazy("Employee number of who raised it.")),
        Column("raised_on", "提出日期", aliases=("raised on",), type=DATE, required=True, example=dt.date(2026, 1, 8)),
        Column("category", "类别", aliases=("category",), type=CHOICE, required=True, example="设备",
               choices=((Problem.Category.TECHNICAL, "技术", "technical"), (Problem.Category.PROCESS, "工艺", "process"),
                        (Problem.Category.EQUIPMENT, "设备", "equipment"),
                        (Problem.Category.MANAGEMENT, "管理", "management"),
                        (Problem.Category.SAFETY, "安全", "safety"), (Problem.Category.OTHER, "其他", "other"))),
        Column("difficulty", "难度", aliases=("difficulty",), type=CHOICE, example="一般",
               choices=((Problem.Difficulty.ORDINARY, "一般", "ordinary"), (Problem.Difficulty.HARD, "较难", "hard"),
                        (Problem.Difficulty.MAJOR, "重大", "major")), help=gettext_lazy("一般 when blank.")),
        Column("description", "问题描述", aliases=("description",), example="平衡率低，月均躺井3次"),
        Column("workers", "攻关人员工号", aliases=("workers",), example="20010124、20010125",
               help=gettext_lazy("Employee numbers of the people working on it, separated by 、 or commas.")),
        Column("status", "状态", aliases=("status",), type=CHOICE, choices=STATUS_CHOICES, example="已解决",
               help=gettext_lazy("已登记 when blank.")),
        Column("started_on", "攻关日期", aliases=("started on",), type=DATE, example=dt.date(2026, 1, 10)),
        Column("solution", "解决措施", aliases=("solution",), example="调整平衡块，优化参数",
               help=gettext_lazy("Required for a solved or verified problem.")),
        Column("solved_on", "解决日期", aliases=("solved on",), type=DATE, example=dt.date(2026, 3, 2)),
        Column("verified_on", "验收日期", aliases=("verified on",), type=DATE),
        Column("closed_on", "关闭日期", aliases=("closed on",), type=DATE),
        Column("close_reason", "关闭原因", aliases=("close reason",)),
        Column("oil_t", "增油(吨)", aliases=("oil", "增油"), type=DECIMAL, min_value=0, example=12.5),
        Column("gas_m3", "增气(立方米)", aliases=("gas", "增气"), type=DECIMAL, min_value=0, example=0),
        Column("cost_saved", "节约成本(元)", aliases=("cost saved", "节约成本"), type=DECIMAL, min_value=0,
               example=36000),
        Column("other_benefit", "其他效益", aliases=("other benefit",), example="躺井率下降60%"),
    ]
    PLAIN = ["title", "raised_on", "category", "difficulty", "description", "status", "started_on", "solution",
             "solved_on", "verified_on", "closed_on", "close_reason", "oil_t", "gas_m3", "cost_saved",
             "other_benefit"]

    def validate(self, records):
        units = self._load_nodes(self.units(), {r["unit"] for r in records if r["unit"]})
        wanted = {r["raised_by"] for r in records if r["raised_by"]} | {n for r in records for n in numbers(r["workers"])}
        people = self._load_people(wanted)
        carrier_names = {r["carrier"] for r in records if r["carrier"]}
        carriers = defaultdict(list)
        for chunk in _chunks(carrier_names):
            for c in Carrier.objects.filter(name__in=chunk).select_related("unit", "party_org"):
                carriers[c.name].append(c)
        ids = [r["id"] for r in records if r["id"]]
        stored = {}
        scoped = Problem.objects.restrict(self.actor, IMPORT) if self.actor is not None else Problem.objects.all()
        for chunk in _chunks(ids):
            for p in scoped.filter(pk__in=chunk).select_related("unit", "carrier__unit").prefetch_related("workers"):
                stored[p.pk] = p
        self.rows = []
        for record in records:
            unit = units.get(record["unit"])
            if record.ok("unit") and record["unit"] and unit is None:
                self.error(record, "unit", _("No unit “%(code)s” within your scope.") % {"code": record["unit"]})
            existing = stored.get(record["id"]) if record["id"] else None
            if record["id"] and existing is None:
                self.error(record, "id", _("No problem %(id)s within your scope.") % {"id": record["id"]})
            raised_by = people.get(record["raised_by"]) if record["raised_by"] else None
            if record["raised_by"] and raised_by is None:
                self.error(record, "raised_by", _("No person with employee number %(no)s within your scope.") % {
                    "no": record["raised_by"]})
            workers = []
            for number in numbers(record["workers"]):
                if number in people:
                    workers.append(people[number])
                else:
                    self.error(record, "workers", _("No person with employee number %(no)s within your scope.") % {
                        "no": number})
            carrier = self._carrier(record, unit, carriers) if unit is not None else None
            if unit is None or raised_by is None or (record["id"] and existing is None):
                continue
            problem = self._as_it_will_be(record, existing, unit, carrier, raised_by)
            try:
                problem.full_clean(exclude=["verified_by"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    if field in self._by_key and not record.ok(field):
                        continue
                    for message in messages:
                        self.error(record, field if field in self._by_key else "", message)
                continue
            self.rows.append({"record": record, "problem": problem, "existing": existing, "workers": workers})
        today = clock.today()
        for row in self.rows:
            for name in ("raised_on", "started_on", "solved_on", "verified_on", "closed_on"):
                day = getattr(row["problem"], name)
                if day is not None and day > today:
                    self.error(row["record"], name, _("The date cannot be in the future."))

    def _carrier(self, record, unit, carriers):
        if not record["carrier"]:
            return None
        found = [c for c in carriers.get(record["carrier"], [])
                 if unit.path.startswith(c.unit.path) or c.unit.path.startswith(unit.path)]
        if len(found) != 1:
            self.error(record, "carrier", _("No single carrier “%(name)s” of this unit, above it or below it.") % {
                "name": record["carrier"]} if not found else _("Several carriers are called “%(name)s” along this "
                                                              "unit's line: rename one.") % {"name": record["carrier"]})
            record.bad.add("carrier")
            return None
        return found[0]

    def _as_it_will_be(self, record, existing, unit, carrier, raised_by):
        if existing is not None:
            problem = Problem(**{f.attname: getattr(existing, f.attname) for f in Problem._meta.concrete_fields})
        else:
            problem = Problem(status=Problem.Status.OPEN, difficulty=Problem.Difficulty.ORDINARY)
        problem.unit, problem.raised_by = unit, raised_by
        if self.has("carrier") and record.ok("carrier"):
            problem.carrier = carrier
        for key in self.PLAIN:
            if not self.has(key) or not record.ok(key):
                continue
            value = record[key]
            if key in ("oil_t", "gas_m3", "cost_saved"):
                value = value if value is not None else 0
            elif key == "status":
                value = value or Problem.Status.OPEN
            elif key == "difficulty":
                value = value or Problem.Difficulty.ORDINARY
            elif value is None and key not in ("started_on", "solved_on", "verified_on", "closed_on"):
                value = ""
            setattr(problem, key, value)
        return problem

    def save(self, records):
        new = [row for row in self.rows if row["existing"] is None]
        Problem.objects.bulk_create([row["problem"] for row in new], batch_size=_BATCH)
        fields = ["unit", "carrier", "raised_by", *self.PLAIN]
        changed = [row for row in self.rows if row["existing"] is not None and any(
            getattr(row["existing"], Problem._meta.get_field(f).attname) != getattr(
                row["problem"], Problem._meta.get_field(f).attname) for f in fields)]
        update_by_pk(Problem, [row["problem"] for row in changed], fields)
        through = Problem.workers.through
        relink = [row for row in self.rows if row["existing"] is None or (
            self.has("workers") and {p.pk for p in row["workers"]} != {w.pk for w in row["existing"].workers.all()})]
        through.objects.filter(problem_id__in=[row["problem"].pk for row in relink if row["existing"]]).delete()
        through.objects.bulk_create([through(problem_id=row["problem"].pk, person_id=p.pk)
                                     for row in relink for p in dict.fromkeys(row["workers"])], batch_size=_BATCH)
        self.touched_units = list({row["problem"].unit_id: row["problem"].unit for row in self.rows}.values())
        updated = len({row["problem"].pk for row in changed} | {row["problem"].pk for row in relink
                                                                 if row["existing"]})
        return {"created": len(new), "updated": updated, "unchanged": len(self.rows) - len(new) - updated}

    @classmethod
    def rows_of(cls, problems) -> list[dict]:
        """Export rows of problems fetched with their unit, carrier, raiser and workers."""
        return [{"id": p.pk, "title": p.title, "unit": p.unit.code, "carrier": p.carrier.name if p.carrier_id else "",
                 "raised_by": p.raised_by.employee_no, "raised_on": p.raised_on, "category": p.category,
                 "difficulty": p.difficulty, "description": p.description,
                 "workers": "、".join(w.employee_no for w in p.workers.all()), "status": p.status,
                 "started_on": p.started_on, "solution": p.solution, "solved_on": p.solved_on,
                 "verified_on": p.verified_on, "closed_on": p.closed_on, "close_reason": p.close_reason,
                 "oil_t": p.oil_t, "gas_m3": p.gas_m3, "cost_saved": p.cost_saved, "other_benefit": p.other_benefit}
                for p in problems]

