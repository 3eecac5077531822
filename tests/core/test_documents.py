"""The shared pieces of printable documents: the official Word layout, the PDF call, downloads."""
import io

import docx
import pytest
from docx.oxml.ns import qn

from ronghe.core import documents
from ronghe.core.downloads import DOCX, XLSX, download


def _layout():
    return documents.Layout("关于会议落实情况的通报", ["采油一厂", "2026年6月30日"], [
        documents.Section("", ["正文第一段。"], documents.Table(["序号", "党组织"], [["1", "一区党支部"]], [1, 3])),
        documents.Section("一、逾期任务", [], documents.Table(["任务", "天数"], [], [3, 1], empty="没有逾期任务。",
                                                          numeric={1})),
    ], ["注：按工作日计。"])


def test_a_layout_becomes_an_official_document():
    document = docx.Document(io.BytesIO(documents.layout_docx(_layout())))
    section = document.sections[0]
    assert [round(x.cm, 1) for x in (section.page_width, section.page_height, section.top_margin,
                                     section.bottom_margin, section.left_margin, section.right_margin)] == [
        21.0, 29.7, 3.7, 3.5, 2.8, 2.6]
    texts = [p.text for p in document.paragraphs]
    # A section without a heading adds no empty heading line.
    assert texts == ["关于会议落实情况的通报", "采油一厂", "2026年6月30日", "正文第一段。", "一、逾期任务", "注：按工作日计。"]
    fonts = [p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs]
    assert fonts == ["黑体", "仿宋", "仿宋", "仿宋", "黑体", "仿宋"]
    first, second = ([[c.text for c in row.cells] for row in t.rows] for t in document.tables)
    assert first == [["序号", "党组织"], ["1", "一区党支部"]]
    assert second == [["任务", "天数"], ["没有逾期任务。", "没有逾期任务。"]]   # one merged cell
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer


def test_items_are_numbered_in_chinese_numerals():
    assert [documents.numeral(n) for n in (1, 9, 10, 11, 20, 23, 99)] == ["一", "九", "十", "十一", "二十", "二十三", "九十九"]


def test_documents_fetch_nothing_while_rendering():
    with pytest.raises(ValueError, match="fetch nothing"):
        documents._no_fetch("http://example.com/logo.png")
    assert documents.pdf("<p>通报</p>").startswith(b"%PDF-")


def test_a_download_takes_its_media_type_from_its_name():
    response = download(b"x", "minutes-2026-06-30-1.docx")
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="minutes-2026-06-30-1.docx"'
    shown = download(b"x", "ledger.xlsx", inline=True)
    assert shown["Content-Type"] == XLSX and shown["Content-Disposition"].startswith("inline;")
