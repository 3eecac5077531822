import datetime as dt

import pytest

from ronghe.core.models import AuditEntry
from ronghe.org.importers import PersonImporter, party_post_kind
from ronghe.org.models import PartyMembership, Person, Position
from tests.data import files
from tests.data.import_support import PEOPLE_HEADER, errors_of, import_env, nothing_written  # noqa: F401

D = dt.date




def run(actor, rows, **kwargs):
    return PersonImporter(actor=actor, **kwargs).run_rows(rows, source_name="people.xlsx")


def person(no, name="张三", unit="CY1-A1", **extra):
    return {"工号": no, "姓名": name, "单位编码": unit, **extra}


def test_the_committed_xls_file_imports(org, personas):
    result = PersonImporter(actor=personas.plant_admin).run_file(files.HERE / "people_good.xls")
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 3, "updated": 0, "unchanged": 0, "total": 3}
    zhao = Person.objects.get(employee_no="X1001")
    assert (zhao.gender, zhao.birth_date, zhao.unit, zhao.mobile) == ("M", D(1985, 3, 5), org.area, "13812345678")
    assert zhao.membership.party_org == org.branch and zhao.membership.joined_on == D(2010, 7, 1)
    qian = Person.objects.get(employee_no="X1002")
    assert (qian.birth_date, qian.mobile, qian.political_status) == (D(1990, 2, 15), "13912345678", "masses")
    sun = Person.objects.get(employee_no="1003")
    assert (sun.birth_date, sun.political_status, sun.unit) == (D(1992, 6, 1), "league", org.plant)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_csv_file_in_utf8_or_gbk_imports(org, personas, tmp_path, encoding):
    path = files.csv_file(tmp_path / "people.csv", [
        PEOPLE_HEADER,
        ["E9001", "刘一", "女", "1988/8/8", "CY1-A1-T1", "采油工", "班长", "138-0000-9999", "liu@example.com", "中共预备党员",
         "P-CY1-B1-G1", "2025-07-01", "", "组织委员"],
    ], encoding=encoding)
    result = PersonImporter(actor=personas.superuser).run_file(path)
    assert result.ok, result.as_text_lines()
    liu = Person.objects.get(employee_no="E9001")
    assert (liu.name, liu.gender, liu.post, liu.title, liu.mobile) == ("刘一", "F", "采油工", "班长", "13800009999")
    assert liu.political_status == "probationary" and liu.membership.party_org == org.group
    assert liu.membership.party_post == "组织委员"
    position = Position.objects.get(person=liu)
    assert (position.kind, position.party_org, position.title) == ("committee_member", org.group, "组织委员")


def test_memberships_follow_the_political_status(org, personas):
    result = run(personas.superuser, [
        person(org.worker.employee_no, "王铁人", "CY1-A1-T1", 政治面貌="群众", 所在党组织编码=""),
        person("N1", "新党员", 政治面貌="中共党员", 所在党组织编码="P-CY1-B1", 党内职务="书记", 入党日期="2001-07-01"),
    ])
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 1, "updated": 1, "unchanged": 0, "total": 2}
    assert not PartyMembership.objects.filter(person=org.worker).exists()
    new = Person.objects.get(employee_no="N1")
    assert new.membership.party_org == org.branch and new.membership.joined_on == D(2001, 7, 1)
    assert Position.objects.get(person=new).kind == "secretary"
    again = run(personas.superuser, [person("N1", "新党员", 政治面貌="中共党员", 所在党组织编码="P-CY1-B1", 党内职务="书记",
                                            入党日期="2001-07-01")])
    assert again.counts["unchanged"] == 1 and Position.objects.filter(person=new).count() == 1
    moved = run(personas.superuser, [person("N1", "新党员", 政治面貌="中共党员", 所在党组织编码="P-CY1-B1-G1")])
    assert moved.counts["updated"] == 1
    new.membership.refresh_from_db()
    assert new.membership.party_org == org.group and new.membership.joined_on == D(2001, 7, 1)


def test_one_audit_entry_for_the_batch_hung_off_the_common_unit(org, personas):
    assert run(personas.plant_admin, [person("N1", unit="CY1-A1"), person("N2", unit="CY1-A1-T1")]).ok
    entry = AuditEntry.objects.get(action="import.people")
    assert entry.unit == org.area and entry.actor == personas.plant_admin
    assert not AuditEntry.objects.filter(action__startswith="person.", object_id__in=["N1", "N2"]).exists()


@pytest.mark.parametrize("party_post,kind", [("书记", "secretary"), ("党委副书记", "deputy_secretary"),
                                             ("纪检委员", "committee_member"), ("党员", None), ("", None)])
def test_party_posts_map_to_positions(party_post, kind):
    assert party_post_kind(party_post) == kind


@pytest.mark.parametrize("row,expected,reason", [
    (person("N1", 政治面貌="中共党员"), [(2, "所在党组织编码")], "needs a Party organisation"),
    (person("N1", 政治面貌="中共党员", 所在党组织编码=""), [(2, "所在党组织编码")], "needs a Party organisation"),
    (person("N1", 政治面貌="中共预备党员", 所在党组织编码=""), [(2, "所在党组织编码")], "needs a Party organisation"),
    (person("N1", 政治面貌="群众", 所在党组织编码="P-CY1-B1"), [(2, "所在党组织编码")], "Only Party members"),
    (person("N1", 出生日期="2999-01-01"), [(2, "出生日期")], "cannot be in the future"),
    (person("N1", 手机="23800001111"), [(2, "手机")], "11 digits"),
    (person("N1", 手机="1380000111"), [(2, "手机")], "11 digits"),
    (person("N1", 邮箱="wang@"), [(2, "邮箱")], "e-mail"),
    (person("N1", unit="NOPE"), [(2, "单位编码")], "Unknown unit code “NOPE”"),
    (person("N1", 政治面貌="中共党员", 所在党组织编码="P-NOPE"), [(2, "所在党组织编码")], "Unknown Party organisation"),
    (person("N1", 性别="未知"), [(2, "性别")], "not one of"),
    (person("N1", 政治面貌="中共党员", 所在党组织编码="P-CY1-B1", 入党日期="2020-01-01", 转正日期="2019-01-01"),
     [(2, "转正日期")], "before joining"),
    (person("N1", 手机="138****1111"), [(2, "手机")], "masked"),
])
def test_each_kind_of_error_is_a_row_error_and_nothing_is_written(org, personas, row, expected, reason):
    with nothing_written():
        result = run(personas.superuser, [person("OK1"), row])
    expected = [(r + 1 if r > 1 else r, c) for r, c in expected]
    assert errors_of(result) == expected, result.as_text_lines()
    assert reason in " ".join(result.as_text_lines())


def test_duplicate_employee_numbers_are_an_error(org, personas):
    with nothing_written():
        result = run(personas.superuser, [person("N1"), person("N2"), person("N1")])
    assert errors_of(result) == [(4, "工号")]


def test_a_plant_admin_cannot_import_people_into_a_sibling_plant(org, personas):
    with nothing_written():
        result = run(personas.plant_admin, [
            person("N1", unit="CY2-A1"),
            person("N2", 政治面貌="中共党员", 所在党组织编码="P-CY2-B1"),
            person(org.sib_worker.employee_no, "李四", unit="CY2-A1"),
            person(org.worker.employee_no, "王铁人", unit="CY2-A1"),
        ])
    assert errors_of(result) == [(2, "单位编码"), (3, "所在党组织编码"), (4, "工号"), (5, "单位编码")]
    assert result.errors[0].message == "Unknown unit code “CY2-A1”."
    assert result.errors[3].message == "Unknown unit code “CY2-A1”."


def test_a_masked_export_value_keeps_the_stored_one(org, personas):
    result = run(personas.superuser, [person(org.worker.employee_no, "王铁人", "CY1-A1-T1", 手机="138****1111",
                                             出生日期="1980-**-**", 政治面貌="中共党员", 所在党组织编码="P-CY1-B1")])
    assert result.ok and result.counts["unchanged"] == 1, result.as_text_lines()
    org.worker.refresh_from_db()
    assert (org.worker.mobile, org.worker.birth_date) == ("13800001111", D(1980, 5, 4))
