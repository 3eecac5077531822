"""The organisation API: units, Party organisations and people. Thin: reads start from the
selectors (already scoped), writes go through org.services, and every code the caller names is
looked up inside the caller's scope, so that what lies outside answers like what does not exist."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from ronghe.core import clock
from ronghe.core.api_support import (
    ApiError,
    PageQuery,
    get_or_404,
    invalid,
    named,
    paginate,
    parse_date,
    require_any,
    responses,
)
from ronghe.core.masking import mask_birth_date, mask_mobile, personal_ids
from ronghe.core.scoping import CHANGE, VIEW
from ronghe.org import schemas as s
from ronghe.org import selectors, services
from ronghe.org.models import OrgChange, PartyOrg, Unit

# --- rows ------------------------------------------------------------------------------------------

def _unit_row(node: Unit) -> dict:
    return {"code": node.code, "name": node.name, "parent": node.parent.code if node.parent_id else None,
            "level": node.level, "kind": node.kind, "staffing": node.staffing,
            "established_on": node.established_on, "abolished_on": node.abolished_on, "sort_order": node.sort_order}


def _party_org_row(node: PartyOrg) -> dict:
    return {"code": node.code, "name": node.name, "parent": node.parent.code if node.parent_id else None,
            "kind": node.kind, "unit": node.unit.code, "established_on": node.established_on,
            "renewed_on": node.renewed_on, "abolished_on": node.abolished_on, "sort_order": node.sort_order}


def _unit_state_rows(states: list[dict], codes: dict[int, str]) -> list[dict]:
    return [{"code": st["code"], "name": st["name"], "parent": codes.get(st.get("parent")),
             "level": st.get("level") or Unit.Level.OTHER, "kind": st.get("kind") or "",
             "staffing": st.get("staffing"), "established_on": st.get("established_on"),
             "abolished_on": st.get("abolished_on"), "sort_order": st.get("sort_order") or 0} for st in states]


def _party_org_state_rows(states: list[dict], codes: dict[int, str]) -> list[dict]:
    unit_codes = dict(Unit.objects.filter(pk__in={st["unit"] for st in states}).values_list("pk", "code"))
    return [{"code": st["code"], "name": st["name"], "parent": codes.get(st.get("parent")),
             "kind": st["kind"], "unit": unit_codes.get(st["unit"], ""),
             "established_on": st.get("established_on"), "renewed_on": st.get("renewed_on"),
             "abolished_on": st.get("abolished_on"), "sort_order": st.get("sort_order") or 0} for st in states]


def _change_row(change) -> dict:
    node = change.unit or change.party_org
    merged_into = change.merged_into_unit or change.merged_into_party_org
    return {"id": change.pk, "code": node.code, "name": change.state.get("name", node.name), "kind": change.kind,
            "effective_date": change.effective_date, "reason": change.reason,
            "merged_into": merged_into.code if merged_into else None, "before": change.before,
            "state": change.state, "actor": change.actor.username if change.actor_id else None,
            "recorded_at": change.recorded_at}


def _counts_row(counts: dict) -> dict:
    return {"nodes": counts["nodes"], "people": counts["people"], "party_members": counts["party_members"],
            "probationary": counts["probationary"]}


def _leader_rows(node) -> list[dict]:
    return [{"kind": p.kind, "title": p.title or p.get_kind_display(), "employee_no": p.person.employee_no,
             "name": p.person.name} for p in selectors.leaders_of(node)]


# --- look-ups ------------------------------------------------------------------------------------

def _ref(model, user, code: str, field: str, action=VIEW):
    """The node `code` names inside the user's scope, or a 422 on `field`."""
    node = model.objects.restrict(user, action).filter(code=code).first()
    if node is None:
        raise invalid(field, _("No %(thing)s with code “%(code)s” within your scope.") % {
            "thing": model._meta.verbose_name, "code": code})
    return node


def _as_of(value):
    return parse_date(value, "as_of")


def _chain(node_id: int, states: dict[int, dict]) -> list[int]:
    """`node_id` and its ancestors as they stood in `states`, bottom up."""
    out, seen = [], set()
    while node_id in states and node_id not in seen:
        seen.add(node_id)
        out.append(node_id)
        node_id = states[node_id].get("parent")
    return out


def _sorted_states(items):
    return sorted(items, key=lambda st: (st.get("sort_order") or 0, st["code"]))


# --- the two trees share one set of operations ---------------------------------------------------

@dataclass(frozen=True)
class TreeSpec:
    model: type
    prefix: str
    tag: str
    noun: str
    plural: str
    code_label: str
    out: type[Schema]
    detail: type[Schema]
    child_page: type[Schema]
    page: type[Schema]
    create_in: type[Schema]
    patch_in: type[Schema]
    queryset: Callable
    row: Callable
    state_rows: Callable
    create: Callable
    resolve_patch: Callable
    related: tuple = ()  # what a row reads beyond the node and its parent


def _create_unit(user, data: s.UnitIn) -> Unit:
    parent = _ref(Unit, user, data.parent, "parent") if data.parent else None
    return services.unit_create(actor=user, code=data.code, name=data.name, parent=parent, level=data.level,
                                kind=data.kind, staffing=data.staffing, established_on=data.established_on,
                                sort_order=data.sort_order, effective_date=data.effective_date, reason=data.reason)


def _create_party_org(user, data: s.PartyOrgIn) -> PartyOrg:
    unit = _ref(Unit, user, data.unit, "unit")
    parent = _ref(PartyOrg, user, data.parent, "parent") if data.parent else None
    return services.party_org_create(actor=user, code=data.code, name=data.name, kind=data.kind, unit=unit,
                                     parent=parent, established_on=data.established_on, renewed_on=data.renewed_on,
                                     sort_order=data.sort_order, effective_date=data.effective_date,
                                     reason=data.reason)


def _no_references(user, changes: dict) -> dict:
    return changes


def _party_org_references(user, changes: dict) -> dict:
    if "unit" in changes:
        if changes["unit"] is None:
            raise invalid("unit", _("A Party organisation belongs to a unit."))
        changes["unit"] = _ref(Unit, user, changes["unit"], "unit")
    return changes


UNITS = TreeSpec(
    model=Unit, prefix="units", tag="units", noun="unit", plural="units", code_label="单位编码",
    out=s.UnitOut, detail=s.UnitDetail, child_page=s.UnitChildPage, page=s.UnitPage, create_in=s.UnitIn,
    patch_in=s.UnitPatch, queryset=selectors.units, row=_unit_row, state_rows=_unit_state_rows,
    create=_create_unit, resolve_patch=_no_references,
)
PARTY_ORGS = TreeSpec(
    model=PartyOrg, prefix="party_orgs", tag="party-orgs", noun="Party organisation",
    plural="Party organisations", code_label="党组织编码",
    out=s.PartyOrgOut, detail=s.PartyOrgDetail, child_page=s.PartyOrgChildPage, page=s.PartyOrgPage,
    create_in=s.PartyOrgIn, patch_in=s.PartyOrgPatch, queryset=selectors.party_orgs, row=_party_org_row,
    state_rows=_party_org_state_rows, create=_create_party_org, resolve_patch=_party_org_references,
    related=("unit",),
)


def tree_router(spec: TreeSpec) -> Router:
    model, noun = spec.model, spec.noun
    router = Router(tags=[spec.tag])
    CodePath = Annotated[str, Path(description=f"Code of the {noun} ({spec.code_label}).")]

    def node_or_404(user, code):
        return get_or_404(spec.queryset(user), code=code)

    def states_listing(user, filters: s.NodeFilters, as_of):
        states = selectors.states_as_of(model, as_of)
        visible = set(model.objects.restrict(user, VIEW).values_list("pk", flat=True))
        by_code = {st["code"]: pk for pk, st in states.items()}
        rows = {pk: st for pk, st in states.items() if pk in visible
                and (filters.include_abolished or not st["ended"])}
        if filters.q:
            needle = filters.q.casefold()
            rows = {pk: st for pk, st in rows.items()
                    if needle in st["name"].casefold() or needle in st["code"].casefold()}
        if filters.code:
            rows = {pk: st for pk, st in rows.items() if st["code"] == filters.code}
        if filters.name:
            rows = {pk: st for pk, st in rows.items() if filters.name.casefold() in st["name"].casefold()}
        if filters.parent:
            parent_id = by_code.get(filters.parent)
            rows = {pk: st for pk, st in rows.items() if parent_id is not None and st.get("parent") == parent_id}
        if filters.subtree:
            root_id = by_code.get(filters.subtree)
            rows = {pk: st for pk, st in rows.items() if root_id in _chain(pk, states)}
        return _sorted_states(rows.values()), {pk: st["code"] for pk, st in states.items()}

    @router.get("", response=responses({200: spec.page}), **named(f"{spec.prefix}_list"),
                summary=f"List {spec.plural}")
    def list_nodes(request, filters: Query[s.NodeFilters], page: Query[PageQuery]):
        """Paginated, filtered by code, name, parent or subtree; with `as_of`, the state on that date."""
        user = request.auth
        as_of = _as_of(filters.as_of)
        if as_of is not None:
            rows, codes = states_listing(user, filters, as_of)
            return paginate(rows, page, lambda chunk: spec.state_rows(chunk, codes))
        parent = model.objects.filter(code=filters.parent).first() if filters.parent else None
        subtree = model.objects.filter(code=filters.subtree).first() if filters.subtree else None
        qs = spec.queryset(user)
        if (filters.parent and parent is None) or (filters.subtree and subtree is None):
            qs = qs.none()
        qs = selectors.filter_nodes(qs, q=filters.q, code=filters.code, name=filters.name, parent=parent,
                                    subtree=subtree, include_abolished=filters.include_abolished)
        return paginate(qs, page, lambda chunk: [spec.row(n) for n in chunk])

    @router.post("", response=responses({201: spec.out}), **named(f"{spec.prefix}_create"),
                 summary=f"Create a {noun}")
    def create_node(request, payload: spec.create_in):
        """Establish a node under a parent within your scope; recorded as an establishment (成立)
        effective on `effective_date`."""
        require_any(request.auth, CHANGE)
        return Status(201, spec.row(spec.create(request.auth, payload)))

    @router.get("/changes", response=responses({200: s.OrgChangePage}), **named(f"{spec.prefix}_changes"),
                summary="Changes between two dates")
    def changes(request, dates: Query[s.ChangesQuery], page: Query[PageQuery]):
        """Every establishment, rename, move, merge and abolition effective after `from` and up to
        `to` (default today), oldest first (机构变化对比)."""
        start = parse_date(dates.start, "from")
        end = parse_date(dates.end, "to") or clock.today()
        if start > end:
            raise invalid("from", _("The start date must not be after the end date."))
        # The changes of the nodes the caller sees. OrgChange's own scope would miss those of the
        # Party organisations a unit-scoped admin sees through their units.
        fk = "unit" if model is Unit else "party_org"
        qs = (OrgChange.objects.filter(**{f"{fk}__in": model.objects.restrict(request.auth, VIEW)},
                                       effective_date__gt=start, effective_date__lte=end)
              .select_related(fk, "actor", "merged_into_unit", "merged_into_party_org")
              .order_by("effective_date", "id"))
        return paginate(qs, page, lambda chunk: [_change_row(c) for c in chunk])

    @router.get("/{code}", response=responses({200: spec.detail}), **named(f"{spec.prefix}_get"),
                summary=f"Get a {noun}")
    def get_node(request, code: CodePath, query: Query[s.AsOfQuery]):
        """One node with its visible ancestors, current leaders and the counts of its subtree;
        with `as_of`, as it stood that day (404 if it did not exist yet)."""
        user = request.auth
        as_of = _as_of(query.as_of)
        node = node_or_404(user, code)
        if as_of is None:
            ancestors = selectors.ancestors(node)
            visible = set(model.objects.restrict(user, VIEW).filter(pk__in=[a.pk for a in ancestors])
                          .values_list("pk", flat=True))
            return {**spec.row(node),
                    "ancestors": [{"code": a.code, "name": a.name} for a in ancestors if a.pk in visible],
                    "counts": _counts_row(selectors.subtree_counts([node])[node.pk]),
                    "leaders": _leader_rows(node)}
        states = selectors.states_as_of(model, as_of)
        if node.pk not in states:
            raise ApiError(404, "not_found", _("It did not exist on %(date)s.") % {"date": as_of})
        codes = {pk: st["code"] for pk, st in states.items()}
        chain = _chain(node.pk, states)[1:]
        visible = set(model.objects.restrict(user, VIEW).filter(pk__in=chain).values_list("pk", flat=True))
        ancestors = [{"code": states[pk]["code"], "name": states[pk]["name"]} for pk in reversed(chain)
                     if pk in visible]
        return {**spec.state_rows([states[node.pk]], codes)[0], "ancestors": ancestors, "counts": None,
                "leaders": []}

    @router.patch("/{code}", response=responses({200: spec.out}), **named(f"{spec.prefix}_update"),
                  summary=f"Edit or rename a {noun}")
    def update_node(request, code: CodePath, payload: spec.patch_in):
        """Change the fields sent. A change of the name alone is a rename (更名); either is recorded
        as a dated change. The code and the parent do not change here (see move)."""
        user = request.auth
        require_any(user, CHANGE)
        node = node_or_404(user, code)
        changes = payload.dict(exclude_unset=True)
        effective_date, reason = changes.pop("effective_date", None), changes.pop("reason", "")
        changes = spec.resolve_patch(user, changes)
        node = services.node_edit(actor=user, node=node, effective_date=effective_date, reason=reason, **changes)
        return spec.row(spec.queryset(user).get(pk=node.pk))

    @router.get("/{code}/children", response=responses({200: spec.child_page}),
                **named(f"{spec.prefix}_children"), summary=f"Children of a {noun}")
    def children(request, code: CodePath, query: Query[s.ChildrenQuery], page: Query[PageQuery]):
        """The visible direct children, each with the counts of its subtree; with `as_of`, the
        children it had that day."""
        user = request.auth
        as_of = _as_of(query.as_of)
        node = node_or_404(user, code)
        if as_of is None:
            nodes = selectors.children_with_counts(model, user, node, include_abolished=query.include_abolished)

            def build(chunk):
                prefetch_related_objects(chunk, *spec.related)
                return [{**spec.row(n), "has_children": n.has_children, "counts": _counts_row(n.counts)}
                        for n in chunk]

            return paginate(nodes, page, build)
        states = selectors.states_as_of(model, as_of)
        if node.pk not in states:
            raise ApiError(404, "not_found", _("It did not exist on %(date)s.") % {"date": as_of})
        candidates = [pk for pk, st in states.items() if st.get("parent") == node.pk
                      and (query.include_abolished or not st["ended"])]
        visible = set(model.objects.restrict(user, VIEW).filter(pk__in=candidates).values_list("pk", flat=True))
        with_children = {st.get("parent") for st in states.values() if not st["ended"]}
        kids = [dict(states[pk], _pk=pk) for pk in candidates if pk in visible]
        codes = {pk: st["code"] for pk, st in states.items()}

        def build(chunk):
            return [{**row, "has_children": st["_pk"] in with_children, "counts": None}
                    for row, st in zip(spec.state_rows(chunk, codes), chunk, strict=True)]

        return paginate(_sorted_states(kids), page, build)

    @router.get("/{code}/history", response=responses({200: s.OrgChangePage}),
                **named(f"{spec.prefix}_history"), summary=f"History of a {noun}")
    def history(request, code: CodePath, page: Query[PageQuery]):
        """Its dated changes (OrgChange), newest first."""
        node = node_or_404(request.auth, code)
        qs = selectors.history_of(node).select_related("unit", "party_org", "merged_into_unit",
                                                        "merged_into_party_org")
        return paginate(qs, page, lambda chunk: [_change_row(c) for c in chunk])

    @router.post("/{code}/move", response=responses({200: spec.out}), **named(f"{spec.prefix}_move"),
                 summary=f"Move a {noun}")
    def move(request, code: CodePath, payload: s.MoveIn):
        """Put it and its whole subtree under a new parent within your scope (调整隶属关系)."""
        user = request.auth
        require_any(user, CHANGE)
        node = node_or_404(user, code)
        new_parent = _ref(model, user, payload.parent, "parent") if payload.parent else None
        node = services.node_move(actor=user, node=node, new_parent=new_parent,
                                  effective_date=payload.effective_date, reason=payload.reason)
        return spec.row(spec.queryset(user).get(pk=node.pk))

    @router.post("/{code}/merge", response=responses({200: spec.out}), **named(f"{spec.prefix}_merge"),
                 summary=f"Merge a {noun} into another")
    def merge(request, code: CodePath, payload: s.MergeIn):
        """Its children, people (or members) move to `into`, and it ends on the effective date (合并)."""
        user = request.auth
        require_any(user, CHANGE)
        node = node_or_404(user, code)
        into = _ref(model, user, payload.into, "into")
        node = services.node_merge(actor=user, node=node, into=into, effective_date=payload.effective_date,
                                   reason=payload.reason)
        return spec.row(spec.queryset(user).get(pk=node.pk))

    @router.post("/{code}/abolish", response=responses({200: spec.out}), **named(f"{spec.prefix}_abolish"),
                 summary=f"Abolish a {noun}")
    def abolish(request, code: CodePath, payload: s.AbolishIn):
        """End an empty node on the effective date (撤销); nothing is deleted. Its sub-organisations
        and people must have been moved first."""
        user = request.auth
        require_any(user, CHANGE)
        node = node_or_404(user, code)
        node = services.node_abolish(actor=user, node=node, effective_date=payload.effective_date,
                                     reason=payload.reason)
        return spec.row(spec.queryset(user).get(pk=node.pk))

    return router


units_router = tree_router(UNITS)
party_orgs_router = tree_router(PARTY_ORGS)


# --- people ----------------------------------------------------------------------------------------

people_router = Router(tags=["people"])
EmployeeNoPath = Annotated[str, Path(description="Employee number (工号).")]


def _person_rows(user, people) -> list[dict]:
    allowed = personal_ids(user, people)
    rows = []
    for p in people:
        shown = p.pk in allowed
        membership = getattr(p, "membership", None)
        rows.append({
            "employee_no": p.employee_no, "name": p.name, "gender": p.gender,
            "birth_date": (p.birth_date.isoformat() if p.birth_date else None) if shown
            else (mask_birth_date(p.birth_date) or None),
            "mobile": p.mobile if shown else mask_mobile(p.mobile), "personal_data_masked": not shown,
            "email": p.email, "unit": p.unit.code, "unit_name": p.unit.name, "post": p.post, "title": p.title,
            "political_status": p.political_status,
            "party_org": membership.party_org.code if membership else None,
            "party_org_name": membership.party_org.name if membership else None,
            "joined_on": membership.joined_on if membership else None,
            "confirmed_on": membership.confirmed_on if membership else None,
            "party_post": membership.party_post if membership else "",
            "is_active": p.is_active,
        })
    return rows


def _person_or_404(user, employee_no):
    return get_or_404(selectors.people(user), employee_no=employee_no)


def _person_out(user, person) -> dict:
    return _person_rows(user, [selectors.people(user).get(pk=person.pk)])[0]


@people_router.get("", response=responses({200: s.PersonPage}), **named("people_list"), summary="List people")
def people_list(request, filters: Query[s.PeopleFilters], page: Query[PageQuery]):
    """Paginated; mobile numbers and dates of birth are masked unless you may see personal data
    of that person (个人信息脱敏)."""
    user = request.auth
    qs = selectors.people(user)
    if not filters.include_inactive:
        qs = qs.filter(is_active=True)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(employee_no__icontains=filters.q))
    if filters.unit:
        qs = qs.filter(unit__code=filters.unit)
    if filters.unit_subtree:
        qs = selectors.in_unit_subtree(qs, "unit", filters.unit_subtree)
    if filters.party_org:
        qs = qs.filter(membership__party_org__code=filters.party_org)
    if filters.political_status:
        qs = qs.filter(political_status=filters.political_status)
    return paginate(qs.order_by("employee_no"), page, lambda chunk: _person_rows(user, chunk))


@people_router.post("", response=responses({201: s.PersonOut}), **named("people_create"),
                    summary="Create a person")
def people_create(request, payload: s.PersonIn):
    """Add a person to a unit within your scope; a Party member (中共党员/预备党员) needs a Party
    organisation within your scope."""
    user = request.auth
    require_any(user, CHANGE)
    data = payload.dict()
    data["unit"] = _ref(Unit, user, data["unit"], "unit")
    data["party_org"] = _ref(PartyOrg, user, data["party_org"], "party_org", CHANGE) if data["party_org"] else None
    person = services.person_create(actor=user, **data)
    return Status(201, _person_out(user, person))


@people_router.get("/{employee_no}", response=responses({200: s.PersonOut}), **named("people_get"),
                   summary="Get a person")
def people_get(request, employee_no: EmployeeNoPath):
    """One person by employee number (工号), personal data masked as in the list."""
    user = request.auth
    return _person_rows(user, [_person_or_404(user, employee_no)])[0]


@people_router.patch("/{employee_no}", response=responses({200: s.PersonOut}), **named("people_update"),
                     summary="Edit a person")
def people_update(request, employee_no: EmployeeNoPath, payload: s.PersonPatch):
    """Change the fields sent, membership included (`party_org`, `joined_on` …)."""
    user = request.auth
    require_any(user, CHANGE)
    person = _person_or_404(user, employee_no)
    changes = payload.dict(exclude_unset=True)
    if "unit" in changes:
        if changes["unit"] is None:
            raise invalid("unit", _("A person belongs to a unit."))
        changes["unit"] = _ref(Unit, user, changes["unit"], "unit")
    if "party_org" in changes:
        code = changes["party_org"]
        changes["party_org"] = _ref(PartyOrg, user, code, "party_org", CHANGE) if code else None
    person = services.person_update(actor=user, person=person, **changes)
    return _person_out(user, person)
