"""Shared bits of the import tests."""
import contextlib

import pytest
from django.utils import translation

from ronghe.core.models import AuditEntry
from ronghe.org.models import OrgChange, PartyMembership, PartyOrg, Person, Position, Unit

MODELS = (Unit, PartyOrg, Person, PartyMembership, Position, OrgChange, AuditEntry)

UNIT_HEADER = ["单位编码*", "单位名称*", "上级单位编码", "机构级别*", "单位类型", "管理人员编制", "成立日期", "撤销日期", "排序"]
PARTY_HEADER = ["党组织编码*", "党组织名称*", "组织类型*", "上级党组织编码", "所属单位编码*", "成立日期", "换届日期"]
PEOPLE_HEADER = ["工号*", "姓名*", "性别", "出生日期", "单位编码*", "岗位", "职务", "手机", "邮箱", "政治面貌",
                 "所在党组织编码", "入党日期", "转正日期", "党内职务"]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@contextlib.contextmanager
def nothing_written():
    before = counts()
    yield
    assert counts() == before


def errors_of(result):
    return [(e.row, e.column) for e in result.errors]


@pytest.fixture(autouse=True)
def import_env(settings):
    """Messages in English (the source language), and the personas' passwords hashed cheaply:
    these tests are about imports, not logins. Autouse wherever it is imported."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield
