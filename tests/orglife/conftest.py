import datetime as dt
from types import SimpleNamespace

import pytest

from tests import factories as f

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def life(org, personas, settings):
    """The shared organisation on 2026-11-25 with members: the plant's branch 一区党支部 has nine
    of its own (王铁人, seven more and its secretary) and one in its 第一党小组, so it has a
    committee; the sibling plant's branch has three, too few for one."""
    settings.RONGHE_TODAY = TODAY.isoformat()
    members = [org.worker] + [f.person(org.area, org.branch, name=f"一区党员{i}") for i in range(1, 8)]
    group_members = [f.person(org.team, org.group, name="小组党员")]
    sib_members = [org.sib_worker] + [f.person(org.area2, org.sib_branch, name=f"二厂党员{i}") for i in (1, 2)]
    secretary = f.person(org.area, org.branch, name="赵书记", party_post="党支部书记")
    members.append(secretary)
    return SimpleNamespace(org=org, personas=personas, members=members, group_members=group_members,
                           sib_members=sib_members, secretary=secretary, today=TODAY)
