"""Spreadsheet importers for units (单位), Party organisations (党组织) and people (人员).

Codes are the keys: a row whose code exists updates that node or person, otherwise it creates
one. Only columns present in the file are written; a blank cell in a present column clears the
value. A row may refer to a code defined further down the same file. Everything is checked in
memory against rows prefetched by code, then written in bulk; the trees get their materialized
paths and a dated OrgChange for every establish / edit / rename / move / abolish."""
import datetime as dt
import re
from abc import abstractmethod
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField, Max, Min, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core import clock
from ronghe.core.masking import mask_birth_date, mask_mobile
from ronghe.core.scoping import IMPORT, scope_for
from ronghe.core.tabular import CHOICE, DATE, INT, Column, Importer, Masked, register
from ronghe.core.tabular.bulk import update_by_pk
from ronghe.org import trees
from ronghe.org.models import OrgChange, PartyMembership, PartyOrg, Person, Position, Unit, code_validator
from ronghe.org.services import node_state

_BATCH = 1000
_MOBILE = re.compile(r"^1\d{10}$")
_MOBILE_NOISE = re.compile(r"[\s\-()（）]+")


def _chunks(items, size=_BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _last_id(path):
    ids = [p for p in path.split("/") if p]
    return int(ids[-1]) if ids else None


def _common_path(paths) -> str:
    """The longest common ancestor path of materialized paths ("" when they share no root)."""
    paths = [p for p in paths if p]
    if not paths:
        return ""
    parts = [p.strip("/").split("/") for p in paths]
    common = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return "/".join(common) + "/" if common else ""


class Reach:
    """The actor's IMPORT scope, checked in memory against rows already loaded. No actor means
    the system itself (management commands without --user): unrestricted."""

    def __init__(self, actor):
        self.scope = None if actor is None else scope_for(actor, IMPORT)
        self.everything = self.scope is None or self.scope.everything

    def unit(self, path, unit_id) -> bool:
        if self.everything:
            return True
        return unit_id in self.scope.unit_ids or any(path.startswith(p) for p in self.scope.unit_paths)

    def party_org(self, path, party_id, unit_path, unit_id) -> bool:
        if self.everything or self.unit(unit_path, unit_id):
            return True
        return party_id in self.scope.party_ids or any(path.startswith(p) for p in self.scope.party_paths)


def _code_column(key, header, aliases, example, help_text):
    return Column(key, header, aliases=aliases, required=True, max_length=64, validators=(code_validator,),
                  example=example, help=help_text)


def _ref_column(key, header, aliases, example, help_text, required=False):
    return Column(key, header, aliases=aliases, required=required, max_length=64, example=example, help=help_text)


class TreeImporter(Importer):
    """Units and Party organisations: both are dated trees keyed by code."""

    model = None
    key = "code"
    attr_keys: tuple = ()  # columns that are plain attributes of the node
    abolish_key = None

    @abstractmethod
    def unknown_code(self, code):
        """The row error for a code that names no node the actor may reach."""

    def check_node(self, record, node, existing):
        """Checks particular to one kind of tree; `node` is the node as it will be."""

    @abstractmethod
    def node_in_reach(self, node) -> bool:
        """Whether the actor may import into `node`."""

    # --- loading -----------------------------------------------------------------------------

    def _load(self):
        self.today = clock.today()
        self.reach = Reach(self.actor)
        self.nodes = {n.code: n for n in self.model.objects.all()}
        self.by_id = {n.pk: n for n in self.nodes.values()}
        fk = "unit" if self.model is Unit else "party_org"
        dates = (OrgChange.objects.filter(**{f"{fk}__isnull": False}).values(f"{fk}_id")
                 .annotate(first=Min("effective_date"), last=Max("effective_date")))
        self.first_change = {row[f"{fk}_id"]: row["first"] for row in dates}
        self.last_change = {row[f"{fk}_id"]: row["last"] for row in dates}

    def parent_code_of(self, node):
        parent = self.by_id.get(node.parent_id)
        return parent.code if parent else None

    # --- validation --------------------------------------------------------------------------

    def validate(self, records):
        self._load()
        self.file = {}
        for record in records:
            code = record["code"]
            if not code or not record.ok("code") or code in self.file:
                continue
            existing = self.nodes.get(code)
            if existing is not None and not self.node_in_reach(existing):
                self.error(record, "code", _("“%(code)s” cannot be created or changed within your scope.")
                           % {"code": code})
                continue
            self.file[code] = record
        self.final_parent = {code: self._final_parent_code(record) for code, record in self.file.items()}
        self._check_cycles()
        self._check_dates()
        self.plan = {}
        for code, record in self.file.items():
            existing = self.nodes.get(code)
            self.plan[code] = self._planned(record, existing)
        self._check_children()

    def _final_parent_code(self, record):
        code, existing = record["code"], self.nodes.get(record["code"])
        if existing is not None and (not self.has("parent") or not record.ok("parent")):
            return self.parent_code_of(existing)
        if not record.ok("parent"):
            return None
        parent = (record["parent"] or None) if self.has("parent") else None
        if parent is None:
            if (existing is None or existing.parent_id) and not self.reach.everything:
                self.error(record, "parent", _("Only a system administrator can create a top-level organisation."))
            return None
        if parent == code:
            self.error(record, "parent", _("A node cannot be its own parent."))
            record.bad.add("parent")
            return None
        if parent in self.file:
            return parent
        node = self.nodes.get(parent)
        unchanged = existing is not None and node is not None and existing.parent_id == node.pk
        if node is None or not (unchanged or self.node_in_reach(node)):
            self.error(record, "parent", self.unknown_code(parent))
            record.bad.add("parent")
            return self.parent_code_of(existing) if existing else None
        return parent

    def _check_cycles(self):
        """Walk up from every node of the file; a walk that meets itself is a cycle, reported
        on every row of the file that lies on it."""
        done = set()
        for start in self.file:
            trail, seen = [], {}
            code = start
            while code is not None and code not in done:
                if code in seen:
                    cycle = trail[seen[code]:]
                    text = " → ".join([*cycle, code])
                    for member in cycle:
                        record = self.file.get(member)
                        if record is not None and record.ok("parent"):
                            self.error(record, "parent", _("The parents form a cycle: %(cycle)s.") % {"cycle": text})
                            record.bad.add("parent")
                    break
                seen[code] = len(trail)
                trail.append(code)
                code = self.final_parent.get(code) if code in self.file else self.parent_code_of(self.nodes[code])
            done.update(trail)
        for code, record in self.file.items():
            if not record.ok("parent"):
                existing = self.nodes.get(code)
                self.final_parent[code] = None if existing is None else self.parent_code_of(existing)

    def established(self, code):
        """When a node (of the file or stored) was established, as far as the import knows."""
        record = self.file.get(code)
        if record is not None and code not in self.nodes:
            return self._establish_date(record)
        node = self.nodes.get(code)
        return self.first_change.get(node.pk) if node else None

    def _establish_date(self, record):
        return record["established_on"] or (record[self.abolish_key] if self.abolish_key else None) or self.today

    def abolished(self, code):
        record = self.file.get(code)
        if record is not None and self.abolish_key and self.has(self.abolish_key) and record.ok(self.abolish_key):
            return record[self.abolish_key]
        node = self.nodes.get(code)
        return node.abolished_on if node else None

    def _check_dates(self):
        for record in self.file.values():
            established = record["established_on"]
            if established and established > self.today:
                self.error(record, "established_on", _("The date cannot be in the future."))
                record.bad.add("established_on")
            if not self.abolish_key:
                continue
            abolished = record[self.abolish_key]
            if abolished and abolished > self.today:
                self.error(record, self.abolish_key, _("The date cannot be in the future."))
                record.bad.add(self.abolish_key)
            elif abolished and established and abolished < established:
                self.error(record, self.abolish_key, _("The abolition cannot come before the establishment."))
                record.bad.add(self.abolish_key)
        for code, record in self.file.items():
            parent = self.final_parent.get(code)
            if parent is None or code in self.nodes or not record.ok("established_on", "parent"):
                continue
            since = self.established(parent)
            if since and since > self._establish_date(record):
                self.error(record, "established_on", _("The parent “%(code)s” was only established on %(date)s.")
                           % {"code": parent, "date": since.isoformat()})

    def _planned(self, record, existing):
        """The node as it will be: a new unsaved instance, or the stored one with the file's
        values applied (kept apart, so that the stored state stays available)."""
        values = {}
        for key in self.attr_keys:
            if self.has(key) and record.ok(key):
                values[key] = record[key]
        if self.has("name") and record.ok("name"):
            values["name"] = record["name"]
        values.update(self.extra_values(record, existing))
        if existing is None:
            node = self.model(code=record["code"], **values)
            self.check_node(record, node, None)
            return {"record": record, "node": node, "existing": None, "changes": values}
        changes = {k: v for k, v in values.items() if getattr(existing, k) != v}
        if self.abolish_key and existing.abolished_on and self.has(self.abolish_key) and record.ok(self.abolish_key):
            if record[self.abolish_key] != existing.abolished_on:
                self.error(record, self.abolish_key, _("“%(name)s” was abolished on %(date)s; an import cannot change "
                                                       "that.") % {"name": existing.name,
                                                                   "date": existing.abolished_on.isoformat()})
            changes.pop(self.abolish_key, None)
        parent = self.final_parent.get(record["code"])
        moved = parent != self.parent_code_of(existing)
        if existing.abolished_on and (moved or changes):
            self.error(record, "code", _("“%(name)s” is abolished and cannot be changed.") % {"name": existing.name})
        abolishing = bool(self.abolish_key and changes.get(self.abolish_key))
        if abolishing or moved or changes:
            last = self.last_change.get(existing.pk)
            effective = changes.get(self.abolish_key) if abolishing else self.today
            if last and effective < last:
                self.error(record, self.abolish_key if abolishing else "code",
                           _("The change cannot take effect before the last recorded change (%(date)s).")
                           % {"date": last.isoformat()})
        node = self.model(**{f.attname: getattr(existing, f.attname) for f in self.model._meta.concrete_fields})
        for key, value in changes.items():
            setattr(node, key, value)
        self.check_node(record, node, existing)
        return {"record": record, "node": node, "existing": existing, "changes": changes, "moved": moved}

    def extra_values(self, record, existing) -> dict:
        return {}

    def children_of(self):
        """Final children of every code: rows of the file by their final parent, stored nodes by
        their stored parent unless the file moves them."""
        children = defaultdict(list)
        for node in self.nodes.values():
            if node.code not in self.file and node.parent_id:
                children[self.by_id[node.parent_id].code].append(node.code)
        for code, parent in self.final_parent.items():
            if parent:
                children[parent].append(code)
        return children

    def _check_children(self):
        children = self.children_of()
        for code, record in self.file.items():
            parent = self.final_parent.get(code)
            if parent and record.ok("parent") and not self.abolished(code) and self.abolished(parent):
                self.error(record, "parent", _("“%(code)s” is abolished.") % {"code": parent})
        if not self.abolish_key:
            return
        for code, plan in self.plan.items():
            record = plan["record"]
            if not record.ok(self.abolish_key) or not self.abolished(code):
                continue
            if plan["existing"] is not None and plan["existing"].abolished_on:
                continue
            active = [c for c in children.get(code, []) if not self.abolished(c)]
            if active:
                self.error(record, self.abolish_key, _("It still has active sub-organisations: %(codes)s.")
                           % {"codes": "、".join(active[:5])})
        self.check_abolished_contents()

    def check_abolished_contents(self):
        """Units: no people or Party organisations may remain in a unit being abolished."""

    # --- writing -----------------------------------------------------------------------------

    def save(self, records):
        created = [plan["node"] for plan in self.plan.values() if plan["existing"] is None]
        for node in created:
            node.path = ""
        self.model.objects.bulk_create(created, batch_size=_BATCH)
        for node in created:
            self.nodes[node.code] = node
            self.by_id[node.pk] = node
        created_ids = {node.pk for node in created}
        self.touched_paths = [self.nodes[code].path for code in self.file if code in self.nodes]
        before = {}
        touched = {}
        for code, plan in self.plan.items():
            node, existing = plan["node"], plan["existing"]
            parent = self.final_parent.get(code)
            node.parent_id = self.nodes[parent].pk if parent else None
            if existing is not None:
                if plan["changes"] or plan["moved"]:
                    before[code] = node_state(existing)
                    touched[node.pk] = node
                self.nodes[code] = node
                self.by_id[node.pk] = node
        for node in self._recompute_paths():
            if node.pk not in created_ids:
                touched.setdefault(node.pk, node)
        fields = ["name", "parent", "path", "depth", *self.attr_keys, *self.extra_fields()]
        self._set_new_paths(created)
        self.model.objects.bulk_update(list(touched.values()), fields, batch_size=_BATCH)
        OrgChange.objects.bulk_create(self._changes(before), batch_size=_BATCH)
        self.touched_paths += [self.nodes[code].path for code in self.file]
        updated = len(before)
        return {"created": len(created), "updated": updated, "unchanged": len(self.plan) - len(created) - updated}

    def extra_fields(self):
        return []

    def _set_new_paths(self, created):
        """Parent, path and depth of the new nodes: one UPDATE per parent (path = parent's path
        + own id), far cheaper than a row-by-row CASE of bulk_update."""
        siblings = defaultdict(list)
        for node in created:
            siblings[node.parent_id].append(node.pk)
        for parent_id, ids in siblings.items():
            prefix = self.by_id[parent_id].path if parent_id else ""
            for chunk in _chunks(ids):
                self.model.objects.filter(pk__in=chunk).update(
                    parent_id=parent_id, depth=trees.depth_of(prefix) + 1,
                    path=Concat(Value(prefix), Cast("id", output_field=CharField()), Value("/")))

    def _recompute_paths(self):
        """Paths of the whole tree from the final parents; the nodes whose path changed (new
        nodes, moved nodes and everything below them)."""
        children = defaultdict(list)
        for node in self.by_id.values():
            children[node.parent_id].append(node)
        changed = []
        stack = [(node, "") for node in children[None]]
        while stack:
            node, parent_path = stack.pop()
            path = trees.child_path(parent_path, node.pk)
            if node.path != path:
                node.path, node.depth = path, trees.depth_of(path)
                changed.append(node)
            stack.extend((child, path) for child in children[node.pk])
        return changed

    def _change(self, node, kind, effective, state, before, reason=""):
        fk = {"unit": node} if self.model is Unit else {"party_org": node}
        return OrgChange(kind=kind, effective_date=effective, state=state, before=before, reason=reason,
                         actor=self.actor if getattr(self.actor, "pk", None) else None, **fk)

    def _changes(self, before):
        reason = _("Imported")
        out = []
        for code, plan in self.plan.items():
            node = plan["node"]
            if plan["existing"] is None:
                abolished = getattr(node, "abolished_on", None)
                node.abolished_on = None
                state = node_state(node)
                out.append(self._change(node, OrgChange.Kind.ESTABLISH, self._establish_date(plan["record"]),
                                        state, None, reason))
                if abolished:
                    node.abolished_on = abolished
                    out.append(self._change(node, OrgChange.Kind.ABOLISH, abolished, node_state(node), state, reason))
                continue
            if code not in before:
                continue
            previous = before[code]
            abolished = plan["changes"].get(self.abolish_key) if self.abolish_key else None
            effective = abolished or self.today
            final = node_state(node)
            edits = {k: v for k, v in final.items() if previous[k] != v and k not in ("parent", "abolished_on")}
            if edits:
                state = {**previous, **edits}
                kind = OrgChange.Kind.RENAME if list(edits) == ["name"] else OrgChange.Kind.EDIT
                out.append(self._change(node, kind, effective, state, previous, reason))
                previous = state
            if final["parent"] != previous["parent"]:
                state = {**previous, "parent": final["parent"]}
                out.append(self._change(node, OrgChange.Kind.MOVE, effective, state, previous, reason))
                previous = state
            if abolished:
                out.append(self._change(node, OrgChange.Kind.ABOLISH, effective, final, previous, reason))
        return out


@register
class UnitImporter(TreeImporter):
    kind = "units"
    title = gettext_lazy("Units (单位)")
    sheet_title = "单位"
    model = Unit
    attr_keys = ("level", "kind", "staffing", "established_on", "abolished_on", "sort_order")
    abolish_key = "abolished_on"
    columns = [
        _code_column("code", "单位编码", ("unit code", "code"), "CY1-A1", gettext_lazy(
            "The unit's code, its key: a row with an existing code updates that unit. Letters, digits, “-”, "
            "“_” and “.”.")),
        Column("name", "单位名称", aliases=("unit name", "name"), required=True, max_length=200, example="作业一区",
               help=gettext_lazy("The unit's name.")),
        _ref_column("parent", "上级单位编码", ("parent code", "parent unit code", "parent"), "CY1", gettext_lazy(
            "Code of the parent unit: an existing unit, or one defined anywhere in the same file. Blank for a "
            "top-level unit.")),
        Column("level", "机构级别", aliases=("level",), type=CHOICE, required=True, example="科级",
               choices=(("division", "处级", "division level"), ("section", "科级", "section level"),
                        ("other", "其他")),
               help=gettext_lazy("Administrative level of the body.")),
        Column("kind", "单位类型", aliases=("unit type", "type"), type=CHOICE, example="基层单位",
               choices=(("hq_department", "机关部门", "hq department"), ("secondary", "二级单位", "secondary unit"),
                        ("grassroots", "基层单位", "grassroots unit"), ("office", "科室"), ("team", "班组")),
               help=gettext_lazy("Kind of unit.")),
        Column("staffing", "管理人员编制", aliases=("management staffing", "staffing"), type=INT, min_value=0,
               example=12, help=gettext_lazy("Number of management posts (管理人员编制).")),
        Column("established_on", "成立日期", aliases=("established on", "established"), type=DATE,
               example=dt.date(2020, 1, 1), help=gettext_lazy(
                   "Date the unit was established; the effective date of its establishment (today when blank).")),
        Column("abolished_on", "撤销日期", aliases=("abolished on", "abolished"), type=DATE, help=gettext_lazy(
            "Date the unit was abolished. Its sub-units, people and Party organisations must be gone by then.")),
        Column("sort_order", "排序", aliases=("sort order", "order"), type=INT, example=10,
               help=gettext_lazy("Position among its siblings (smaller first).")),
    ]

    def unknown_code(self, code):
        return _("Unknown unit code “%(code)s”.") % {"code": code}

    def node_in_reach(self, node):
        return self.reach.unit(node.path, node.pk)

    def extra_values(self, record, existing):
        if self.has("sort_order") and record.ok("sort_order"):
            return {"sort_order": record["sort_order"] or 0}
        return {}

    def check_abolished_contents(self):
        ending = {plan["existing"].pk: code for code, plan in self.plan.items()
                  if plan["existing"] is not None and not plan["existing"].abolished_on and self.abolished(code)
                  and plan["record"].ok("abolished_on")}
        if not ending:
            return
        people = set(Person.objects.filter(unit_id__in=list(ending), is_active=True)
                     .values_list("unit_id", flat=True).distinct())
        party = set(PartyOrg.objects.filter(unit_id__in=list(ending), abolished_on=None)
                    .values_list("unit_id", flat=True).distinct())
        for unit_id, code in ending.items():
            record = self.file[code]
            if unit_id in people:
                self.error(record, "abolished_on", _("It still has people; move them first."))
            if unit_id in party:
                self.error(record, "abolished_on", _("Party organisations are still attached to it."))

    def audit_scope(self):
        unit = self.by_id.get(_last_id(_common_path(self.touched_paths)))
        return {"unit": unit} if unit else {}


@register
class PartyOrgImporter(TreeImporter):
    kind = "party_orgs"
    title = gettext_lazy("Party organisations (党组织)")
    sheet_title = "党组织"
    model = PartyOrg
    attr_keys = ("kind", "established_on", "renewed_on")
    columns = [
        _code_column("code", "党组织编码", ("party org code", "code"), "P-CY1-B1", gettext_lazy(
            "The Party organisation's code, its key: a row with an existing code updates it.")),
        Column("name", "党组织名称", aliases=("party org name", "name"), required=True, max_length=200,
               example="作业一区党支部", help=gettext_lazy("The Party organisation's name.")),
        Column("kind", "组织类型", aliases=("organisation type", "type", "kind"), type=CHOICE, required=True,
               example="党支部",
               choices=(("committee", "党委", "party committee"), ("general_branch", "党总支", "general branch"),
                        ("branch", "党支部", "branch"), ("group", "党小组", "party group")),
               help=gettext_lazy("A Party group (党小组) cannot have sub-organisations.")),
        _ref_column("parent", "上级党组织编码", ("parent code", "parent party org code", "parent"), "P-CY1",
                    gettext_lazy("Code of the parent Party organisation: an existing one, or one defined anywhere "
                                 "in the same file. Blank for a top-level committee.")),
        _ref_column("unit", "所属单位编码", ("unit code", "unit"), "CY1-A1",
                    gettext_lazy("Code of the unit the organisation belongs to (an existing unit)."), required=True),
        Column("established_on", "成立日期", aliases=("established on", "established"), type=DATE,
               example=dt.date(2020, 1, 1), help=gettext_lazy(
                   "Date the organisation was established; the effective date of its establishment.")),
        Column("renewed_on", "换届日期", aliases=("renewed on", "term renewed on"), type=DATE,
               example=dt.date(2023, 6, 30), help=gettext_lazy("Date of the last renewal of its committee (换届).")),
    ]

    def unknown_code(self, code):
        return _("Unknown Party organisation code “%(code)s”.") % {"code": code}

    def _load(self):
        super()._load()
        self.units_by_id = {u.pk: u for u in Unit.objects.only("id", "code", "path", "abolished_on")}
        self.units = {u.code: u for u in self.units_by_id.values()}

    def node_in_reach(self, node):
        unit = self.units_by_id.get(node.unit_id)
        return self.reach.party_org(node.path, node.pk, unit.path if unit else "", node.unit_id)

    def extra_fields(self):
        return ["unit"]

    def extra_values(self, record, existing):
        if not record.ok("unit") or not record["unit"]:
            return {}
        unit = self.units.get(record["unit"])
        unchanged = existing is not None and unit is not None and existing.unit_id == unit.pk
        if unit is None or not (unchanged or self.reach.unit(unit.path, unit.pk)):
            self.error(record, "unit", _("Unknown unit code “%(code)s”.") % {"code": record["unit"]})
            record.bad.add("unit")
            return {}
        if unit.abolished_on and not unchanged:
            self.error(record, "unit", _("“%(code)s” is abolished.") % {"code": unit.code})
        return {"unit_id": unit.pk}

    def check_node(self, record, node, existing):
        renewed, established = node.renewed_on, node.established_on
        if renewed and established and renewed < established and record.ok("renewed_on"):
            self.error(record, "renewed_on", _("The renewal cannot come before the establishment."))

    def _check_children(self):
        super()._check_children()
        children = self.children_of()
        for code, plan in self.plan.items():
            if plan["node"].kind != PartyOrg.Kind.GROUP:
                continue
            stored = []
            for child in children.get(code, []):
                record = self.file.get(child)
                if record is None:
                    stored.append(child)
                elif record.ok("parent"):
                    self.error(record, "parent", _("“%(code)s” is a Party group (党小组), which cannot have "
                                                   "sub-organisations.") % {"code": code})
            if stored:
                self.error(plan["record"], "kind", _("A Party group (党小组) cannot have sub-organisations; "
                                                     "under it: %(codes)s.") % {"codes": "、".join(stored[:5])})
        for code, record in self.file.items():
            parent = self.final_parent.get(code)
            if parent and parent not in self.file and record.ok("parent"):
                node = self.nodes.get(parent)
                if node is not None and node.kind == PartyOrg.Kind.GROUP:
                    self.error(record, "parent", _("“%(code)s” is a Party group (党小组), which cannot have "
                                                   "sub-organisations.") % {"code": parent})

    def audit_scope(self):
        party_org = self.by_id.get(_last_id(_common_path(self.touched_paths)))
        return {"party_org": party_org, "unit": self.units_by_id.get(party_org.unit_id)} if party_org else {}


# --- people -----------------------------------------------------------------------------------

def party_post_kind(post: str):
    """The Position a 党内职务 makes: 副书记 before 书记, any 委员 (组织委员, 纪检委员 …)."""
    if "副书记" in post:
        return Position.Kind.DEPUTY_SECRETARY
    if "书记" in post:
        return Position.Kind.SECRETARY
    if "委员" in post:
        return Position.Kind.COMMITTEE_MEMBER
    return None


PERSON_KEYS = ("name", "gender", "birth_date", "post", "title", "mobile", "email", "political_status")
MEMBERSHIP_KEYS = ("joined_on", "confirmed_on", "party_post")


@register
class PersonImporter(Importer):
    kind = "people"
    title = gettext_lazy("People (人员)")
    sheet_title = "人员"
    key = "employee_no"
    columns = [
        _code_column("employee_no", "工号", ("employee number", "employee no", "employee_no"), "E000123",
                     gettext_lazy("Employee number, the person's key: a row with an existing number updates "
                                  "that person.")),
        Column("name", "姓名", aliases=("name",), required=True, max_length=64, example="王铁人",
               help=gettext_lazy("Full name.")),
        Column("gender", "性别", aliases=("gender", "sex"), type=CHOICE, example="男",
               choices=(("M", "男", "male"), ("F", "女", "female"))),
        Column("birth_date", "出生日期", aliases=("date of birth", "birth date", "birthday"), type=DATE,
               example=dt.date(1985, 5, 4), mask=mask_birth_date, help=gettext_lazy("Cannot be in the future.")),
        _ref_column("unit", "单位编码", ("unit code", "unit"), "CY1-A1-T1",
                    gettext_lazy("Code of the person's unit (an existing unit)."), required=True),
        Column("post", "岗位", aliases=("post",), max_length=100, example="采油工"),
        Column("title", "职务", aliases=("position", "title"), max_length=100, example="班长"),
        Column("mobile", "手机", aliases=("mobile", "mobile phone", "phone"), max_length=20, example="13800001111",
               mask=mask_mobile, help=gettext_lazy("11 digits starting with 1.")),
        Column("email", "邮箱", aliases=("email", "e-mail"), max_length=254, example="wang@example.com"),
        Column("political_status", "政治面貌", aliases=("political status",), type=CHOICE, example="中共党员",
               choices=(("member", "中共党员", "党员", "cpc member"),
                        ("probationary", "中共预备党员", "预备党员", "probationary member"),
                        ("league", "共青团员", "团员", "youth league member"), ("masses", "群众", "masses")),
               help=gettext_lazy("群众 when blank.")),
        _ref_column("party_org", "所在党组织编码", ("party org code", "party org"), "P-CY1-B1", gettext_lazy(
            "Code of the person's Party organisation; required for 中共党员 and 中共预备党员, blank otherwise.")),
        Column("joined_on", "入党日期", aliases=("joined the party on", "joined on"), type=DATE,
               example=dt.date(2010, 7, 1)),
        Column("confirmed_on", "转正日期", aliases=("full membership on", "confirmed on"), type=DATE,
               example=dt.date(2011, 7, 1)),
        Column("party_post", "党内职务", aliases=("party post",), max_length=64, example="组织委员", help=gettext_lazy(
            "书记, 副书记 or a 委员 post also makes the person a leader of the Party organisation.")),
    ]

    # --- validation --------------------------------------------------------------------------

    def _load(self, records):
        self.today = clock.today()
        self.reach = Reach(self.actor)
        numbers = {r["employee_no"] for r in records if r["employee_no"]}
        unit_codes = {r["unit"] for r in records if r["unit"]}
        party_codes = {r["party_org"] for r in records if r["party_org"]}
        self.people = {}
        for chunk in _chunks(numbers):
            for person in Person.objects.filter(employee_no__in=chunk).select_related("unit"):
                self.people[person.employee_no] = person
        self.memberships = {}
        for chunk in _chunks(p.pk for p in self.people.values()):
            for membership in PartyMembership.objects.filter(person_id__in=chunk).select_related("party_org__unit"):
                self.memberships[membership.person_id] = membership
        self.units = {}
        for chunk in _chunks(unit_codes):
            for unit in Unit.objects.filter(code__in=chunk).only("id", "code", "path", "abolished_on"):
                self.units[unit.code] = unit
        self.party_orgs = {}
        for chunk in _chunks(party_codes):
            for org in PartyOrg.objects.filter(code__in=chunk).select_related("unit"):
                self.party_orgs[org.code] = org

    def _person_in_reach(self, person):
        if self.reach.unit(person.unit.path, person.unit_id):
            return True
        membership = self.memberships.get(person.pk)
        if membership is None:
            return False
        org = membership.party_org
        return self.reach.party_org(org.path, org.pk, org.unit.path, org.unit_id)

    def validate(self, records):
        self._load(records)
        self.plan = []
        for record in records:
            person = self.people.get(record["employee_no"]) if record.ok("employee_no") else None
            if person is not None and not self._person_in_reach(person):
                self.error(record, "employee_no", _("“%(code)s” cannot be created or changed within your scope.")
                           % {"code": record["employee_no"]})
                continue
            self.plan.append(self._check_person(record, person))

    def _check_person(self, record, person):
        membership = self.memberships.get(person.pk) if person else None
        values = {key: record[key] for key in PERSON_KEYS if self.has(key) and record.ok(key)}
        if "political_status" in values:
            values["political_status"] = values["political_status"] or Person.PoliticalStatus.MASSES
        for key in ("mobile", "birth_date"):
            if isinstance(values.get(key), Masked):
                stored = getattr(person, key) if person else None
                if stored and self.column(key).mask(stored) == values[key]:
                    values[key] = stored
                else:
                    self.error(record, key, _("A masked value can only be kept, not set: write the full value."))
                    values.pop(key)
        # Stored values are taken as they are, so that an exported file always re-imports.
        fresh = {k for k, v in values.items() if person is None or getattr(person, k) != v}
        if values.get("mobile") and "mobile" in fresh:
            mobile = _MOBILE_NOISE.sub("", values["mobile"])
            mobile = mobile[3:] if mobile.startswith("+86") else mobile
            if _MOBILE.match(mobile):
                values["mobile"] = mobile
            else:
                self.error(record, "mobile", _("A mobile number has 11 digits and starts with 1."))
                values.pop("mobile")
        if values.get("email") and "email" in fresh:
            try:
                validate_email(values["email"])
            except ValidationError:
                self.error(record, "email", _("Not a valid e-mail address."))
                values.pop("email")
        if values.get("birth_date") and "birth_date" in fresh and values["birth_date"] > self.today:
            self.error(record, "birth_date", _("The date of birth cannot be in the future."))
        unit = self._unit_for(record, person)
        if unit is not None:
            values["unit"] = unit
        status = values.get("political_status", person.political_status if person else Person.PoliticalStatus.MASSES)
        party_org = self._party_org_for(record, person, membership, status)
        member = {key: record[key] for key in MEMBERSHIP_KEYS if self.has(key) and record.ok(key)}
        for key in ("joined_on", "confirmed_on"):
            if member.get(key) and member[key] > self.today:
                self.error(record, key, _("The date cannot be in the future."))
        joined = member.get("joined_on", membership.joined_on if membership else None)
        confirmed = member.get("confirmed_on", membership.confirmed_on if membership else None)
        if joined and confirmed and confirmed < joined and record.ok("confirmed_on", "joined_on"):
            self.error(record, "confirmed_on", _("Full membership cannot come before joining the Party."))
        return {"record": record, "person": person, "membership": membership, "values": values,
                "party_org": party_org, "member": member}

    def _unit_for(self, record, person):
        code = record["unit"]
        if not record.ok("unit") or not code:
            return None
        unit = self.units.get(code)
        unchanged = person is not None and unit is not None and person.unit_id == unit.pk
        if unit is None or not (unchanged or self.reach.unit(unit.path, unit.pk)):
            self.error(record, "unit", _("Unknown unit code “%(code)s”.") % {"code": code})
            return None
        if unit.abolished_on and not unchanged:
            self.error(record, "unit", _("“%(code)s” is abolished.") % {"code": code})
            return None
        return unit

    def _party_org_for(self, record, person, membership, status):
        """The Party organisation the person will belong to (None for none); errors reported."""
        if not self.has("party_org"):
            current = membership.party_org if membership else None
            if status in Person.PARTY_STATUSES and current is None:
                self.error(record, "party_org", _("A Party member (中共党员 or 中共预备党员) needs a Party "
                                                  "organisation."))
            return current if status in Person.PARTY_STATUSES else None
        if not record.ok("party_org"):
            return None
        code = record["party_org"]
        if status in Person.PARTY_STATUSES and not code:
            self.error(record, "party_org", _("A Party member (中共党员 or 中共预备党员) needs a Party organisation."))
            return None
        if not code:
            return None
        if status not in Person.PARTY_STATUSES:
            self.error(record, "party_org", _("Only Party members (中共党员, 中共预备党员) belong to a Party "
                                              "organisation."))
            return None
        org = self.party_orgs.get(code)
        unchanged = membership is not None and org is not None and membership.party_org_id == org.pk
        if org is None or not (unchanged or self.reach.party_org(org.path, org.pk, org.unit.path, org.unit_id)):
            self.error(record, "party_org", _("Unknown Party organisation code “%(code)s”.") % {"code": code})
            return None
        if org.abolished_on and not unchanged:
            self.error(record, "party_org", _("“%(code)s” is abolished.") % {"code": code})
            return None
        return org

    # --- writing -----------------------------------------------------------------------------

    def save(self, records):
        new_people, changed_people, changed_fields = [], [], set()
        for plan in self.plan:
            record, person, values = plan["record"], plan["person"], plan["values"]
            if person is None:
                person = Person(employee_no=record["employee_no"], **values)
                new_people.append(person)
                plan["person"], plan["created"] = person, True
                continue
            plan["created"] = False
            diff = {k: v for k, v in values.items() if getattr(person, k) != v}
            for key, value in diff.items():
                setattr(person, key, value)
            if diff:
                changed_people.append(person)
                changed_fields.update(diff)
            plan["changed"] = bool(diff)
        Person.objects.bulk_create(new_people, batch_size=_BATCH)
        if changed_people:
            update_by_pk(Person, changed_people, sorted(changed_fields))
        self._save_memberships()
        self._save_positions()
        created = sum(1 for plan in self.plan if plan["created"])
        updated = sum(1 for plan in self.plan if not plan["created"] and plan["changed"])
        return {"created": created, "updated": updated, "unchanged": len(self.plan) - created - updated}

    def _save_memberships(self):
        new, changed, gone, fields = [], [], [], set()
        for plan in self.plan:
            person, membership, org = plan["person"], plan["membership"], plan["party_org"]
            if org is None:
                if membership is not None:
                    gone.append(membership.pk)
                    plan["changed"] = True
                continue
            if membership is None:
                new.append(PartyMembership(person=person, party_org=org, **{
                    "joined_on": None, "confirmed_on": None, "party_post": "", **plan["member"]}))
                plan["changed"] = True
                continue
            diff = {k: v for k, v in plan["member"].items() if getattr(membership, k) != v}
            if membership.party_org_id != org.pk:
                diff["party_org"] = org
            for key, value in diff.items():
                setattr(membership, key, value)
            if diff:
                changed.append(membership)
                fields.update(diff)
                plan["changed"] = True
        if gone:
            for chunk in _chunks(gone):
                PartyMembership.objects.filter(pk__in=chunk).delete()
        PartyMembership.objects.bulk_create(new, batch_size=_BATCH)
        if changed:
            update_by_pk(PartyMembership, changed, sorted(fields))
        self.memberships_after = {plan["person"].pk: plan["party_org"] for plan in self.plan}

    def _save_positions(self):
        wanted = {}
        for plan in self.plan:
            post = plan["member"].get("party_post")
            if post is None and plan["membership"] is not None:
                post = plan["membership"].party_post
            kind = party_post_kind(post or "")
            if kind and plan["party_org"] is not None:
                wanted[(plan["person"].pk, plan["party_org"].pk, kind)] = post
        if not wanted:
            return
        existing = set()
        for chunk in _chunks({person_id for person_id, _org, _kind in wanted}):
            existing.update(Position.objects.filter(person_id__in=chunk, party_org__isnull=False)
                            .values_list("person_id", "party_org_id", "kind"))
        Position.objects.bulk_create([
            Position(person_id=person_id, party_org_id=org_id, kind=kind, title=title)
            for (person_id, org_id, kind), title in wanted.items() if (person_id, org_id, kind) not in existing
        ], batch_size=_BATCH)

    def audit_scope(self):
        unit_id = _last_id(_common_path({plan["person"].unit.path for plan in self.plan}))
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        return {"unit": unit} if unit else {}
