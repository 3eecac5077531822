"""Lists, cards, statistics and exports cost the same number of queries for 5 rows and for 40.

`LISTS` names the API list endpoints of the module and how to grow their rows, in the shape of
tests/test_query_counts_api.py's table, so that they can be listed there too."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.api.support import ApiClient, token_for
from tests.growth import FEW, MORE
from tests.vanguard import factories as vf

_seq = itertools.count(1)


def more_carriers(org, personas, n):
    for _ in range(n):
        i = next(_seq)
        members = [f.person(org.team, org.branch)] if i % 3 else []
        vf.carrier(org.team, org.branch, name=f"质控先锋岗{i}", lead=members[0] if i % 2 and members else None,
                   members=members, kind=("post", "zone", "project")[i % 3])


def more_problems(org, personas, n):
    if not hasattr(org, "qc_carrier"):
        org.qc_carrier = vf.carrier(org.team, org.branch, name="质控难题载体", lead=org.worker)
    for _ in range(n):
        i = next(_seq)
        if i % 2:
            problem = vf.solved(org.team, org.worker, title=f"质控难题{i}", carrier=org.qc_carrier,
                                on=dt.date(2026, 1 + i % 6, 10), workers=[org.worker])
        else:
            problem = vf.problem(org.team, org.worker, title=f"质控难题{i}")
        assert problem.pk


LISTS = {
    "carriers_list": [(more_carriers, "carriers", {}), (more_carriers, "carriers", {"flag": "no_lead"})],
    "problems_list": [(more_problems, "problems", {}),
                      (more_problems, "problems", {"solved_from": "2026-01-01", "solved_to": "2026-06-30"})],
}
OTHER_ANSWERS = {
    "carriers_stats": [(more_carriers, "carriers/stats", {"preset": "h1", "year": "2026"})],
    "problems_stats": [(more_problems, "problems/stats", {"preset": "h1", "year": "2026"}),
                       (more_carriers, "problems/stats", {})],
}
PAGES = [
    (more_carriers, "/vanguard/", {}), (more_carriers, "/vanguard/cards/", {}),
    (more_carriers, "/vanguard/", {"flag": "no_members", "sort": "members"}),
    (more_problems, "/vanguard/problems/", {}), (more_problems, "/vanguard/problems/", {"solved_in": "h1"}),
    (more_problems, "/vanguard/stats/", {"preset": "h1", "year": "2026"}),
    (more_carriers, "/vanguard/stats/", {}),
    (more_carriers, "/vanguard/carriers/export/", {}), (more_problems, "/vanguard/problems/export/", {}),
]


def _api_queries(client, path, query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, page_size=500, **query)
    assert response.status_code == 200, response.content
    body = response.json()
    return len(ctx.captured_queries), len(body.get("items", [])) or body.get("total")


@pytest.mark.parametrize(("name", "index"), [(n, i) for n, cases in {**LISTS, **OTHER_ANSWERS}.items()
                                             for i in range(len(cases))])
def test_an_api_answer_costs_the_same_queries_for_few_rows_and_many(name, index, org, personas):
    grow, path, query = {**LISTS, **OTHER_ANSWERS}[name][index]
    client = ApiClient(token_for(personas.plant_admin))
    client.get("me")
    grow(org, personas, FEW)
    small, _rows = _api_queries(client, path, query)
    grow(org, personas, MORE - FEW)
    large, _rows = _api_queries(client, path, query)
    assert large == small, f"{path} {query}: {small} queries for {FEW} rows, {large} for {MORE}"


def _page_queries(client, path, query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("index",), [(i,) for i in range(len(PAGES))])
def test_a_page_costs_the_same_queries_for_few_rows_and_many(index, org, personas, login):
    grow, path, query = PAGES[index]
    client = login(personas.plant_admin)
    grow(org, personas, FEW)
    small = _page_queries(client, path, query)
    grow(org, personas, MORE - FEW)
    large = _page_queries(client, path, query)
    assert large == small, f"{path} {query}: {small} queries for {FEW} rows, {large} for {MORE}"
