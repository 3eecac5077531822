"""What 三会一课 writes out: the record ledger (xlsx, re-importable through
importers.RecordImporter), the list of missing meetings (xlsx), and the 通报 of missing meetings
as Word (core.documents' official document) and PDF (WeasyPrint from an HTML page)."""
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ronghe.core import documents
from ronghe.core.scoping import VIEW
from ronghe.core.tabular import rows_xlsx
from ronghe.core.tabular.columns import DATE, Column
from ronghe.core.templatetags.ronghe import cndate
from ronghe.orglife.importers import RecordImporter, export_rows
from ronghe.orglife.models import Attendance, Kind, Record
from ronghe.orglife.templatetags.orglife import period_label
from ronghe.orglife.wording import status_look

_CHUNK = 1000


def records_xlsx(queryset, user) -> bytes:
    """The records of `queryset` that `user` may see, as the importer's sheet."""
    ids = list(queryset.values_list("pk", flat=True))
    visible = set()
    for start in range(0, len(ids), _CHUNK):
        visible.update(Record.objects.restrict(user, VIEW).filter(pk__in=ids[start:start + _CHUNK])
                       .values_list("pk", flat=True))
    order = {pk: i for i, pk in enumerate(ids)}

    def rows():
        for start in range(0, len(ids), _CHUNK):
            chunk = [pk for pk in ids[start:start + _CHUNK] if pk in visible]
            records = (Record.objects.filter(pk__in=chunk).select_related("party_org", "host", "lecturer")
                       .prefetch_related(Prefetch("attendance", Attendance.objects.select_related("person"))))
            yield from export_rows(sorted(records, key=lambda r: order[r.pk]))

    return RecordImporter.export_workbook(rows())


GAP_COLUMNS = [
    Column("party_org", "党组织编码"), Column("party_org_name", "党组织名称"), Column("kind", "会议类型"),
    Column("period", "期间"), Column("start", "起始日期", type=DATE), Column("end", "截止日期", type=DATE),
    Column("status", "状态"),
]


def gaps_xlsx(gaps) -> bytes:
    return rows_xlsx(GAP_COLUMNS, ({
        "party_org": g.org.code, "party_org_name": g.org.name, "kind": str(Kind(g.cell.meeting_kind).label),
        "period": period_label(g.cell.period.key), "start": g.cell.period.start, "end": g.cell.period.end,
        "status": str(status_look(g.cell.status)["label"])} for g in gaps), sheet_title="未落实")


# --- the 通报 -------------------------------------------------------------------------------------

@dataclass
class Notice:
    gaps: list
    year: int
    as_of: dt.date
    root: object = None

    @property
    def title(self) -> str:
        return _("Notice on the meetings and lessons (三会一课) not held in %(year)s") % {"year": self.year}

    @property
    def lines(self) -> list[str]:
        scope = self.root.name if self.root is not None else _("All Party organisations within your scope")
        return [scope, _("As of %(date)s") % {"date": cndate(self.as_of)}]

    @property
    def paragraphs(self) -> list[str]:
        if not self.gaps:
            return [_("Every Party organisation held the meetings and lessons owed by %(date)s.")
                    % {"date": cndate(self.as_of)}]
        orgs = {g.org.pk for g in self.gaps}
        by_kind = Counter(g.cell.meeting_kind for g in self.gaps)
        kinds = "、".join(_("%(kind)s %(n)d") % {"kind": Kind(k).label, "n": n} for k, n in sorted(by_kind.items()))
        return [
            _("By %(date)s, %(orgs)d Party organisations had not held %(n)d meetings or lessons owed: %(kinds)s.")
            % {"date": cndate(self.as_of), "orgs": len(orgs), "n": len(self.gaps), "kinds": kinds},
            _("The organisations listed are to hold them without delay, record them as make-ups (补开), and report "
              "to their Party committee. Their secretaries answer for it."),
        ]

    @property
    def rows(self) -> list[list[str]]:
        grouped = defaultdict(list)
        for gap in self.gaps:
            grouped[gap.org].append(gap)
        out = []
        for n, (org, found) in enumerate(sorted(grouped.items(), key=lambda item: item[0].path), start=1):
            missing = "；".join(f"{period_label(g.cell.period.key)}{Kind(g.cell.meeting_kind).label}" for g in found)
            out.append([str(n), org.name, org.parent.name if org.parent_id else "", missing])
        return out

    @property
    def headers(self) -> list[str]:
        return [_("No."), _("Party organisation"), _("Belongs to"), _("Not held")]


def notice_html(notice: Notice) -> str:
    return render_to_string("orglife/notice.html", {"notice": notice})


def notice_pdf(notice: Notice) -> bytes:
    return documents.pdf(notice_html(notice))


def notice_layout(notice: Notice) -> documents.Layout:
    table = documents.Table(notice.headers, notice.rows, [1.2, 4.5, 4.0, 5.9]) if notice.rows else None
    return documents.Layout(notice.title, notice.lines, [documents.Section("", notice.paragraphs, table)])


def notice_docx(notice: Notice) -> bytes:
    """The official document of core.documents: A4, the title in 黑体 二号, text in 仿宋 三号, the
    table in 五号 with borders."""
    return documents.layout_docx(notice_layout(notice))
