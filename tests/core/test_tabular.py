"""The import/export framework on its own: types, headers, readers, error files, templates."""
import datetime as dt
import decimal

import pytest
from django.utils import translation

from ronghe.core.models import AuditEntry
from ronghe.core.tabular import (
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    ERROR_HEADER,
    INT,
    CellError,
    Column,
    Importer,
    importer_for,
    rows_xlsx,
)
from ronghe.core.tabular.columns import parse_date
from tests.data import files

D = dt.date


class Gadgets(Importer):
    kind = "gadgets"
    sheet_title = "物品"
    key = "code"
    columns = [
        Column("code", "编码", aliases=("code",), required=True, max_length=8),
        Column("count", "数量", aliases=("count", "Item Count"), type=INT, min_value=0),
        Column("price", "价格", aliases=("price",), type=DECIMAL),
        Column("active", "启用", aliases=("active",), type=BOOL),
        Column("on", "日期", aliases=("date",), type=DATE),
        Column("color", "颜色", aliases=("colour",), type=CHOICE, choices=(("r", "红", "red"), ("g", "绿", "green"))),
    ]

    def validate(self, records):
        for record in records:
            if record["code"] == "BAD":
                self.error(record, "code", "no BAD codes")

    def save(self, records):
        type(self).saved = [dict(r.values) for r in records]
        return {"created": len(records)}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("raw", ["2026-03-05", "2026/3/5", "2026年3月5日", "20260305", 20260305, "2026.03.05",
                                 "2026-03-05 00:00:00", dt.datetime(2026, 3, 5, 0, 0), D(2026, 3, 5), 46086,
                                 46086.0])
def test_it_reads_every_accepted_way_of_writing_a_date(raw):
    assert parse_date(raw) == D(2026, 3, 5)


@pytest.mark.parametrize("raw", ["2026-02-30", "next week", "05/03/2026", "2026年13月1日", -5, True])
def test_it_rejects_what_is_not_a_date(raw):
    with pytest.raises(CellError):
        parse_date(raw)


@pytest.mark.parametrize("raw,value", [("是", True), ("否", False), ("Y", True), ("n", False), ("TRUE", True),
                                       ("false", False), (1, True), (0, False), ("1", True), (True, True)])
def test_it_reads_yes_and_no(raw, value):
    assert Gadgets.column("active").parse(raw) is value


def test_it_parses_numbers_choices_and_text():
    assert Gadgets.column("count").parse("1,200") == 1200
    assert Gadgets.column("count").parse(12.0) == 12
    assert Gadgets.column("price").parse("3.50") == decimal.Decimal("3.50")
    assert Gadgets.column("color").parse("红") == "r"
    assert Gadgets.column("color").parse(" Green ") == "g"
    assert Gadgets.column("code").parse(1003.0) == "1003"
    for column, raw in [("count", "12.5"), ("count", "-1"), ("price", "abc"), ("color", "蓝"), ("code", "123456789")]:
        with pytest.raises(CellError):
            Gadgets.column(column).parse(raw)


def test_it_matches_headers_with_or_without_the_star_and_by_english_alias(db):
    result = Gadgets().run_rows([{"编码*": "A1", " ITEM count ": "3", "Date": "2026/3/5", "colour": "red",
                                  "备注": "ignored"}])
    assert result.ok, result.as_text_lines()
    assert Gadgets.saved == [{"code": "A1", "count": 3, "on": D(2026, 3, 5), "color": "r"}]


def test_it_reports_a_missing_required_column_once(db):
    result = Gadgets().run_rows([{"数量": 1}, {"数量": 2}, {"数量": 3}])
    assert not result.ok
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.row, error.column) == (1, "编码")
    assert "required column is missing" in error.message


def test_it_reports_every_bad_cell_with_row_and_column_and_writes_nothing(db):
    Gadgets.saved = None
    result = Gadgets().run_rows([
        {"编码": "A1", "数量": "many", "日期": "2026-03-05"},
        {"编码": "A2", "数量": 2, "日期": "someday"},
        {"编码": "BAD", "数量": 2},
        {"编码": "A1"},
    ])
    assert [(e.row, e.column) for e in result.errors] == [(2, "数量"), (3, "日期"), (4, "编码"), (5, "编码")]
    assert "more than once" in result.errors[-1].message and "row 2" in result.errors[-1].message
    assert Gadgets.saved is None
    assert result.as_text_lines()[0] == "Row 2 [数量]: Not a whole number."
    assert not AuditEntry.objects.exists()


def test_it_writes_one_audit_entry_for_the_batch(db):
    result = Gadgets().run_rows([{"编码": f"A{i}"} for i in range(50)], source_name="gadgets.xlsx")
    assert result.ok and result.counts == {"created": 50, "updated": 0, "unchanged": 0, "total": 50}
    entry = AuditEntry.objects.get()
    assert entry.action == "import.gadgets" and entry.object_repr == "gadgets.xlsx"
    assert entry.after["counts"]["total"] == 50 and len(entry.after["sha256"]) == 64


def test_a_dry_run_validates_and_counts_but_writes_no_audit_entry(db):
    result = Gadgets(dry_run=True).run_rows([{"编码": "A1"}])
    assert result.ok and result.dry_run and result.counts["created"] == 1
    assert not AuditEntry.objects.exists()


ROWS = [["编码*", "数量", "日期", "颜色"], ["A1", 1, D(2026, 3, 5), "红"], ["A2", 2, "2026/3/6", "绿"]]


@pytest.mark.parametrize("maker,name,encoding", [
    (files.xlsx, "g.xlsx", None), (files.xls, "g.xls", None), (files.csv_file, "g.csv", "utf-8"),
    (files.csv_file, "g.csv", "utf-8-sig"), (files.csv_file, "g.csv", "gbk"), (files.csv_file, "g.csv", "gb18030"),
])
def test_it_reads_xlsx_xls_and_csv_in_utf8_or_gbk(db, tmp_path, maker, name, encoding):
    rows = ROWS if maker is not files.csv_file else [[str(v) for v in row] for row in ROWS]
    path = maker(tmp_path / name, rows, encoding) if encoding else maker(tmp_path / name, rows)
    result = Gadgets().run_file(path)
    assert result.ok, result.as_text_lines()
    assert Gadgets.saved == [{"code": "A1", "count": 1, "on": D(2026, 3, 5), "color": "r"},
                             {"code": "A2", "count": 2, "on": D(2026, 3, 6), "color": "g"}]


def test_it_reads_the_committed_xls_file(db):
    from ronghe.core.tabular.readers import Source, read_rows

    source = Source(files.HERE / "people_good.xls")
    rows = list(read_rows(source))
    assert source.format == "xls"
    assert rows[1][1][3] == dt.datetime(1985, 3, 5)
    assert rows[2][1][5] == 13912345678.0


def test_it_ignores_trailing_empty_rows_and_numbers_rows_as_the_user_sees_them(db, tmp_path):
    path = files.xlsx(tmp_path / "g.xlsx", [["物品导入"], ["编码", "数量"], ["A1", 1], [None, None], ["A2", "x"],
                                            [], [None], ["", ""]])
    result = Gadgets().run_file(path)
    assert [(e.row, e.column) for e in result.errors] == [(5, "数量")]
    assert result.counts["total"] == 2


def test_it_finds_a_named_sheet(db, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["something else"])
    other = workbook.create_sheet("物品")
    other.append(["编码"])
    other.append(["A9"])
    workbook.save(tmp_path / "g.xlsx")
    assert Gadgets().run_file(tmp_path / "g.xlsx", sheet="物品").ok
    assert Gadgets.saved == [{"code": "A9"}]
    result = Gadgets().run_file(tmp_path / "g.xlsx", sheet="missing")
    assert not result.ok and result.errors[0].row == 0


def test_it_rejects_a_file_that_is_not_a_spreadsheet(db, tmp_path):
    (tmp_path / "g.xlsx").write_bytes(b"not really a workbook")
    result = Gadgets().run_file(tmp_path / "g.xlsx")
    assert not result.ok and result.errors[0].row == 0 and result.error_file is None
    assert result.as_text_lines() == ["File: The file is not a valid Excel workbook."]


def test_the_error_file_is_the_users_xlsx_with_an_error_column_and_bad_cells_highlighted(db, tmp_path):
    path = files.xlsx(tmp_path / "g.xlsx", [["编码", "数量", "备注"], ["A1", "x", "keep me"], ["A2", 2, ""]])
    result = Gadgets().run_file(path)
    rows, workbook = files.read_xlsx(result.error_file)
    assert rows[0] == ["编码", "数量", "备注", ERROR_HEADER]
    assert rows[1][2] == "keep me" and rows[1][3] == "[数量] Not a whole number."
    assert rows[2][3] is None
    sheet = workbook.worksheets[0]
    assert sheet["B2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["A2"].fill.fgColor.rgb in (None, "00000000")


@pytest.mark.parametrize("maker", [files.csv_file, files.xls])
def test_for_csv_and_xls_the_error_file_is_an_xlsx_of_the_same_rows(db, tmp_path, maker):
    path = maker(tmp_path / ("g.csv" if maker is files.csv_file else "g.xls"),
                 [["编码", "数量"], ["A1", "1"], ["A2", "x"]])
    result = Gadgets().run_file(path)
    rows, workbook = files.read_xlsx(result.error_file)
    assert rows[0] == ["编码", "数量", ERROR_HEADER]
    assert rows[2][:2] == ["A2", "x"] and rows[2][2] == "[数量] Not a whole number."
    assert workbook.worksheets[0]["B3"].fill.fgColor.rgb.endswith("FFC7CE")


def test_an_error_file_uploaded_again_reuses_its_error_column(db, tmp_path):
    path = files.xlsx(tmp_path / "g.xlsx", [["编码", "数量"], ["A1", "x"]])
    first = Gadgets().run_file(path)
    (tmp_path / "again.xlsx").write_bytes(first.error_file)
    second = Gadgets().run_file(tmp_path / "again.xlsx")
    rows, _ = files.read_xlsx(second.error_file)
    assert rows[0] == ["编码", "数量", ERROR_HEADER]


def test_run_rows_hands_back_an_error_file_too(db):
    result = Gadgets().run_rows([{"编码": "A1", "数量": "x"}])
    rows, _ = files.read_xlsx(result.error_file)
    assert rows == [["编码", "数量", ERROR_HEADER], ["A1", "x", "[数量] Not a whole number."]]


def test_the_template_has_marked_headers_an_example_drop_downs_and_a_notes_sheet():
    content = Gadgets.template_workbook()
    rows, workbook = files.read_xlsx(content)
    assert rows[0] == ["编码*", "数量", "价格", "启用", "日期", "颜色"]
    assert workbook.sheetnames == ["物品", "说明"]
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in workbook["物品"].data_validations.dataValidation}
    assert validations == {"D2": '"是,否"', "F2": '"红,绿"'}
    notes = [list(r) for r in workbook["说明"].iter_rows(values_only=True)]
    assert [r[0] for r in notes[1:]] == ["编码", "数量", "价格", "启用", "日期", "颜色"]


def test_an_export_imports_back_to_the_same_values(db):
    rows = [{"code": "A1", "count": 3, "price": decimal.Decimal("2.5"), "active": True, "on": D(2026, 3, 5),
             "color": "g"}, {"code": "0042", "active": False}]
    content = Gadgets.export_workbook(rows)
    assert Gadgets().run_file(content, "export.xlsx").ok
    assert Gadgets.saved == [
        {"code": "A1", "count": 3, "price": decimal.Decimal("2.5"), "active": True, "on": D(2026, 3, 5), "color": "g"},
        {"code": "0042", "count": None, "price": None, "active": False, "on": None, "color": ""},
    ]


def test_rows_xlsx_streams_any_rows_with_the_same_headers():
    rows, _ = files.read_xlsx(rows_xlsx(Gadgets.columns, [{"code": "A1", "color": "r"}], sheet_title="x"))
    assert rows == [["编码*", "数量", "价格", "启用", "日期", "颜色"], ["A1", None, None, None, None, "红"]]


def test_the_registry_finds_the_apps_importers():
    assert importer_for("units").__name__ == "UnitImporter"
    assert importer_for("people").__name__ == "PersonImporter"
    assert importer_for("nothing") is None


def test_a_missing_column_is_written_under_the_error_header_of_the_file(db, tmp_path):
    path = files.xlsx(tmp_path / "g.xlsx", [["数量"], [1]])
    rows, _ = files.read_xlsx(Gadgets().run_file(path).error_file)
    assert rows[0][1].startswith(ERROR_HEADER) and "[编码] The required column is missing." in rows[0][1]


def test_a_file_without_any_known_header_gets_its_error_column_after_its_cells(db, tmp_path):
    path = files.xlsx(tmp_path / "g.xlsx", [["foo", "bar"], [1, 2]])
    result = Gadgets().run_file(path)
    assert [(e.row, e.column) for e in result.errors] == [(1, "编码")]
    rows, _ = files.read_xlsx(result.error_file)
    assert rows[0][:2] == ["foo", "bar"] and rows[0][2].startswith(ERROR_HEADER)
