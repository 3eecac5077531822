import datetime as dt

import pytest

from ronghe.core.models import AuditEntry
from ronghe.org.importers import PartyOrgImporter
from ronghe.org.models import OrgChange, PartyOrg
from tests.data import files
from tests.data.import_support import PARTY_HEADER, errors_of, import_env, nothing_written  # noqa: F401

D = dt.date




def run(actor, rows, **kwargs):
    return PartyOrgImporter(actor=actor, **kwargs).run_rows(rows, source_name="party.xlsx")


def row(code, name, kind, parent, unit, **extra):
    return {"党组织编码": code, "党组织名称": name, "组织类型": kind, "上级党组织编码": parent, "所属单位编码": unit, **extra}


def test_a_good_gbk_csv_creates_a_party_tree_with_forward_references(org, personas, tmp_path):
    path = files.csv_file(tmp_path / "party.csv", [
        PARTY_HEADER,
        ["P-CY1-B2-G1", "第一党小组", "党小组", "P-CY1-B2", "CY1-A1-T1", "", ""],
        ["P-CY1-B2", "二区党支部", "党支部", "P-CY1-GB", "CY1-A1", "2023-05-01", "2024-05-01"],
        ["P-CY1-GB", "一厂党总支", "党总支", "P-CY1", "CY1", "2023年1月1日", ""],
    ], encoding="gbk")
    result = PartyOrgImporter(actor=personas.plant_admin).run_file(path)
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 3, "updated": 0, "unchanged": 0, "total": 3}
    general, branch, group = (PartyOrg.objects.get(code=c) for c in ("P-CY1-GB", "P-CY1-B2", "P-CY1-B2-G1"))
    assert group.path == f"{org.root_po.pk}/{org.plant_po.pk}/{general.pk}/{branch.pk}/{group.pk}/"
    assert (branch.kind, branch.unit, branch.renewed_on) == ("branch", org.area, D(2024, 5, 1))
    assert OrgChange.objects.get(party_org=branch).effective_date == D(2023, 5, 1)
    entry = AuditEntry.objects.get(action="import.party_orgs")
    assert entry.party_org == general and entry.unit == org.plant


def test_existing_party_orgs_are_updated_and_moved(org, personas):
    result = run(personas.superuser, [
        row("P-CY2-B1", "二厂第一党支部", "党支部", "P-CY1", "CY2-A1"),
        row("P-CY1-B1", "一区党支部", "党支部", "P-CY1", "CY1-A1"),
    ])
    assert result.ok, result.as_text_lines()
    assert result.counts == {"created": 0, "updated": 1, "unchanged": 1, "total": 2}
    org.sib_branch.refresh_from_db()
    assert org.sib_branch.path == f"{org.root_po.pk}/{org.plant_po.pk}/{org.sib_branch.pk}/"
    kinds = list(OrgChange.objects.filter(party_org=org.sib_branch).order_by("id").values_list("kind", flat=True))
    assert kinds == ["establish", "rename", "move"]


@pytest.mark.parametrize("rows,expected,reason", [
    ([row("X", "x", "党支部", "P-CY1-B1-G1", "CY1")], [(2, "上级党组织编码")], "Party group"),
    ([row("G", "g", "党小组", "P-CY1", "CY1"), row("X", "x", "党支部", "G", "CY1")], [(3, "上级党组织编码")], "Party group"),
    ([row("P-CY1-B1", "一区党支部", "党小组", "P-CY1", "CY1-A1")], [(2, "组织类型")], "P-CY1-B1-G1"),
    ([row("X", "x", "党支部", "Y", "CY1"), row("Y", "y", "党支部", "X", "CY1")],
     [(2, "上级党组织编码"), (3, "上级党组织编码")], "cycle"),
    ([row("P-CY1", "一厂党委", "党委", "P-CY1-B1", "CY1")], [(2, "上级党组织编码")], "cycle"),
    ([row("X", "x", "党支部", "P-CY1", "NOPE")], [(2, "所属单位编码")], "Unknown unit code “NOPE”"),
    ([row("X", "x", "党支部", "P-NOPE", "CY1")], [(2, "上级党组织编码")], "Unknown Party organisation code"),
    ([row("X", "x", "支部", "P-CY1", "CY1")], [(2, "组织类型")], "not one of"),
    ([row("X", "x", "党支部", "P-CY1", "CY1"), row("X", "x", "党支部", "P-CY1", "CY1")], [(3, "党组织编码")], "more than once"),
    ([row("X", "x", "党支部", "P-CY1", "CY1", 成立日期="2024-01-01", 换届日期="2023-01-01")], [(2, "换届日期")],
     "before the establishment"),
])
def test_each_kind_of_error_is_a_row_error_and_nothing_is_written(org, personas, rows, expected, reason):
    with nothing_written():
        result = run(personas.superuser, rows)
    assert errors_of(result) == expected, result.as_text_lines()
    assert reason in " ".join(result.as_text_lines())


def test_a_plant_admin_cannot_import_party_orgs_into_a_sibling_plant(org, personas):
    with nothing_written():
        result = run(personas.plant_admin, [
            row("X1", "x", "党支部", "P-CY2", "CY1"),
            row("X2", "x", "党支部", "P-CY1", "CY2-A1"),
            row("P-CY2-B1", "改名", "党支部", "P-CY2", "CY2-A1"),
        ])
    assert errors_of(result) == [(2, "上级党组织编码"), (3, "所属单位编码"), (4, "党组织编码")]
    assert result.errors[0].message == "Unknown Party organisation code “P-CY2”."
