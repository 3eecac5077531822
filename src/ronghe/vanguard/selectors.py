"""Reads of carriers and the problem ledger: scoped querysets, the filters pages and the API
share, and the plain facts the statistics (rules.py) are computed from, in a fixed number of
queries whatever the number of rows."""
from collections import defaultdict

from django.db.models import Count, Prefetch, Q

from ronghe.core.scoping import VIEW
from ronghe.org.models import PartyMembership, PartyOrg, Person
from ronghe.vanguard import rules
from ronghe.vanguard.models import Carrier, CarrierMember, Problem


def carriers(user, action=VIEW):
    return Carrier.objects.restrict(user, action).select_related("unit", "party_org")


def problems(user, action=VIEW):
    return Problem.objects.restrict(user, action).select_related("unit", "carrier", "raised_by")


def with_members(qs):
    """Carriers with their members (lead first) and the counts the lists show."""
    return qs.prefetch_related(Prefetch("members", CarrierMember.objects.select_related("person")
                                        .order_by("-is_lead", "id"))).annotate(
        n_members=Count("members", distinct=True),
        n_leads=Count("members", filter=Q(members__is_lead=True), distinct=True))


def host_party_orgs(user, action):
    """Party organisations a carrier may hang off for `user`: those in their scope, active."""
    return PartyOrg.objects.restrict(user, action).filter(abolished_on=None).select_related("unit")


def party_members(user, action=VIEW):
    """Active Party members the user may see (the candidates for a carrier's seats)."""
    return (Person.objects.restrict(user, action)
            .filter(is_active=True, political_status__in=Person.PARTY_STATUSES, membership__isnull=False)
            .select_related("unit", "membership__party_org"))


def in_subtree(qs, lookup: str, node):
    """Rows of `qs` whose node reached by `lookup` ("unit", "party_org", "carrier__unit") lies
    in the subtree of `node`; all rows when `node` is None."""
    return qs if node is None else qs.filter(**{f"{lookup}__path__startswith": node.path})


def filter_carriers(qs, *, q="", kind="", category="", status="", unit=None, party_org=None, production=None,
                    flag=""):
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(commitment__icontains=q) | Q(targets__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if production is not None:
        qs = qs.filter(production_related=production)
    qs = in_subtree(in_subtree(qs, "unit", unit), "party_org", party_org)
    if flag == "no_members":
        qs = qs.exclude(pk__in=CarrierMember.objects.values("carrier_id"))
    elif flag == "no_lead":
        qs = qs.filter(pk__in=CarrierMember.objects.values("carrier_id")).exclude(
            pk__in=CarrierMember.objects.filter(is_lead=True).values("carrier_id"))
    return qs


def filter_problems(qs, *, q="", status="", category="", difficulty="", unit=None, carrier_id=None,
                    raised_from=None, raised_to=None, solved_from=None, solved_to=None):
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(solution__icontains=q))
    if status == "live":
        qs = qs.filter(status__in=(Problem.Status.OPEN, Problem.Status.TACKLING))
    elif status == "solved_or_verified":
        qs = qs.filter(status__in=(Problem.Status.SOLVED, Problem.Status.VERIFIED))
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if carrier_id:
        qs = qs.filter(carrier_id=carrier_id)
    qs = in_subtree(qs, "unit", unit)
    if raised_from:
        qs = qs.filter(raised_on__gte=raised_from)
    if raised_to:
        qs = qs.filter(raised_on__lte=raised_to)
    if solved_from or solved_to:
        qs = qs.filter(status__in=(Problem.Status.SOLVED, Problem.Status.VERIFIED))
    if solved_from:
        qs = qs.filter(solved_on__gte=solved_from)
    if solved_to:
        qs = qs.filter(solved_on__lte=solved_to)
    return qs


# --- facts for the statistics --------------------------------------------------------------------

def carrier_facts(qs) -> list[rules.CarrierFacts]:
    """The plain facts of every carrier of `qs`: two queries."""
    rows = list(qs.order_by().values_list("pk", "kind", "category", "production_related", "established_on",
                                          "retired_on"))
    members, leads = defaultdict(set), {}
    seats = CarrierMember.objects.filter(carrier__in=qs.order_by().values("pk")).values_list(
        "carrier_id", "person_id", "is_lead")
    for carrier_id, person_id, is_lead in seats:
        members[carrier_id].add(person_id)
        if is_lead:
            leads[carrier_id] = person_id
    return [rules.CarrierFacts(pk, kind, category, production, established, retired, frozenset(members[pk]),
                               leads.get(pk)) for pk, kind, category, production, established, retired in rows]


def party_member_ids(user, *, unit=None, party_org=None) -> list[int]:
    """Active Party members in the user's scope (and under `unit` / `party_org` when given):
    the whole that “members covered” is a share of."""
    qs = PartyMembership.objects.restrict(user, VIEW).filter(
        person__is_active=True, person__political_status__in=Person.PARTY_STATUSES)
    qs = in_subtree(qs, "person__unit", unit)
    qs = in_subtree(qs, "party_org", party_org)
    return list(qs.values_list("person_id", flat=True))


def problem_facts(qs) -> list[rules.ProblemFacts]:
    """The plain facts of every problem of `qs`: one query."""
    return [rules.ProblemFacts(*row) for row in qs.order_by().values_list(
        "pk", "status", "category", "carrier_id", "unit_id", "raised_on", "solved_on", "verified_on", "closed_on",
        "oil_t", "gas_m3", "cost_saved")]
