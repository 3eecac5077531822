"""What every printable document of the product shares: the PDF render call, the python-docx
pieces of an official document (公文: A4 with the customary margins, Chinese fonts, headings,
bordered tables, a page number), and the plain blocks (`Layout`, `Section`, `Table`) a
document is laid out in once, so that its HTML page, PDF and Word file never disagree.

Nothing is fetched while rendering: the servers sit on an intranet, and the Noto CJK fonts the
PDFs name are installed on them."""
import io
from dataclasses import dataclass, field

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ronghe.core.downloads import DOCX, PDF  # noqa: F401  (the media types of documents)

HEADING_FONT, BODY_FONT, LATIN_FONT = "黑体", "仿宋", "Times New Roman"
TEXT_WIDTH_CM = 15.6  # between the margins of `official_page`


# --- layout blocks ---------------------------------------------------------------------------------

@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]        # relative column widths
    empty: str = ""            # what a table without rows says instead
    numeric: set[int] = field(default_factory=set)   # columns aligned right

    @property
    def percents(self) -> list[str]:
        total = sum(self.widths)
        return [f"{100 * w / total:.1f}%" for w in self.widths]


@dataclass
class Section:
    heading: str               # empty: the section's text follows the lines under the title
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    key: str = ""


@dataclass
class Layout:
    title: str
    lines: list[str]           # under the title: issuer, date, period, scope
    sections: list[Section]
    notes: list[str] = field(default_factory=list)


NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """一 … 十, 十一 … 九十九: how items and decisions are numbered in an official text."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


# --- PDF -------------------------------------------------------------------------------------------

def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"documents fetch nothing, not even {url}")


def pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (its styles inline, its fonts installed)."""
    # Imported here: WeasyPrint takes a while to load and only document downloads need it.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


# --- Word ------------------------------------------------------------------------------------------

def font(run, east_asian, size=None, *, bold=None, colour=None, latin=LATIN_FONT):
    """Set a run's fonts. Chinese text takes its font from w:eastAsia, which python-docx does not
    set by itself; Latin letters and digits take `latin`."""
    run.font.name = latin
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if colour is not None:
        run.font.color.rgb = colour


def official_page(document):
    """A4 with the margins of an official document (GB/T 9704): 37 mm top, 35 mm bottom,
    28 mm left, 26 mm right, which leaves `TEXT_WIDTH_CM` for the text."""
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def page_numbers(document):
    """The footer's page number, “— 1 —”, as a PAGE field Word fills in."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(paragraph.add_run("— "), BODY_FONT, 12)
    run = paragraph.add_run()
    font(run, BODY_FONT, 12)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    font(paragraph.add_run(" —"), BODY_FONT, 12)


def table(document, table: Table):
    """A bordered table at 五号 (10.5 pt), headings in 黑体 centred, text in 仿宋; a table
    without rows says `table.empty` across its width."""
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(TEXT_WIDTH_CM * w / sum(table.widths)) for w in table.widths]
    for index, header in enumerate(table.headers):
        cell = grid.rows[0].cells[index]
        cell.width = widths[index]
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font(paragraph.add_run(header), HEADING_FONT, 10.5)
    if not table.rows:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        font(merged.paragraphs[0].add_run(table.empty), BODY_FONT, 10.5)
        return grid
    for values in table.rows:
        cells = grid.add_row().cells
        for index, value in enumerate(values):
            cells[index].width = widths[index]
            paragraph = cells[index].paragraphs[0]
            if index in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            font(paragraph.add_run(value), BODY_FONT, 10.5)
    return grid


def save(document) -> bytes:
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def layout_docx(layout: Layout) -> bytes:
    """A layout as an official document: the title in 黑体 at 二号 (22 pt), the lines under it
    centred at 四号 (14 pt), headings in 黑体 and text in 仿宋 at 三号 (16 pt) indented two
    characters, tables at 五号, the notes at 小四 (12 pt), page numbers in the footer."""
    document = docx.Document()
    official_page(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = LATIN_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    page_numbers(document)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(title.add_run(layout.title), HEADING_FONT, 22)
    for line in layout.lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font(paragraph.add_run(line), BODY_FONT, 14)
    for block in layout.sections:
        texts = ([(block.heading, HEADING_FONT)] if block.heading else []) + [(t, BODY_FONT) for t in block.paragraphs]
        for text, name in texts:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)
            font(paragraph.add_run(text), name, 16)
        if block.table is not None:
            table(document, block.table)
    for note in layout.notes:
        font(document.add_paragraph().add_run(note), BODY_FONT, 12)
    return save(document)
