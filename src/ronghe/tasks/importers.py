"""The decomposition table (重点任务分解表): a plan's tasks as spreadsheet rows.

序号 gives the tree (1, 1.1, 1.1.2 …) within the plan named by 所属方案; a row whose (plan, 序号)
exists updates that task, otherwise it creates one, as a draft, with the checks of
`services.task_create`. Only columns present in the file are written, so the 督办台账
(exporters.ledger_xlsx), whose first columns are these, re-imports unchanged. Only drafts can be
changed by an import: a row identical to an issued task is counted unchanged, a row that differs
from one is an error, since an issued task changes only through its own steps (extension, …).

所属方案 names a plan the actor may manage (IMPORT and CHANGE over the plan's unit). When no
such plan has that name, a master plan is created, owned by the actor's own unit (for the
system, without --user: the single top-level unit) — but only when that unit is unambiguous and
in the actor's reach; otherwise the row is an error and the plan must be created first.

People are written as 工号, 姓名 or 姓名(工号); units as code or name. A name that fits several
people or units is an error naming the candidates."""
import datetime as dt
import re
import unicodedata
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core import audit, clock
from ronghe.core.scoping import CHANGE, IMPORT, allows
from ronghe.core.tabular import CHOICE, DATE, TEXT, CellError, Column, Importer, register
from ronghe.core.tabular.bulk import update_by_pk
from ronghe.core.tabular.columns import parse_date
from ronghe.org.models import Person, Unit
from ronghe.tasks.models import Cycle, Milestone, Plan, Task, TeamMember
from ronghe.tasks.services import PLAN_AUDIT_FIELDS

_BATCH = 1000
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
_LIST_SEPARATORS = re.compile(r"[、；;，,\n]+")
_NODE_SEPARATORS = re.compile(r"[；;\n]+")
_PERSON_WITH_NO = re.compile(r"^(?P<name>[^()（）]+?)\s*[(（]\s*(?P<no>[^()（）\s]+)\s*[)）]$")
_ROLE = re.compile(r"^(?P<role>[^：:]{1,64})\s*[：:]\s*(?P<who>.+)$")
_NODE = re.compile(r"^[✓√]?\s*(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?)\s*[：:，,]?\s*"
                   r"(?P<text>.*)$", re.S)
DONE_MARK = "✓"
_CANDIDATES_SHOWN = 5

# The task's fields each column writes, for comparing a row with a stored task.
PLAIN_KEYS = ("name", "goal", "measures", "start_date", "deadline", "cycle")
PERSON_KEYS = ("leader", "responsible")
COLUMN_OF_FIELD = {"name": "name", "goal": "goal", "measures": "measures", "start_date": "start_date",
                   "deadline": "deadline", "cycle": "cycle", "number": "number"}


def _chunks(items, size=_BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def canonical_number(text: str) -> str:
    """“1.02” → “1.2”; full-width digits and a trailing “.” or “、” are accepted. Raises CellError."""
    text = unicodedata.normalize("NFKC", text or "").strip().rstrip(".、")
    if not _NUMBER.match(text):
        raise CellError(_("Write the number as 1, 1.1, 1.1.2 …"))
    return ".".join(str(int(part)) for part in text.split("."))


def number_key(number: str) -> tuple:
    """Sort key of a 序号: numerically by level, unparseable numbers last."""
    try:
        return (0, tuple(int(p) for p in canonical_number(number).split(".")))
    except CellError:
        return (1, number)


def parent_number(number: str) -> str | None:
    return number.rsplit(".", 1)[0] if "." in number else None


def person_ref(person) -> str:
    """How a person is written in the table: unambiguous and readable."""
    return f"{person.name}（{person.employee_no}）"


def node_text(milestone) -> str:
    mark = f"{DONE_MARK} " if milestone.done_on else ""
    return f"{mark}{milestone.due.isoformat()} {milestone.description}"


def split_list(text: str) -> list[str]:
    return [item.strip() for item in _LIST_SEPARATORS.split(text or "") if item.strip()]


def parse_nodes(text: str) -> list[tuple[dt.date, str]]:
    """“2026-03-31 完成方案审批；2026-06-30 …” → [(date, description)]. Raises CellError."""
    nodes = []
    for item in _NODE_SEPARATORS.split(text or ""):
        item = item.strip()
        if not item:
            continue
        match = _NODE.match(item)
        if not match:
            raise CellError(_("“%(item)s”: write each node as a date and what is due, e.g. "
                              "“2026-03-31 完成方案审批”.") % {"item": item})
        due = parse_date(re.sub(r"\s+", "", match["date"]))
        description = match["text"].strip()
        if not description:
            raise CellError(_("“%(item)s”: say what is due on that date.") % {"item": item})
        if len(description) > 300:
            raise CellError(_("Too long: at most %(max)d characters.") % {"max": 300})
        nodes.append((due, description))
    return nodes


class Directory:
    """People and units named in the file, looked up once; names resolved in memory."""

    def __init__(self, person_tokens, unit_tokens):
        numbers, names = set(), set()
        for token in person_tokens:
            match = _PERSON_WITH_NO.match(token)
            if match:
                numbers.add(match["no"])
                names.add(match["name"].strip())
            else:
                numbers.add(token)
                names.add(token)
        self.by_no, self.by_name = {}, defaultdict(list)
        for chunk in _chunks(numbers | names):
            for person in (Person.objects.filter(Q(employee_no__in=chunk) | Q(name__in=chunk), is_active=True)
                           .select_related("unit").order_by("employee_no")):
                self.by_no[person.employee_no] = person
                if person not in self.by_name[person.name]:
                    self.by_name[person.name].append(person)
        self.units_by_code, self.units_by_name = {}, defaultdict(list)
        for chunk in _chunks(set(unit_tokens)):
            for unit in (Unit.objects.filter(Q(code__in=chunk) | Q(name__in=chunk))
                         .select_related("parent").order_by("path")):
                self.units_by_code[unit.code] = unit
                if unit.abolished_on is None and unit not in self.units_by_name[unit.name]:
                    self.units_by_name[unit.name].append(unit)

    @staticmethod
    def _shown(items, describe) -> str:
        text = "、".join(describe(item) for item in items[:_CANDIDATES_SHOWN])
        return text + ("…" if len(items) > _CANDIDATES_SHOWN else "")

    def person(self, token: str) -> Person:
        """The one person a token names. Raises CellError."""
        match = _PERSON_WITH_NO.match(token)
        if match:
            name, number = match["name"].strip(), match["no"]
            person = self.by_no.get(number)
            if person is None:
                raise CellError(_("No person with the employee number %(no)s.") % {"no": number})
            if person.name != name:
                raise CellError(_("%(no)s is %(actual)s, not %(name)s.") % {
                    "no": number, "actual": person.name, "name": name})
            return person
        if token in self.by_no:
            return self.by_no[token]
        candidates = self.by_name.get(token, [])
        if not candidates:
            raise CellError(_("No person “%(value)s”: write an employee number (工号) or a name.") % {"value": token})
        if len(candidates) > 1:
            raise CellError(_("“%(value)s” could be %(candidates)s: write 姓名(工号).") % {
                "value": token,
                "candidates": self._shown(candidates, lambda p: f"{p.name}（{p.employee_no}，{p.unit.name}）")})
        return candidates[0]

    def unit(self, token: str) -> Unit:
        """The one active unit a code or name names. Raises CellError."""
        unit = self.units_by_code.get(token)
        if unit is None:
            candidates = self.units_by_name.get(token, [])
            if not candidates:
                raise CellError(_("No unit “%(value)s”: write its code or name.") % {"value": token})
            if len(candidates) > 1:
                raise CellError(_("“%(value)s” could be %(candidates)s: write the unit's code.") % {
                    "value": token, "candidates": self._shown(
                        candidates, lambda u: f"{u.name}（{u.code}，{u.parent.name if u.parent_id else '-'}）")})
            unit = candidates[0]
        if unit.abolished_on is not None:
            raise CellError(_("“%(value)s” is abolished.") % {"value": token})
        return unit


@register
class TaskImporter(Importer):
    kind = "tasks"
    title = gettext_lazy("Key tasks (重点任务分解表)")
    sheet_title = "重点任务分解表"
    audit_object_type = "tasks.import"
    columns = [
        Column("number", "序号", aliases=("number", "no", "no."), required=True, max_length=32, example="1.1",
               help=gettext_lazy("The task's place in the plan: 1, 2 … for key tasks, 1.1, 1.2 … for their "
                                 "sub-tasks, and so on. A sub-task's parent must be in the file or in the plan. "
                                 "With 所属方案 it is the key: a row whose plan and number exist updates that task.")),
        Column("plan", "所属方案", aliases=("plan",), required=True, max_length=200, example="三项制度改革总方案",
               help=gettext_lazy("Name of a plan you may manage. A plan of that name is created, owned by your "
                                 "own unit, when there is none.")),
        Column("name", "任务名称", aliases=("task", "task name", "name"), required=True, max_length=300,
               example="压减二级单位机构", help=gettext_lazy("What is to be done.")),
        Column("goal", "工作目标", aliases=("goal",), example="二级单位机构压减20%",
               help=gettext_lazy("The goal (目标).")),
        Column("measures", "主要措施", aliases=("measures",), example="制定机构优化方案，分批实施",
               help=gettext_lazy("The measures (措施).")),
        Column("leader", "分管领导", aliases=("leader", "leader in charge"), required=True, max_length=100,
               example="刘国强（10010001）",
               help=gettext_lazy("The company leader in charge: 工号, 姓名 or 姓名(工号).")),
        Column("lead_unit", "牵头部门", aliases=("lead unit", "lead department"), required=True, max_length=200,
               example="企管法规部", help=gettext_lazy("The lead unit: its code or name.")),
        Column("co_units", "配合部门", aliases=("co-operating units", "co units"), example="改革办、财务处",
               help=gettext_lazy("Co-operating units, codes or names separated by 、 or ；.")),
        Column("responsible", "责任人", aliases=("responsible", "responsible person"), required=True,
               max_length=100, example="李明", help=gettext_lazy("The responsible person: 工号, 姓名 or 姓名(工号).")),
        Column("team", "专项领导小组成员", aliases=("team", "team members"), example="组长：刘国强、副组长：李明、张华",
               help=gettext_lazy("Members of the special leading group, separated by 、 or ；; each may start "
                                 "with a role and a colon, e.g. 组长：刘国强.")),
        Column("start_date", "开始日期", aliases=("start", "start date"), type=DATE, example=dt.date(2026, 3, 1),
               help=gettext_lazy("When the work starts; the issue date when blank.")),
        Column("deadline", "完成时限", aliases=("deadline",), type=DATE, required=True,
               example=dt.date(2026, 12, 31), help=gettext_lazy("Cannot be before the start date.")),
        Column("milestones", "节点", aliases=("milestones", "nodes"), type=TEXT,
               example="2026-03-31 完成方案审批；2026-06-30 完成机构调整",
               help=gettext_lazy("Milestones: a date and what is due, several separated by ； or new lines; "
                                 "between the start date and the deadline.")),
        Column("cycle", "汇报周期", aliases=("cycle", "reporting cycle"), type=CHOICE, example="每月",
               choices=((Cycle.WEEKLY, "每周", "weekly", "周"), (Cycle.HALF_MONTHLY, "每半月", "每半个月", "半月",
                                                                "half-monthly"),
                        (Cycle.MONTHLY, "每月", "monthly", "月"), (Cycle.QUARTERLY, "每季度", "每季", "季度",
                                                                  "quarterly")),
               help=gettext_lazy("How often progress is reported; 每月 when blank.")),
    ]

    # --- loading -----------------------------------------------------------------------------

    def _manageable_plans(self):
        plans = Plan.objects.all()
        if self.actor is not None:
            plans = plans.restrict(self.actor, IMPORT).restrict(self.actor, CHANGE)
        return plans.select_related("unit")

    def _load(self, records):
        names = {r["plan"] for r in records if r["plan"]}
        self.plans_by_name = defaultdict(list)
        for chunk in _chunks(names):
            for plan in self._manageable_plans().filter(name__in=chunk).order_by("-year", "id"):
                self.plans_by_name[plan.name].append(plan)
        self.stored = defaultdict(lambda: defaultdict(list))  # plan id → number → [tasks]
        self.stored_by_id = {}
        plan_ids = [p.pk for plans in self.plans_by_name.values() for p in plans]
        for chunk in _chunks(plan_ids):
            tasks = (Task.objects.filter(plan_id__in=chunk)
                     .prefetch_related("co_units", "team", "milestones"))
            for task in tasks:
                self.stored_by_id[task.pk] = task
                try:
                    number = canonical_number(task.number)
                except CellError:
                    number = task.number
                self.stored[task.plan_id][number].append(task)
        person_tokens, unit_tokens = set(), set()
        for record in records:
            for key in PERSON_KEYS:
                if record[key]:
                    person_tokens.add(record[key])
            for item in split_list(record["team"]):
                role = _ROLE.match(item)
                person_tokens.add(role["who"].strip() if role else item)
            if record["lead_unit"]:
                unit_tokens.add(record["lead_unit"])
            unit_tokens.update(split_list(record["co_units"]))
        self.directory = Directory(person_tokens, unit_tokens)
        self.new_plan_owner = self._new_plan_owner()

    def _new_plan_owner(self):
        """The unit that owns a plan the file creates, or None when it is not clear."""
        if self.actor is None:
            roots = list(Unit.objects.filter(parent=None, abolished_on=None)[:2])
            return roots[0] if len(roots) == 1 else None
        person = getattr(self.actor, "person", None)
        if person is None or person.unit.abolished_on is not None:
            return None
        unit = person.unit
        return unit if allows(self.actor, IMPORT, unit) and allows(self.actor, CHANGE, unit) else None

    # --- validation --------------------------------------------------------------------------

    def validate(self, records):
        self.today = clock.today()
        self._load(records)
        self.rows = []
        for record in records:
            row = self._resolve(record)
            if row is not None:
                self.rows.append(row)
        self._check_tree()
        for row in self.rows:
            self._check_row(row)

    def _resolve(self, record):
        """The record's plan, number, people, units and lists, each problem reported; None when
        the row cannot be placed in a plan at all."""
        values = {}
        if record.ok("number") and record["number"]:
            try:
                values["number"] = canonical_number(record["number"])
            except CellError as exc:
                self.error(record, "number", exc)
                record.bad.add("number")
        plan = self._plan_for(record)
        for key in PERSON_KEYS:
            if record.ok(key) and record[key]:
                values[key] = self._cell(record, key, self.directory.person, record[key])
        if record.ok("lead_unit") and record["lead_unit"]:
            values["lead_unit"] = self._cell(record, "lead_unit", self.directory.unit, record["lead_unit"])
        if self.has("co_units") and record.ok("co_units"):
            values["co_units"] = self._co_units(record, values.get("lead_unit"))
        if self.has("team") and record.ok("team"):
            values["team"] = self._team(record)
        if self.has("milestones") and record.ok("milestones"):
            values["milestones"] = self._cell(record, "milestones", parse_nodes, record["milestones"])
        if plan is None or "number" not in values:
            return None
        return {"record": record, "plan": plan, "values": values, "number": values["number"]}

    def _cell(self, record, key, parse, raw):
        try:
            return parse(raw)
        except CellError as exc:
            self.error(record, key, exc)
            record.bad.add(key)
            return None

    def _plan_for(self, record):
        """A stored plan, or the name of a plan to create (str)."""
        name = record["plan"]
        if not record.ok("plan") or not name:
            return None
        plans = self.plans_by_name.get(name, [])
        if len(plans) > 1:
            self.error(record, "plan", _("Several plans you may manage are called “%(name)s”: %(plans)s. Rename "
                                         "one of them first.") % {
                "name": name, "plans": "、".join(f"{p.unit.name} {p.year or ''}".strip() for p in plans)})
            return None
        if plans:
            if plans[0].archived:
                self.error(record, "plan", _("The plan “%(name)s” is archived.") % {"name": name})
                return None
            return plans[0]
        if self.new_plan_owner is None:
            self.error(record, "plan", _("There is no plan “%(name)s” that you may manage, and a new plan would "
                                         "have no clear owner unit: create the plan first.") % {"name": name})
            return None
        return name

    def _co_units(self, record, lead_unit):
        units = []
        for token in split_list(record["co_units"]):
            unit = self._cell(record, "co_units", self.directory.unit, token)
            if unit is None:
                continue
            if lead_unit is not None and unit.pk == lead_unit.pk:
                self.error(record, "co_units", _("“%(value)s” is the lead unit.") % {"value": token})
                record.bad.add("co_units")
            elif unit not in units:
                units.append(unit)
        return units

    def _team(self, record):
        team, seen = [], set()
        for item in split_list(record["team"]):
            match = _ROLE.match(item)
            role, token = (match["role"].strip(), match["who"].strip()) if match else ("", item)
            person = self._cell(record, "team", self.directory.person, token)
            if person is None:
                continue
            if person.pk in seen:
                self.error(record, "team", _("%(name)s is listed twice.") % {"name": person.name})
                record.bad.add("team")
                continue
            seen.add(person.pk)
            team.append((person, role))
        return team

    def _plan_key(self, row):
        plan = row["plan"]
        return ("new", plan) if isinstance(plan, str) else ("stored", plan.pk)

    def _check_tree(self):
        """Numbers unique within a plan, every parent number present, stored tasks not moved."""
        self.file = defaultdict(dict)  # plan key → number → row
        for row in self.rows:
            key, number = self._plan_key(row), row["number"]
            first = self.file[key].get(number)
            if first is not None:
                self.error(row["record"], "number", _("“%(value)s” appears more than once in the plan “%(plan)s” "
                                                      "(also row %(row)d).") % {
                    "value": number, "plan": row["record"]["plan"], "row": first["record"].row})
                row["duplicate"] = True
                continue
            self.file[key][number] = row
            stored = self.stored[row["plan"].pk][number] if key[0] == "stored" else []
            if len(stored) > 1:
                self.error(row["record"], "number", _("The plan already has %(n)d tasks numbered “%(value)s”; "
                                                      "renumber them first.") % {"n": len(stored), "value": number})
                row["duplicate"] = True
            row["existing"] = stored[0] if len(stored) == 1 else None
        for row in self.rows:
            if row.get("duplicate"):
                continue
            key, number = self._plan_key(row), row["number"]
            above = parent_number(number)
            stored_plan = self.stored[row["plan"].pk] if key[0] == "stored" else {}
            if above is not None and above not in self.file[key] and len(stored_plan.get(above, [])) != 1:
                self.error(row["record"], "number", _("Its parent “%(parent)s” is neither in the file nor in the "
                                                      "plan.") % {"parent": above})
                row["duplicate"] = True
                continue
            existing = row["existing"]
            if existing is not None:
                stored_parent = self.stored_by_id.get(existing.parent_id)
                stored_above = canonical_or_raw(stored_parent.number) if stored_parent else None
                if stored_above != above:
                    self.error(row["record"], "number", _("The stored task “%(value)s” hangs under “%(parent)s”; an "
                                                          "import does not move tasks.") % {
                        "value": number, "parent": stored_above or "-"})
                    row["duplicate"] = True

    def _check_row(self, row):
        if row.get("duplicate"):
            return
        record, existing, values = row["record"], row["existing"], row["values"]
        wanted = {}
        for key in PLAIN_KEYS:
            if self.has(key) and record.ok(key):
                wanted[key] = record[key]
        if "cycle" in wanted:
            wanted["cycle"] = wanted["cycle"] or Cycle.MONTHLY
        for key in ("goal", "measures"):
            if key in wanted:
                wanted[key] = wanted[key] or ""
        for key in (*PERSON_KEYS, "lead_unit"):
            if values.get(key) is not None:
                wanted[key] = values[key]
        row["wanted"] = wanted
        task = self._as_it_will_be(row)
        try:
            task.full_clean(exclude=["path", "plan", "parent", "leader", "lead_unit", "responsible"],
                            validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                key = COLUMN_OF_FIELD.get(field)
                if key and not record.ok(key):
                    continue  # reported already, when the cell was read
                for message in messages:
                    self.error(record, key, message)
                    if key:
                        record.bad.add(key)
        milestones = values.get("milestones")
        if milestones is None and existing is not None:
            milestones = [(m.due, m.description) for m in existing.milestones.all()]
        if milestones and record.ok("start_date", "deadline"):
            for due, _description in milestones:
                if (task.start_date and due < task.start_date) or (task.deadline and due > task.deadline):
                    self.error(record, "milestones", _("The node of %(date)s lies outside the task's dates "
                                                       "(%(start)s – %(deadline)s).") % {
                        "date": due.isoformat(), "start": task.start_date.isoformat() if task.start_date else "",
                        "deadline": task.deadline.isoformat() if task.deadline else ""})
                    break
        if existing is not None:
            row["changes"] = self._changes(row)
            if row["changes"] and existing.state != Task.State.DRAFT:
                self.error(record, "", _("The task “%(value)s” is “%(state)s”: an import changes drafts only "
                                         "(here: %(columns)s).") % {
                    "value": row["number"], "state": existing.get_state_display(),
                    "columns": "、".join(self.column(k).header for k in row["changes"])})

    def _as_it_will_be(self, row):
        existing = row["existing"]
        if existing is None:
            task = Task(number=row["number"], name="", cycle=Cycle.MONTHLY)
        else:
            task = Task(**{f.attname: getattr(existing, f.attname) for f in Task._meta.concrete_fields})
        for key, value in row["wanted"].items():
            setattr(task, key, value)
        return task

    def _changes(self, row) -> dict:
        """What the row changes in its stored task, by column key."""
        existing, values = row["existing"], row["values"]
        changes = {k: v for k, v in row["wanted"].items() if getattr(existing, k) != v}
        if "co_units" in values and values["co_units"] is not None:
            if {u.pk for u in values["co_units"]} != {u.pk for u in existing.co_units.all()}:
                changes["co_units"] = values["co_units"]
        if "team" in values and values["team"] is not None:
            if {(p.pk, role) for p, role in values["team"]} != {(m.person_id, m.role) for m in existing.team.all()}:
                changes["team"] = values["team"]
        if "milestones" in values and values["milestones"] is not None:
            if sorted(values["milestones"]) != sorted((m.due, m.description) for m in existing.milestones.all()):
                changes["milestones"] = values["milestones"]
        return changes

    # --- writing -----------------------------------------------------------------------------

    def save(self, records):
        self._create_plans()
        created, updated = self._create_tasks(), self._update_drafts()
        self.touched_plans = [row["plan"] for row in self.rows]
        return {"created": created, "updated": updated, "unchanged": len(self.rows) - created - updated}

    def _create_plans(self):
        plans = {}
        for row in self.rows:
            name = row["plan"]
            if isinstance(name, str) and name not in plans:
                plan = Plan(name=name, unit=self.new_plan_owner, kind=Plan.Kind.MASTER, year=self.today.year)
                plan.full_clean()
                plan.save()
                audit.record(actor=self.actor, action="plan.create", obj=plan,
                             after=audit.snapshot(plan, PLAN_AUDIT_FIELDS), unit=plan.unit,
                             message=_("Created by the import of a decomposition table."))
                plans[name] = plan
        for row in self.rows:
            if isinstance(row["plan"], str):
                row["plan"] = plans[row["plan"]]

    def _create_tasks(self) -> int:
        new = [row for row in self.rows if row["existing"] is None]
        by_depth = defaultdict(list)
        for row in new:
            by_depth[row["number"].count(".")].append(row)
        placed = {}  # (plan id, number) → task, for the parents of deeper rows
        for row in self.rows:
            if row["existing"] is not None:
                placed[(row["plan"].pk, row["number"])] = row["existing"]
        for depth in sorted(by_depth):
            tasks = []
            for row in by_depth[depth]:
                plan, number = row["plan"], row["number"]
                above = parent_number(number)
                parent = None
                if above is not None:
                    parent = placed.get((plan.pk, above)) or self.stored[plan.pk][above][0]
                task = self._as_it_will_be(row)
                task.plan, task.parent = plan, parent
                task.sort_order = int(number.rsplit(".", 1)[-1])
                row["task"] = task
                tasks.append(task)
            Task.objects.bulk_create(tasks, batch_size=_BATCH)
            for row, task in zip(by_depth[depth], tasks, strict=True):
                task.path = f"{task.parent.path if task.parent else ''}{task.pk}/"
                placed[(row["plan"].pk, row["number"])] = task
            update_by_pk(Task, tasks, ["path"])
        self._write_relations([(row["task"], row["values"]) for row in new])
        return len(new)

    def _update_drafts(self) -> int:
        changed = [row for row in self.rows if row["existing"] is not None and row["changes"]]
        fields = set()
        for row in changed:
            for key, value in row["changes"].items():
                if key in row["wanted"]:
                    setattr(row["existing"], key, value)
                    fields.add(Task._meta.get_field(key).name)
        update_by_pk(Task, [row["existing"] for row in changed], sorted(fields))
        relations = []
        for row in changed:
            task, changes = row["existing"], row["changes"]
            if "co_units" in changes:
                Task.co_units.through.objects.filter(task=task).delete()
            if "team" in changes:
                TeamMember.objects.filter(task=task).delete()
            if "milestones" in changes:
                Milestone.objects.filter(task=task).delete()
            relations.append((task, {k: v for k, v in changes.items() if k in ("co_units", "team", "milestones")}))
        self._write_relations(relations)
        return len(changed)

    def _write_relations(self, items):
        links, members, milestones = [], [], []
        through = Task.co_units.through
        for task, values in items:
            links += [through(task_id=task.pk, unit_id=unit.pk) for unit in values.get("co_units") or ()]
            members += [TeamMember(task=task, person=person, role=role) for person, role in values.get("team") or ()]
            milestones += [Milestone(task=task, due=due, description=text) for due, text in values.get("milestones") or ()]
        through.objects.bulk_create(links, batch_size=_BATCH)
        TeamMember.objects.bulk_create(members, batch_size=_BATCH)
        Milestone.objects.bulk_create(milestones, batch_size=_BATCH)

    def audit_scope(self):
        units = {plan.unit_id: plan.unit for plan in self.touched_plans}
        if len(units) == 1:
            return {"unit": next(iter(units.values()))}
        paths = [unit.path.strip("/").split("/") for unit in units.values()]
        common = []
        for segments in zip(*paths, strict=False):
            if len(set(segments)) != 1:
                break
            common.append(segments[0])
        unit = Unit.objects.filter(pk=int(common[-1])).first() if common else None
        return {"unit": unit} if unit else {}


def canonical_or_raw(number: str) -> str:
    try:
        return canonical_number(number)
    except CellError:
        return number
