"""The printable 通报 of a period's ranking: an HTML page that is also rendered to PDF by
WeasyPrint (A4, the Noto CJK fonts installed on the server; nothing fetched from anywhere)."""
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ronghe.competitions.exporters import change_text
from ronghe.core.templatetags.ronghe import cndate


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"the 通报 fetches nothing, not even {url}")


def context(ranking, today) -> dict:
    competition = ranking.competition
    period = f"{cndate(ranking.period.start)}至{cndate(ranking.period.end)}"
    title = _("Notice on the ranking of “%(name)s”, %(period)s") % {"name": competition.name, "period": period}
    rows = []
    for row in ranking.rows:
        lines = {line["indicator"]: line for line in row.lines}
        rows.append({"row": row, "change": change_text(row.change),
                     "cells": [lines.get(i["code"]) for i in ranking.indicators]})
    awarded = [(row.name, award) for row in ranking.rows for award in row.awards]
    items = [(row.name, item) for row in ranking.rows for item in row.adjustments]
    return {"ranking": ranking, "competition": competition, "title": title, "period": period, "rows": rows,
            "awarded": awarded, "items": items, "today": today}


def html(ranking, today) -> str:
    return render_to_string("competitions/report.html", context(ranking, today))


def pdf(ranking, today) -> bytes:
    # Imported here: WeasyPrint is slow to load and only this download needs it.
    from weasyprint import HTML

    return HTML(string=html(ranking, today), url_fetcher=_no_fetch).write_pdf()
