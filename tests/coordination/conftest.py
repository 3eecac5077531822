import datetime as dt
from types import SimpleNamespace

import pytest

from ronghe.org.models import Position
from tests import factories as f

D = dt.date
TODAY = D(2026, 6, 30)  # a Tuesday


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def coord(org, personas, settings, media):
    """The plant raises requests to the Organisation Department (党委组织部) of HQ.

    - `raiser`: a plant employee with the plant's admin role
    - `dept_admin`: administers the department; `dept_head`: heads it (has a login)
    - `hq_head`: heads HQ, the department's parent: escalations reach him
    """
    settings.RONGHE_TODAY = TODAY.isoformat()
    raiser = f.user("raiser", person_=f.person(org.plant, name="孙提出"))
    f.grant(raiser, f.ROLE.ADMIN, org.plant)
    dept_admin = f.user("deptadmin", person_=f.person(org.dept, name="周部员"))
    f.grant(dept_admin, f.ROLE.ADMIN, org.dept)
    dept_head = f.user("depthead", person_=f.person(org.dept, name="吴部长"))
    Position.objects.create(person=dept_head.person, unit=org.dept, kind=Position.Kind.HEAD)
    hq_head = f.user("hqhead", person_=f.person(org.hq, name="郑总"))
    Position.objects.create(person=hq_head.person, unit=org.hq, kind=Position.Kind.HEAD)
    return SimpleNamespace(raiser=raiser, dept_admin=dept_admin, dept_head=dept_head, hq_head=hq_head)


@pytest.fixture
def raise_one(org, coord):
    """`raise_one(**overrides)` raises a request from the plant to the department."""
    from ronghe.coordination import services

    def make(**overrides):
        fields = {"actor": coord.raiser, "title": "新井用地审批", "description": "请协调新井用地审批手续。",
                  "from_unit": org.plant, "to_unit": org.dept, "category": "policy"}
        fields.update(overrides)
        return services.request_raise(**fields)

    return make
