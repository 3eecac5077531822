"""Every list page takes the same number of queries with 5 rows as with 40."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ronghe.accounts import services as account_services
from ronghe.org import services
from ronghe.org.models import PartyOrg
from tests import factories as f
from tests.growth import FEW, MORE

_n = itertools.count()


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _units(org, n):
    for _ in range(n):
        i = next(_n)
        unit = f.unit(f"批量单位{i}", parent=org.plant, code=f"BULK{i:04d}")
        f.person(unit, name=f"批量{i}")


def _roots(org, n):
    for _ in range(n):
        i = next(_n)
        f.unit(f"批量顶层{i}", code=f"ROOT{i:04d}")


def _party_orgs(org, n):
    for _ in range(n):
        i = next(_n)
        f.party_org(f"批量支部{i}", parent=org.plant_po, unit_=org.area, code=f"PB{i:04d}")


def _people(org, n):
    for _ in range(n):
        i = next(_n)
        f.person(org.area, org.branch if i % 2 else None, name=f"批量人员{i}", mobile=f"1380000{i:04d}",
                 birth_date="1985-01-01")


def _changes(org, n):
    for _ in range(n):
        i = next(_n)
        services.node_rename(actor=f.system_user(), node=org.area, name=f"改名{i}", effective_date=dt.date(2024, 1, 1))


def _users(org, n):
    for _ in range(n):
        i = next(_n)
        person = f.person(org.area, name=f"用户{i}")
        f.grant(f.user(f"bulk{i}", person_=person), f.ROLE.VIEWER, org.area)


def _tokens(user):
    def grow(org, n):
        for _ in range(n):
            account_services.api_token_create(actor=user, user=user, name=f"令牌{next(_n)}")
    return grow


CASES = [
    ("superuser", "/", _roots),
    ("viewer", "/", _units),
    ("superuser", "/units/", _roots),
    ("viewer", "/units/CY1/children/", _units),
    ("viewer", "/units/?q=批量", _units),
    ("viewer", "/units/?as_of=2024-06-01", _roots),
    ("viewer", "/units/CY1/children/?as_of=2024-06-01", _units),
    ("viewer", "/units/list/", _units),
    ("plant_admin", "/units/list/?under=CY1&sort=name", _units),
    ("viewer", "/units/changes/?start=2023-01-01", _changes),
    ("viewer", "/units/CY1/", _units),
    ("viewer", "/party-orgs/P-CY1/children/", _party_orgs),
    ("viewer", "/party-orgs/list/", _party_orgs),
    ("viewer", "/party-orgs/?q=批量", _party_orgs),
    ("viewer", "/party-orgs/P-CY1/", _people),
    ("viewer", "/people/", _people),
    ("plant_admin", "/people/?unit=CY1&sort=unit", _people),
    ("secretary", "/people/", _people),
    ("viewer", "/units/CY1-A1/", _people),
    ("plant_admin", "/accounts/users/", _users),
    ("superuser", "/accounts/users/", _users),
]


@pytest.mark.parametrize(("persona", "url", "grow"), CASES, ids=[f"{p}:{u}" for p, u, _ in CASES])
def test_a_list_page_takes_a_flat_number_of_queries(client, org, personas, persona, url, grow):
    client.force_login(getattr(personas, persona))
    grow(org, FEW)
    small = _queries(client, url)
    grow(org, MORE - FEW)
    assert _queries(client, url) == small


def test_the_token_list_takes_a_flat_number_of_queries(client, org, personas):
    client.force_login(personas.viewer)
    grow = _tokens(personas.viewer)
    grow(org, FEW)
    small = _queries(client, "/accounts/tokens/")
    grow(org, MORE - FEW)
    assert _queries(client, "/accounts/tokens/") == small


def test_the_party_org_roots_take_a_flat_number_of_queries(client, org, personas):
    client.force_login(personas.superuser)
    for i in range(FEW):
        f.party_org(f"根{i}", unit_=org.hq, kind=PartyOrg.Kind.COMMITTEE)
    small = _queries(client, "/party-orgs/")
    for i in range(MORE - FEW):
        f.party_org(f"根b{i}", unit_=org.hq, kind=PartyOrg.Kind.COMMITTEE)
    assert _queries(client, "/party-orgs/") == small
