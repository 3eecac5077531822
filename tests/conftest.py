"""Shared personas and a small organisation:

    总部 HQ ─┬─ 党委组织部 (dept)
             ├─ 采油一厂 plant ── 作业一区 area ── 采油一班 team
             └─ 采油二厂 sibling plant ── 作业区 area2

    党委 root committee (HQ) ─┬─ 一厂党委 (plant) ── 一区党支部 (area) ── 第一党小组
                               └─ 二厂党委 (sibling) ── 二厂党支部
"""
from types import SimpleNamespace

import pytest
from django.db import connection

from ronghe.org.models import PartyOrg
from tests import factories as f


def pytest_collection_modifyitems(config, items):
    """Tests of PostgreSQL's own behaviour run in the PostgreSQL pass of the suite only; they are
    deselected (not skipped) on SQLite."""
    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs about a second per persona; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    return build_org()


@pytest.fixture
def personas(org):
    return build_personas(org)


def build_org():
    """The organisation drawn above, for fixtures of a wider scope than `org`'s."""
    hq = f.unit("总部", code="HQ", level="division", kind="hq_department")
    dept = f.unit("党委组织部", parent=hq, code="HQ-ZZB", kind="hq_department")
    plant = f.unit("采油一厂", parent=hq, code="CY1", level="division", kind="secondary")
    area = f.unit("作业一区", parent=plant, code="CY1-A1", kind="grassroots")
    team = f.unit("采油一班", parent=area, code="CY1-A1-T1", kind="team")
    sibling = f.unit("采油二厂", parent=hq, code="CY2", level="division", kind="secondary")
    area2 = f.unit("二厂作业区", parent=sibling, code="CY2-A1", kind="grassroots")
    root_po = f.party_org("油田党委", unit_=hq, kind=PartyOrg.Kind.COMMITTEE, code="P-ROOT")
    plant_po = f.party_org("一厂党委", parent=root_po, unit_=plant, kind=PartyOrg.Kind.COMMITTEE, code="P-CY1")
    branch = f.party_org("一区党支部", parent=plant_po, unit_=area, code="P-CY1-B1")
    group = f.party_org("第一党小组", parent=branch, unit_=team, kind=PartyOrg.Kind.GROUP, code="P-CY1-B1-G1")
    sib_po = f.party_org("二厂党委", parent=root_po, unit_=sibling, kind=PartyOrg.Kind.COMMITTEE, code="P-CY2")
    sib_branch = f.party_org("二厂党支部", parent=sib_po, unit_=area2, code="P-CY2-B1")
    worker = f.person(team, branch, name="王铁人", mobile="13800001111", birth_date="1980-05-04")
    sib_worker = f.person(area2, sib_branch, name="李四", mobile="13900002222")
    return SimpleNamespace(**locals())


def build_personas(org):
    superuser = f.user("root", superuser=True)
    viewer = f.user("viewer")
    f.grant(viewer, f.ROLE.VIEWER, org.hq)
    plant_admin = f.user("plantadmin")
    f.grant(plant_admin, f.ROLE.ADMIN, org.plant)
    secretary = f.user("secretary")
    f.grant(secretary, f.ROLE.SECRETARY, org.sib_branch)
    outsider = f.user("outsider")
    return SimpleNamespace(superuser=superuser, viewer=viewer, plant_admin=plant_admin, secretary=secretary,
                           outsider=outsider)


@pytest.fixture
def login(client):
    """`login(user)` gives the test client logged in as that user."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user
