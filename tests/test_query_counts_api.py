"""The number of queries of every list endpoint stays the same whether it lists a few rows or many.

The list endpoints are found in the OpenAPI schema (a 200 answer with `items`); each needs a
way to grow its rows below, or in its module's tests/matrix_parts/<module>.py as
`QUERY_COUNT_LISTS` (same shape as LISTS), so a list endpoint added later fails here until it has one."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.accounts import services as account_services
from ronghe.accounts.models import Role
from ronghe.api import api
from ronghe.org import services
from ronghe.org.models import PartyOrg
from ronghe.tasks import services as task_services
from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.growth import FEW, MORE
from tests.test_permission_matrix import parts

SCHEMA = api.get_openapi_schema()
_seq = itertools.count(1)


def _is_page(op):
    ok = op["responses"].get(200) or op["responses"].get("200") or {}
    ref = ok.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    return bool(ref) and "items" in SCHEMA["components"]["schemas"][ref.rsplit("/", 1)[1]].get("properties", {})


LIST_OPERATIONS = sorted(op["operationId"] for ops in SCHEMA["paths"].values() for method, op in ops.items()
                         if method == "get" and _is_page(op))


# --- ways to grow the rows an endpoint lists (as the plant's admin sees them) ----------------------

def more_units(org, personas, n):
    for _ in range(n):
        i = next(_seq)
        services.unit_create(actor=personas.superuser, code=f"QC-U{i}", name=f"班组{i}", parent=org.area,
                             kind="team", effective_date=dt.date(2024, 1, 1))


def more_party_orgs(org, personas, n):
    for _ in range(n):
        i = next(_seq)
        services.party_org_create(actor=personas.superuser, code=f"QC-P{i}", name=f"党小组{i}", kind=PartyOrg.Kind.GROUP,
                                  unit=org.area, parent=org.branch, effective_date=dt.date(2024, 1, 1))


def more_people(org, personas, n):
    for _ in range(n):
        i = next(_seq)
        if i % 2:
            f.person(org.area, org.branch, mobile=f"1380000{i:04d}", birth_date="1985-01-02")
        else:
            f.person(org.team)


def renames(node_of):
    def grow(org, personas, n):
        node = node_of(org)
        for _ in range(n):
            services.node_rename(actor=personas.superuser, node=node, name=f"{node.name[:20]}{next(_seq)}",
                                 effective_date=dt.date(2025, 1, 1))
    return grow


def more_tokens(org, personas, n):
    for _ in range(n):
        account_services.api_token_create(actor=personas.plant_admin, user=personas.plant_admin, name="qc")


def more_assignments(org, personas, n):
    for _ in range(n):
        f.grant(f.user(), Role.VIEWER, org.area if next(_seq) % 2 else org.team)


def more_own_roles(org, personas, n):
    for _ in range(n):
        f.grant(personas.plant_admin, Role.VIEWER, org.team)


def _plant_plan(org):
    """The plant's plan the Five-Ones lists grow in, made on first use."""
    if not hasattr(org, "qc_plan"):
        org.qc_plan = task_services.plan_create(actor=f.system_user(), name="质控方案", unit=org.plant)
    return org.qc_plan


def _task_under_way(org, name, parent=None):
    """A task of the plant, issued, acknowledged and reported on, with two milestones."""
    system = f.system_user()
    task = task_services.task_create(
        actor=system, plan=_plant_plan(org), parent=parent, name=name, leader=org.worker,
        lead_unit=org.area, responsible=org.worker, start_date=dt.date(2025, 1, 1), deadline=dt.date(2025, 12, 31),
        milestones=[(dt.date(2025, 3, 31), "节点一"), (dt.date(2025, 9, 30), "节点二")])
    task_services.task_issue(actor=system, task=task, on=dt.date(2025, 1, 2))
    task_services.task_acknowledge(actor=system, task=task, on=dt.date(2025, 1, 3))
    task_services.progress_report(actor=system, task=task, percent=20, text="推进中", on=dt.date(2025, 2, 1))
    return task


def more_plans(org, personas, n):
    for _ in range(n):
        task_services.plan_create(actor=personas.superuser, name=f"方案{next(_seq)}", unit=org.area)


def more_tasks(org, personas, n):
    """Every fifth task is a top-level one and the parent of the next four, so that pages hold
    parents whose subtrees are rolled up."""
    for _ in range(n):
        i = next(_seq)
        parent = None if i % 5 == 0 else getattr(org, "qc_parent", None)
        task = _task_under_way(org, f"任务{i}", parent)
        if parent is None:
            org.qc_parent = task


def the_task(org):
    if not hasattr(org, "qc_task"):
        org.qc_task = _task_under_way(org, "质控任务")
    return org.qc_task


def more_reports(org, personas, n):
    for _ in range(n):
        task_services.progress_report(actor=personas.superuser, task=the_task(org), percent=30, text="推进中",
                                      problems="无")


def more_extensions(org, personas, n):
    for _ in range(n):
        extension = task_services.extension_request(actor=personas.superuser, task=the_task(org), reason="延期",
                                                    new_deadline=dt.date(2026, 6, 30), percent=30)
        task_services.extension_decide(actor=personas.superuser, extension=extension, approve=False)


def area_audit(org):
    return f"audit/org.unit/{org.area.pk}"


AS_OF = {"as_of": "2025-06-30"}
SINCE = {"from": "2019-01-01"}

# operation id -> [(grow, path or path(org), query)]
LISTS = {
    "units_list": [(more_units, "units", {}), (more_units, "units", AS_OF)],
    "units_children": [(more_units, "units/CY1-A1/children", {}), (more_units, "units/CY1-A1/children", AS_OF)],
    "units_changes": [(more_units, "units/changes", SINCE)],
    "units_history": [(renames(lambda org: org.area), "units/CY1-A1/history", {})],
    "party_orgs_list": [(more_party_orgs, "party-orgs", {}), (more_party_orgs, "party-orgs", AS_OF)],
    "party_orgs_children": [(more_party_orgs, "party-orgs/P-CY1-B1/children", {}),
                            (more_party_orgs, "party-orgs/P-CY1-B1/children", AS_OF)],
    "party_orgs_changes": [(more_party_orgs, "party-orgs/changes", SINCE)],
    "party_orgs_history": [(renames(lambda org: org.branch), "party-orgs/P-CY1-B1/history", {})],
    "people_list": [(more_people, "people", {})],
    "audit_list": [(more_people, "audit", {}), (more_units, "audit", {})],
    "audit_object": [(renames(lambda org: org.area), area_audit, {})],
    "tokens_list": [(more_tokens, "me/tokens", {})],
    "roles_list": [(more_assignments, "roles", {})],
    "plans_list": [(more_plans, "plans", {})],
    "tasks_list": [(more_tasks, "tasks", {}),
                   (more_tasks, "tasks", {"as_of": "2025-06-30", "light": "red", "failure_mode": "no_progress",
                                          "due_before": "2025-12-31"})],
    "tasks_reports": [(more_reports, lambda org: f"tasks/{the_task(org).pk}/reports", {})],
    "tasks_extensions": [(more_extensions, lambda org: f"tasks/{the_task(org).pk}/extensions", {})],
}
for _part in parts():
    LISTS.update(getattr(_part, "QUERY_COUNT_LISTS", {}))
OTHER_GROWING_ANSWERS = {
    "me_get": [(more_own_roles, "me", {})],
}


def queries_of(client, path, query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, page_size=500, **query)
    assert response.status_code == 200, response.content
    body = response.json()
    return len(ctx.captured_queries), len(body["items"] if "items" in body else body["roles"])


def assert_flat(org, personas, grow, path, query):
    client = ApiClient(token_for(personas.plant_admin))
    client.get("me")  # the first use of a token records it; later ones within minutes do not
    path = path(org) if callable(path) else path
    grow(org, personas, FEW)
    small, small_rows = queries_of(client, path, query)
    grow(org, personas, MORE - FEW)
    large, large_rows = queries_of(client, path, query)
    assert large_rows >= small_rows + MORE - FEW, \
        f"{path} {query}: the rows grown do not show ({small_rows} → {large_rows})"
    assert large == small, f"{path} {query}: {small} queries for {small_rows} rows, {large} for {large_rows}"


@pytest.mark.parametrize("operation_id", LIST_OPERATIONS)
def test_a_list_endpoint_costs_the_same_queries_for_few_rows_and_many(operation_id, org, personas):
    if operation_id not in LISTS:
        pytest.fail(f"{operation_id} lists rows but {__file__} does not know how to grow them: add it to LISTS.")
    for grow, path, query in LISTS[operation_id]:
        assert_flat(org, personas, grow, path, query)


@pytest.mark.parametrize("operation_id", sorted(OTHER_GROWING_ANSWERS))
def test_other_answers_that_grow_cost_the_same_queries(operation_id, org, personas):
    for grow, path, query in OTHER_GROWING_ANSWERS[operation_id]:
        assert_flat(org, personas, grow, path, query)


def test_every_list_endpoint_is_measured():
    assert set(LIST_OPERATIONS) == set(LISTS)
