"""Pages of the organisation: the two trees (lazy, as of any date, searchable), flat lists with
export, detail pages, and the forms that change them. Thin: reads go through org.selectors,
writes through org.services; anything outside the viewer's scope answers 404."""
import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ronghe.accounts.models import Role, RoleAssignment
from ronghe.core import audit, clock, masking
from ronghe.core.errors import OutOfScope
from ronghe.core.forms import add_service_errors
from ronghe.core.scoping import CHANGE, IMPORT, MANAGE_ROLES, allows, scope_for
from ronghe.core.views import with_diffs
from ronghe.org import exporters, forms, selectors, services, trees
from ronghe.org.models import PartyOrg, Person, Position, Unit

PAGE_SIZE = 50
SEARCH_LIMIT = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Tree:
    """What differs between the unit pages and the party org pages."""

    model: type
    prefix: str
    import_kind: str
    title: str
    create_form: type
    edit_form: type
    selector: object
    exporter: object

    def url(self, name, *args):
        return reverse(f"{self.prefix}_{name}", args=args)


UNITS = Tree(Unit, "unit", "units", gettext_lazy("Units"), forms.UnitCreateForm, forms.UnitEditForm,
             selectors.units, exporters.units_xlsx)
PARTY_ORGS = Tree(PartyOrg, "party_org", "party_orgs", gettext_lazy("Party organisations"),
                  forms.PartyOrgCreateForm, forms.PartyOrgEditForm, selectors.party_orgs, exporters.party_orgs_xlsx)


def _flag(request, name):
    return request.GET.get(name, "") in ("1", "on", "true", "yes")


def _as_of(request):
    try:
        return clock.parse_as_of(request.GET.get("as_of"))
    except clock.BadDate as exc:
        messages.error(request, str(exc))
        return None


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _export(exporter, queryset, user, stem: str) -> HttpResponse:
    """The rows a list shows, with its filters, as an xlsx download (scoped and masked by the
    exporter, which takes the user)."""
    response = HttpResponse(exporter(queryset, user), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{clock.today():%Y%m%d}.xlsx"'
    return response


def _kind_label(tree, value):
    choices = dict(tree.model.Kind.choices) if tree.model is PartyOrg else dict(Unit.Level.choices)
    return choices.get(value, "")


# --- home --------------------------------------------------------------------------------------

def home(request):
    """The user's scope at a glance: what they can see, and the roles that give it."""
    user = request.user
    party_orgs = PartyOrg.objects.restrict(user).filter(abolished_on=None)
    people = Person.objects.restrict(user).filter(is_active=True)
    by_kind = dict(party_orgs.order_by().values_list("kind").annotate(n=Count("id")))
    n_units = Unit.objects.restrict(user).filter(abolished_on=None).count()
    summary = [
        ("units", _("Units"), n_units, "building", "blue"),
        ("people", _("People"), people.count(), "users", "green"),
        ("party_members", _("Party members"), people.filter(political_status__in=Person.PARTY_STATUSES).count(),
         "star", "red"),
        ("probationary", _("Probationary members"),
         people.filter(political_status=Person.PoliticalStatus.PROBATIONARY).count(), "star-half", "orange"),
        ("party_orgs", _("Party organisations"), sum(by_kind.values()), "flag", "purple"),
    ]
    return render(request, "org/home.html", {
        "summary": summary,
        "party_org_chart": [{"name": label, "value": by_kind.get(value, 0)} for value, label in PartyOrg.Kind.choices],
        "roles": RoleAssignment.objects.filter(user=user).select_related("unit", "party_org"),
        "roots": _live_rows(UNITS, selectors.children_with_counts(Unit, user, None)) if n_units else [],
        "units_tree": UNITS,
    })


# --- trees -------------------------------------------------------------------------------------

def _live_rows(tree, nodes):
    return [{"code": n.code, "name": n.name, "abolished": bool(n.abolished_on), "has_children": n.has_children,
             "counts": n.counts, "label": _kind_label(tree, n.kind if tree.model is PartyOrg else n.level)}
            for n in nodes]


def _dated_forest(tree, user, as_of, include_abolished):
    return trees.build_forest(selectors.visible_states_as_of(tree.model, user, as_of,
                                                            include_abolished=include_abolished))


def _dated_rows(tree, nodes):
    return [{"code": n["code"], "name": n["name"], "abolished": n["ended"], "has_children": bool(n["children"]),
             "counts": None, "label": _kind_label(tree, n.get("kind") if tree.model is PartyOrg else n.get("level"))}
            for n in nodes]


def _find(forest, pk):
    stack = list(forest)
    while stack:
        node = stack.pop()
        if node["id"] == pk:
            return node
        stack.extend(node["children"])
    return None


def _breadcrumbs(model, user, nodes):
    """For each node, its visible ancestors' names, in two queries whatever the number of nodes."""
    ids = {a for n in nodes for a in n.ancestor_ids()}
    names = dict(model.objects.restrict(user).filter(pk__in=ids).values_list("pk", "name"))
    return {n.pk: [names[a] for a in n.ancestor_ids() if a in names] for n in nodes}


def tree_page(request, tree: Tree):
    user = request.user
    as_of = _as_of(request)
    include_abolished = _flag(request, "abolished")
    q = request.GET.get("q", "").strip()
    context = {"tree": tree, "q": q, "as_of": as_of, "include_abolished": include_abolished,
               "can_import": not scope_for(user, IMPORT).empty,
               "can_create": tree.model.objects.restrict(user, CHANGE).exists() or user.is_superuser}
    if q:
        results = list(selectors.filter_nodes(tree.selector(user), q=q, include_abolished=include_abolished)
                       .order_by("path")[:SEARCH_LIMIT])
        paths = _breadcrumbs(tree.model, user, results)
        context["results"] = [(node, paths[node.pk]) for node in results]
        context["limit"] = SEARCH_LIMIT
    elif as_of:
        context["rows"] = _dated_rows(tree, _dated_forest(tree, user, as_of, include_abolished))
    else:
        context["rows"] = _live_rows(tree, selectors.children_with_counts(
            tree.model, user, None, include_abolished=include_abolished))
    return render(request, "org/tree.html", context)


@require_GET
def tree_children(request, tree: Tree, code):
    """The children of one node, as list items for the tree (one request per expansion)."""
    user = request.user
    node = get_object_or_404(tree.model.objects.restrict(user), code=code)
    as_of = _as_of(request)
    include_abolished = _flag(request, "abolished")
    if as_of:
        found = _find(_dated_forest(tree, user, as_of, include_abolished), node.pk)
        rows = _dated_rows(tree, found["children"] if found else [])
    else:
        rows = _live_rows(tree, selectors.children_with_counts(tree.model, user, node,
                                                               include_abolished=include_abolished))
    return render(request, "org/_tree_rows.html", {"tree": tree, "rows": rows, "as_of": as_of,
                                                    "include_abolished": include_abolished})


def _parse_day(request, name, default):
    try:
        return clock.parse_as_of(request.GET.get(name)) or default
    except clock.BadDate as exc:
        messages.error(request, str(exc))
        return default


def changes_page(request, tree: Tree):
    """What changed in a tree between two dates."""
    user = request.user
    end = _parse_day(request, "end", clock.today())
    start = _parse_day(request, "start", end - dt.timedelta(days=365))
    page = _page(request, selectors.changes_between(tree.model, user, start, end))
    parents = {c.state.get("parent") for c in page} | {(c.before or {}).get("parent") for c in page}
    parent_names = dict(tree.model.objects.restrict(user).filter(pk__in=parents - {None}).values_list("pk", "name"))
    rows = []
    for change in page:
        before = change.before or {}
        diff = [(k, before.get(k), v) for k, v in change.state.items() if before.get(k) != v] if change.before else []
        diff = [(k, parent_names.get(b, b) if k == "parent" else b, parent_names.get(a, a) if k == "parent" else a)
                for k, b, a in diff]
        rows.append({"change": change, "node": change.node, "diff": diff})
    return render(request, "org/changes.html", {"tree": tree, "start": start, "end": end, "page_obj": page,
                                                "rows": rows})


# --- flat lists with export --------------------------------------------------------------------

NODE_SORTS = {"code": "code", "-code": "-code", "name": "name", "-name": "-name",
              "established": "established_on", "-established": "-established_on", "tree": "path"}


def _node_list_queryset(request, tree, user):
    params = request.GET
    qs = selectors.filter_nodes(tree.selector(user), q=params.get("q", "").strip(),
                                include_abolished=_flag(request, "abolished"))
    under = params.get("under", "").strip()
    under_node = None
    if under:
        under_node = tree.model.objects.restrict(user).filter(code=under).first()
        qs = qs.filter(path__startswith=under_node.path) if under_node else qs.none()
    if tree.model is Unit:
        if params.get("level") in Unit.Level.values:
            qs = qs.filter(level=params["level"])
        if params.get("kind") in Unit.Kind.values:
            qs = qs.filter(kind=params["kind"])
    else:
        if params.get("kind") in PartyOrg.Kind.values:
            qs = qs.filter(kind=params["kind"])
    sort = params.get("sort", "tree")
    return qs.order_by(NODE_SORTS.get(sort, "path"), "code"), under_node, sort


def list_page(request, tree: Tree):
    user = request.user
    qs, under_node, sort = _node_list_queryset(request, tree, user)
    if request.GET.get("export") == "xlsx":
        return _export(tree.exporter, qs, user, tree.import_kind)
    page = _page(request, qs)
    counts = selectors.subtree_counts(page.object_list)
    for node in page.object_list:
        node.counts = counts[node.pk]
    filters = {"kinds": PartyOrg.Kind.choices if tree.model is PartyOrg else Unit.Kind.choices,
               "levels": Unit.Level.choices if tree.model is Unit else []}
    return render(request, "org/list.html", {
        "tree": tree, "page_obj": page, "under_node": under_node, "sort": sort, "filters": filters,
        "can_import": not scope_for(user, IMPORT).empty,
    })


# --- detail ------------------------------------------------------------------------------------

def _audit_trail(obj, user, limit=50):
    return with_diffs(audit.history(obj).restrict(user)[:limit], user)


def _role_assignments(node):
    field = "unit" if isinstance(node, Unit) else "party_org"
    return RoleAssignment.objects.filter(**{field: node}).select_related("user", "user__person")


def _state_then(tree, user, node, as_of):
    """The node as it stood on `as_of`, its parent and type in words; None if it did not exist."""
    state = selectors.states_as_of(tree.model, as_of, ids=[node.pk]).get(node.pk)
    if state is None:
        return None
    parent = tree.model.objects.restrict(user).filter(pk=state.get("parent")).first() if state.get("parent") else None
    kind = state.get("kind") if tree.model is PartyOrg else state.get("level")
    return {**state, "parent_node": parent, "label": _kind_label(tree, kind)}


def detail_page(request, tree: Tree, code):
    user = request.user
    node = get_object_or_404(tree.selector(user), code=code)
    if isinstance(node, Unit):
        people = selectors.people(user).filter(unit__path__startswith=node.path, is_active=True)
    else:
        people = selectors.people(user).filter(membership__party_org__path__startswith=node.path, is_active=True)
    people_page = _page(request, people.order_by("unit__path", "employee_no"), size=20)
    masking.mark_people(user, people_page.object_list)
    if request.htmx and request.htmx.target == "people-card":
        return render(request, "org/_people_card.html", {"node": node, "tree": tree, "page_obj": people_page})
    counts = selectors.subtree_counts([node])[node.pk]
    as_of = _as_of(request)
    if as_of:
        found = _find(_dated_forest(tree, user, as_of, include_abolished=True), node.pk)
        children = _dated_rows(tree, found["children"] if found else [])
    else:
        children = _live_rows(tree, selectors.children_with_counts(tree.model, user, node))
    context = {
        "tree": tree, "node": node, "page_obj": people_page, "counts": counts,
        "full_members": counts["party_members"] - counts["probationary"],
        "ancestors": list(tree.model.objects.restrict(user).filter(pk__in=node.ancestor_ids()).order_by("depth")),
        "as_of": as_of, "children": children,
        "state_then": _state_then(tree, user, node, as_of) if as_of else None,
        "leaders": selectors.leaders_of(node),
        "changes": selectors.history_of(node)[:50],
        "audit_trail": _audit_trail(node, user),
        "can_change": allows(user, CHANGE, node),
        "can_manage_roles": allows(user, MANAGE_ROLES, node),
        "can_import": not scope_for(user, IMPORT).empty,
        "position_kinds": Position.Kind.choices,
    }
    if isinstance(node, Unit):
        context["party_orgs"] = PartyOrg.objects.restrict(user).filter(unit=node, abolished_on=None)
    else:
        context["unit_visible"] = Unit.objects.restrict(user).filter(pk=node.unit_id).exists()
    if context["can_manage_roles"]:
        context["roles"] = _role_assignments(node)
        context["role_choices"] = Role.choices
    return render(request, "org/detail.html", context)


# --- forms -------------------------------------------------------------------------------------

def _changeable_node(tree, user, code):
    node = get_object_or_404(tree.model.objects.restrict(user), code=code)
    if not allows(user, CHANGE, node):
        raise Http404
    return node


def _run(form, call, field_map=None):
    """Call a service with the form's data; its ValidationError goes onto the form."""
    try:
        return call()
    except OutOfScope as exc:
        raise Http404 from exc
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None


def create_page(request, tree: Tree):
    user = request.user
    parent_code = request.GET.get("parent", "")
    initial = {"parent": parent_code}
    if tree.model is PartyOrg and request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    form = tree.create_form(request.POST or None, user=user, initial=initial)
    if not form["parent"].field.queryset.exists() and not user.is_superuser:
        raise Http404
    if request.method == "POST" and form.is_valid():
        create = services.unit_create if tree.model is Unit else services.party_org_create
        node = _run(form, lambda: create(actor=user, **form.service_kwargs()))
        if node is not None:
            messages.success(request, _("“%(name)s” was created.") % {"name": node.name})
            return redirect(tree.url("detail", node.code))
    return render(request, "org/form.html", {"tree": tree, "form": form, "node": None,
                                             "title": _("New %(what)s") % {"what": tree.model._meta.verbose_name}})


NODE_ACTIONS = {
    "edit": (gettext_lazy("Edit"), None),
    "rename": (gettext_lazy("Rename"), forms.RenameForm),
    "move": (gettext_lazy("Move"), forms.MoveForm),
    "merge": (gettext_lazy("Merge"), forms.MergeForm),
    "abolish": (gettext_lazy("Abolish"), forms.AbolishForm),
}


def _apply(action, user, node, form):
    data = form.cleaned_data
    dated = {"effective_date": data["effective_date"], "reason": data["reason"]}
    if action == "edit":
        return services.node_edit(actor=user, node=node, **dated, **form.changes())
    if action == "rename":
        return services.node_rename(actor=user, node=node, name=data["name"], **dated)
    if action == "move":
        return services.node_move(actor=user, node=node, new_parent=data["new_parent"], **dated)
    if action == "merge":
        return services.node_merge(actor=user, node=node, into=data["into"], **dated)
    return services.node_abolish(actor=user, node=node, **dated)


def action_page(request, tree: Tree, code, action):
    user = request.user
    node = _changeable_node(tree, user, code)
    title, form_class = NODE_ACTIONS[action]
    form_class = form_class or tree.edit_form
    form = form_class(request.POST or None, user=user, node=node)
    if request.method == "POST" and form.is_valid():
        done = _run(form, lambda: _apply(action, user, node, form), field_map={"parent": "new_parent"})
        if done is not None:
            messages.success(request, _("%(action)s: “%(name)s” done.") % {"action": title, "name": node.name})
            return redirect(tree.url("detail", node.code))
    return render(request, "org/form.html", {"tree": tree, "form": form, "node": node, "action": action,
                                             "title": f"{title} · {node.name}"})


@require_POST
def position_add(request, tree: Tree, code):
    """Name a leader of the unit or party org whose page the form is on."""
    user = request.user
    node = _changeable_node(tree, user, code)
    form = forms.PositionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = selectors.people(user).filter(employee_no=data["employee_no"].strip()).first()
        if person is None:
            messages.error(request, _("No such person within your scope."))
        else:
            target = {"unit": node} if tree.model is Unit else {"party_org": node}
            try:
                services.position_assign(actor=user, person=person, kind=data["kind"], title=data["title"],
                                         sort_order=data["sort_order"] or 0, **target)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(name)s was added to the leaders.") % {"name": person.name})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(tree.url("detail", node.code))


@require_POST
def position_remove(request, pk):
    user = request.user
    position = get_object_or_404(
        Position.objects.restrict(user, CHANGE).select_related("unit", "party_org", "person"), pk=pk)
    node, tree = (position.unit, UNITS) if position.unit_id else (position.party_org, PARTY_ORGS)
    try:
        services.position_remove(actor=user, position=position)
    except OutOfScope as exc:
        raise Http404 from exc
    messages.success(request, _("%(name)s was removed from the leaders.") % {"name": position.person.name})
    return redirect(tree.url("detail", node.code))


# --- people ------------------------------------------------------------------------------------

PEOPLE_SORTS = {"employee_no": "employee_no", "-employee_no": "-employee_no", "name": "name", "-name": "-name",
                "unit": "unit__path", "-unit": "-unit__path"}


def _people_queryset(request, user):
    params = request.GET
    qs = selectors.people(user)
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    chosen = {}
    if params.get("unit"):
        chosen["unit"] = Unit.objects.restrict(user).filter(code=params["unit"].strip()).first()
        qs = qs.filter(unit__path__startswith=chosen["unit"].path) if chosen["unit"] else qs.none()
    if params.get("party_org"):
        chosen["party_org"] = PartyOrg.objects.restrict(user).filter(code=params["party_org"].strip()).first()
        qs = (qs.filter(membership__party_org__path__startswith=chosen["party_org"].path)
              if chosen["party_org"] else qs.none())
    if params.get("status") in Person.PoliticalStatus.values:
        qs = qs.filter(political_status=params["status"])
    if not _flag(request, "inactive"):
        qs = qs.filter(is_active=True)
    sort = params.get("sort", "employee_no")
    return qs.order_by(PEOPLE_SORTS.get(sort, "employee_no"), "pk"), chosen, sort


def person_list(request):
    user = request.user
    qs, chosen, sort = _people_queryset(request, user)
    if request.GET.get("export") == "xlsx":
        return _export(exporters.people_xlsx, qs, user, "people")
    page = _page(request, qs)
    masking.mark_people(user, page.object_list)
    return render(request, "org/person_list.html", {
        "page_obj": page, "chosen": chosen, "sort": sort, "statuses": Person.PoliticalStatus.choices,
        "can_import": not scope_for(user, IMPORT).empty,
        "can_create": Unit.objects.restrict(user, CHANGE).exists(),
    })


def person_detail(request, employee_no):
    user = request.user
    person = get_object_or_404(selectors.people(user), employee_no=employee_no)
    masking.mark_people(user, [person])
    # A position shows when the viewer can see the unit or party org it is held in.
    positions = (Position.objects.restrict(user).filter(person=person)
                 .select_related("unit", "party_org").order_by("sort_order", "id"))
    membership = getattr(person, "membership", None)
    return render(request, "org/person_detail.html", {
        "person": person, "membership": membership, "positions": positions,
        "unit_visible": Unit.objects.restrict(user).filter(pk=person.unit_id).exists(),
        "party_org_visible": membership is not None and PartyOrg.objects.restrict(user).filter(
            pk=membership.party_org_id).exists(),
        "audit_trail": _audit_trail(person, user),
        "can_change": allows(user, CHANGE, person),
        "can_manage_roles": allows(user, MANAGE_ROLES, person),
        "login": getattr(person, "user", None),
    })


def _person_form_page(request, person=None):
    user = request.user
    personal_visible = person is None or masking.personal_ids(user, [person]) == {person.pk}
    initial = {"unit": request.GET.get("unit", "")} if person is None else {}
    form = forms.PersonForm(request.POST or None, user=user, instance=person, personal_visible=personal_visible,
                            initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        if person is None:
            done = _run(form, lambda: services.person_create(actor=user, **data))
        else:
            done = _run(form, lambda: services.person_update(actor=user, person=person, **data))
        if done is not None:
            messages.success(request, _("“%(name)s” was saved.") % {"name": done.name})
            return redirect("person_detail", done.employee_no)
    title = _("New person") if person is None else _("Edit · %(name)s") % {"name": person.name}
    return render(request, "org/person_form.html", {"form": form, "person": person, "title": title})


def person_create(request):
    if not Unit.objects.restrict(request.user, CHANGE).exists():
        raise Http404
    return _person_form_page(request)


def person_edit(request, employee_no):
    person = get_object_or_404(selectors.people(request.user, CHANGE), employee_no=employee_no)
    return _person_form_page(request, person)

