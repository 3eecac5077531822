"""Every meetings list — pages and API — takes the same number of queries for 5 rows as for
40. The `grow_*` helpers are what tests/test_query_counts_api.py may use for the API lists."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.meetings import services
from tests.api.support import ApiClient, token_for
from tests.growth import FEW, MORE

D = dt.date
_seq = itertools.count(1)


def _series(org, su):
    if not hasattr(org, "qc_series"):
        org.qc_series = services.series_create(actor=su, name="质控例会", organiser_unit=org.plant, recurrence="ad_hoc",
                                               starts_on=D(2026, 1, 1), units=[org.plant])
    return org.qc_series


def grow_series(org, personas, n):
    for _ in range(n):
        services.series_create(actor=personas.superuser, name=f"例会{next(_seq)}", organiser_unit=org.area,
                               recurrence="monthly", day=5, starts_on=D(2026, 1, 1), chair=org.worker,
                               invitees=[org.worker], units=[org.plant])


def grow_meetings(org, personas, n):
    su = personas.superuser
    series = _series(org, su)
    for _ in range(n):
        i = next(_seq)
        meeting = services.meeting_create(actor=su, organiser_unit=org.plant, series=series, title=f"会议{i}",
                                          date=D(2026, 6, 1) + dt.timedelta(days=i % 28), start_time=dt.time(9),
                                          end_time=dt.time(10), chair=org.worker, invitees=[org.worker])
        services.agenda_item_add(actor=su, meeting=meeting, title="议题")


def grow_decisions(org, personas, n):
    su = personas.superuser
    if not hasattr(org, "qc_meeting"):
        org.qc_meeting = services.meeting_create(actor=su, organiser_unit=org.plant, title="议定会", date=D(2026, 6, 1),
                                                 start_time=dt.time(9), end_time=dt.time(10))
    for i in range(n):
        decision = services.decision_create(actor=su, meeting=org.qc_meeting, text=f"议定{i}", owner=org.worker,
                                            lead_unit=org.area, deadline=D(2026, 12, 31))
        if i % 3 == 0:
            services.decision_create_task(actor=su, decision=decision)


def _count(get, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = get(url, params)
    assert response.status_code == 200, (url, response.content[:500])
    return len(ctx.captured_queries), response


PAGES = [
    (grow_meetings, "/meetings/", {"date_from": "2026-01-01"}),
    (grow_meetings, "/meetings/calendar/", {"month": "2026-6"}),
    (grow_meetings, "/meetings/export/", {"date_from": "2026-01-01"}),
    (grow_series, "/meetings/series/", {}),
    (grow_decisions, "/meetings/decisions/", {}),
    (grow_decisions, "/meetings/decisions/", {"state": "open"}),
    (grow_decisions, "/meetings/decisions/export/", {}),
]


@pytest.mark.parametrize(("grow", "url", "params"), PAGES, ids=[f"{u}{p}" for _g, u, p in PAGES])
def test_a_list_page_costs_the_same_queries_for_few_rows_and_many(client, org, personas, settings, grow, url, params):
    settings.RONGHE_TODAY = "2026-06-30"
    client.force_login(personas.plant_admin)
    grow(org, personas, FEW)
    small, _response = _count(client.get, url, **params)
    grow(org, personas, MORE - FEW)
    large, _response = _count(client.get, url, **params)
    assert large == small, f"{url}: {small} queries for {FEW} rows, {large} for {MORE}"


def test_a_series_page_costs_the_same_queries_for_few_meetings_and_many(client, org, personas, settings):
    settings.RONGHE_TODAY = "2026-06-30"
    client.force_login(personas.plant_admin)
    grow_meetings(org, personas, FEW)
    url = f"/meetings/series/{org.qc_series.pk}/"
    small, _r = _count(client.get, url)
    grow_meetings(org, personas, MORE - FEW)
    large, _r = _count(client.get, url)
    assert large == small


def test_a_meeting_page_costs_the_same_queries_whatever_its_size(client, org, personas, reform):
    su = personas.superuser
    meeting = services.generate_meetings(actor=su, until=D(2026, 6, 16))[1]

    def grow(n):
        people = [f_person(org, next(_seq)) for _ in range(n)]
        services.attendance_invite(actor=su, meeting=meeting, people=people)
        for i in range(n):
            item = services.agenda_item_add(actor=su, meeting=meeting, title=f"议题{i}", presenter=people[i])
            services.decision_create(actor=su, meeting=meeting, item=item, text=f"议定{i}", owner=people[i],
                                     lead_unit=org.plant, deadline=D(2026, 12, 31))

    client.force_login(reform.chair_user)
    url = f"/meetings/{meeting.pk}/"
    # Past 50 audit entries the page's audit trail holds the same kinds of entry either way.
    grow(30)
    small, _r = _count(client.get, url)
    grow(60)
    large, _r = _count(client.get, url)
    assert large == small


def f_person(org, i):
    from tests import factories as f

    return f.person(org.area, name=f"参会{i}")


API = [
    ("meeting_series_list", grow_series, "meeting-series", {}),
    ("meetings_list", grow_meetings, "meetings", {"date_from": "2026-01-01"}),
    ("meeting_decisions_list", grow_decisions, "meeting-decisions", {}),
    ("meeting_decisions_list", grow_decisions, "meeting-decisions", {"state": "open"}),
]


@pytest.mark.parametrize(("operation", "grow", "path", "query"), API, ids=[f"{o}{q}" for o, _g, _p, q in API])
def test_an_api_list_costs_the_same_queries_for_few_rows_and_many(org, personas, operation, grow, path, query):
    api = ApiClient(token_for(personas.plant_admin))
    api.get("me")
    grow(org, personas, FEW)
    small, response = _count(lambda url, params: api.get(url, page_size=500, **params), path, **query)
    rows = len(response.json()["items"])
    grow(org, personas, MORE - FEW)
    large, response = _count(lambda url, params: api.get(url, page_size=500, **params), path, **query)
    assert len(response.json()["items"]) >= rows + (MORE - FEW) * (1 if "state" not in query else 0.6)
    assert large == small, f"{operation}: {small} queries for {rows} rows, {large} for more"
