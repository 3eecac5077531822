"""Every read of the organisation that a page, API operation or report needs: scoped, with
related rows fetched in a fixed number of queries."""
import datetime as dt

from django.db.models import Count, Q

from ronghe.core.scoping import VIEW
from ronghe.org.models import OrgChange, PartyMembership, PartyOrg, Person, Position, Unit


def units(user, action=VIEW):
    return Unit.objects.restrict(user, action).select_related("parent")


def party_orgs(user, action=VIEW):
    return PartyOrg.objects.restrict(user, action).select_related("parent", "unit")


def people(user, action=VIEW):
    return Person.objects.restrict(user, action).select_related("unit", "membership__party_org")


def filter_nodes(qs, *, q="", code="", name="", parent=None, subtree=None, include_abolished=False):
    """The filters every tree list offers: free text, code, name, direct parent, subtree."""
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if code:
        qs = qs.filter(code=code)
    if name:
        qs = qs.filter(name__icontains=name)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if subtree is not None:
        qs = qs.filter(path__startswith=subtree.path)
    if not include_abolished:
        qs = qs.filter(abolished_on=None)
    return qs


def in_unit_subtree(qs, lookup: str, code: str):
    """Rows of `qs` whose unit (reached by `lookup`, e.g. "lead_unit") lies in the subtree of
    the unit with `code`; none when no unit has that code."""
    root = Unit.objects.filter(code=code).only("path").first()
    return qs.filter(**{f"{lookup}__path__startswith": root.path}) if root else qs.none()


def _change_fk(model):
    return "unit" if model is Unit else "party_org"


def states_as_of(model, as_of: dt.date, ids=None) -> dict[int, dict]:
    """The state of every node of `model` that existed on `as_of` (abolished ones flagged), from
    the latest OrgChange of each node on or before that date."""
    fk = _change_fk(model)
    changes = OrgChange.objects.filter(**{f"{fk}__isnull": False}, effective_date__lte=as_of)
    if ids is not None:
        changes = changes.filter(**{f"{fk}_id__in": list(ids)})
    latest: dict[int, tuple] = {}
    for node_id, kind, state, effective in changes.order_by(f"{fk}_id", "effective_date", "id").values_list(
            f"{fk}_id", "kind", "state", "effective_date"):
        latest[node_id] = (kind, state, effective)
    out = {}
    for node_id, (kind, state, effective) in latest.items():
        out[node_id] = {**state, "ended": kind in OrgChange.ENDING_KINDS, "last_change": effective}
    return out


def visible_states_as_of(model, user, as_of, *, include_abolished=False) -> dict[int, dict]:
    """states_as_of restricted to the nodes the user may see now."""
    visible = set(model.objects.restrict(user, VIEW).values_list("pk", flat=True))
    states = states_as_of(model, as_of)
    return {k: v for k, v in states.items() if k in visible and (include_abolished or not v["ended"])}


def changes_between(model, user, start: dt.date, end: dt.date):
    """What changed in (start, end]: the OrgChanges of visible nodes, oldest first."""
    fk = _change_fk(model)
    # Scoped through the node, not the change: a unit-scoped admin sees the changes of the
    # party orgs attached to their units too.
    return (OrgChange.objects.filter(**{f"{fk}__in": model.objects.restrict(user, VIEW)},
                                     effective_date__gt=start, effective_date__lte=end)
            .select_related(fk, "actor").order_by("effective_date", "id"))


def subtree_counts(nodes) -> dict[int, dict]:
    """For each node (all of one tree): active sub-units / sub-orgs, people and Party members in
    its subtree. Three grouped queries whatever the number of nodes."""
    nodes = list(nodes)
    if not nodes:
        return {}
    model = type(nodes[0])

    def under(lookup):
        q = Q()
        for node in nodes:
            q |= Q(**{f"{lookup}__startswith": node.path})
        return q

    node_paths = list(model.objects.filter(under("path"), abolished_on=None).values_list("path", flat=True))

    def owners(path):
        return [n.pk for n in nodes if path.startswith(n.path)]

    counts = {n.pk: {"nodes": -1, "people": 0, "party_members": 0, "probationary": 0} for n in nodes}
    for path in node_paths:
        for pk in owners(path):
            counts[pk]["nodes"] += 1
    if model is Unit:
        people_rows = (Person.objects.filter(under("unit__path"), is_active=True).values("unit__path")
                       .annotate(n=Count("id"),
                                 m=Count("id", filter=Q(political_status__in=Person.PARTY_STATUSES)),
                                 p=Count("id", filter=Q(political_status=Person.PoliticalStatus.PROBATIONARY))))
        for row in people_rows:
            for pk in owners(row["unit__path"]):
                counts[pk]["people"] += row["n"]
                counts[pk]["party_members"] += row["m"]
                counts[pk]["probationary"] += row["p"]
    else:
        member_rows = (PartyMembership.objects.filter(under("party_org__path"), person__is_active=True)
                       .values("party_org__path")
                       .annotate(n=Count("id"), p=Count("id", filter=Q(
                           person__political_status=Person.PoliticalStatus.PROBATIONARY))))
        for row in member_rows:
            for pk in owners(row["party_org__path"]):
                counts[pk]["people"] += row["n"]
                counts[pk]["party_members"] += row["n"]
                counts[pk]["probationary"] += row["p"]
    return counts


def children_with_counts(model, user, parent, *, include_abolished=False):
    """The visible children of `parent` (or the user's visible roots when None), each with
    `counts` and `has_children`. Constant number of queries."""
    qs = model.objects.restrict(user, VIEW)
    if parent is None:
        visible = list(qs.filter(abolished_on=None).only("pk", "path"))
        visible_ids = {n.pk for n in visible}
        # roots of the user's visible forest: visible nodes whose parent is not visible
        roots = [n for n in visible if not any(int(a) in visible_ids for a in n.path.split("/")[:-2] if a)]
        qs = qs.filter(pk__in=[n.pk for n in roots])
    else:
        qs = qs.filter(parent=parent)
    if not include_abolished:
        qs = qs.filter(abolished_on=None)
    nodes = list(qs.select_related("parent").annotate(
        n_children=Count("children", filter=Q(children__abolished_on=None))).order_by("sort_order", "code"))
    counts = subtree_counts(nodes)
    for node in nodes:
        node.counts = counts[node.pk]
        node.has_children = node.n_children > 0
    return nodes


def leaders_of(node):
    field = "unit" if isinstance(node, Unit) else "party_org"
    return Position.objects.filter(**{field: node}).select_related("person").order_by("sort_order", "id")


def ancestors(node):
    model = type(node)
    by_id = {n.pk: n for n in model.objects.filter(pk__in=node.ancestor_ids())}
    return [by_id[i] for i in node.ancestor_ids() if i in by_id]


def history_of(node):
    return node.changes.select_related("actor").order_by("-effective_date", "-id")
