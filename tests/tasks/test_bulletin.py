"""The bulletin (通报) of a period: its figures, red, overdue and returned tasks and the ranking of
the lead units, checked against a hand-made set of tasks; then the same bulletin as a page, as
Word and PDF, and through the API. Today is frozen at 2026-06-30 by the `five_ones` fixture."""
import base64
import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn

from ronghe.core.documents import HEADING_FONT
from ronghe.tasks import bulletin, documents, services
from ronghe.tasks.models import CompletionReturn, Cycle
from tests import factories as f
from tests.api.support import ApiClient, token_for

D = dt.date
JUNE = {"date_from": D(2026, 6, 1), "date_to": D(2026, 6, 30)}
END_OF_YEAR = D(2026, 12, 31)


@pytest.fixture
def june(five_ones, org, personas):
    """Besides the fixture's draft (lead unit: the plant), tasks of the plant and of its area:

    plant: 按期办结 (done 6/10, on time), 逾期办结 (deadline 6/5, done 6/20: late)
    area:  逾期未完成 (deadline 6/15, reported 6/1: overdue, red), 退办后推进 (returned 6/10,
           under way, green), 待签收 (issued 6/22, not acknowledged: red by 6/30)."""
    root = personas.superuser

    def task(name, *, unit, deadline=END_OF_YEAR, issued=None, ack=None, reports=(), submitted=None,
             returned=None, completed=None):
        made = services.task_create(actor=root, plan=five_ones.plan, name=name, leader=five_ones.leader.person,
                                    lead_unit=unit, responsible=five_ones.owner.person, deadline=deadline,
                                    cycle=Cycle.MONTHLY)
        if issued:
            made = services.task_issue(actor=root, task=made, on=issued)
        if ack:
            made = services.task_acknowledge(actor=root, task=made, on=ack)
        for on in reports:
            services.progress_report(actor=root, task=made, percent=50, text="进展", on=on)
        if submitted:
            made = services.completion_submit(actor=root, task=made, evidence="材料", on=submitted)
        if returned:
            made = services.completion_return(actor=root, task=made, reason="缺少佐证材料", on=returned)
        if completed:
            made = services.completion_submit(actor=root, task=made, evidence="材料", on=completed)
            made = services.completion_accept(actor=root, task=made, on=completed)
        return made

    five_ones.on_time = task("按期办结", unit=org.plant, issued=D(2026, 6, 1), ack=D(2026, 6, 3),
                             completed=D(2026, 6, 10))
    five_ones.late = task("逾期办结", unit=org.plant, deadline=D(2026, 6, 5), issued=D(2026, 6, 1), ack=D(2026, 6, 2),
                          completed=D(2026, 6, 20))
    five_ones.overdue = task("逾期未完成", unit=org.area, deadline=D(2026, 6, 15), issued=D(2026, 5, 4),
                             ack=D(2026, 5, 6), reports=[D(2026, 6, 1)])
    five_ones.returned = task("退办后推进", unit=org.area, issued=D(2026, 5, 4), ack=D(2026, 5, 5),
                              reports=[D(2026, 6, 1)], submitted=D(2026, 6, 8), returned=D(2026, 6, 10))
    five_ones.waiting = task("待签收", unit=org.area, issued=D(2026, 6, 22))
    return five_ones


def _bulletin(user, **kwargs):
    return bulletin.for_user(user, title="通报", issuer="改革办", **{**JUNE, **kwargs})


def test_a_return_is_kept_with_its_date_and_reason(june):
    [kept] = CompletionReturn.objects.filter(task=june.returned)
    assert (kept.returned_on, kept.submitted_on, kept.reason) == (D(2026, 6, 10), D(2026, 6, 8), "缺少佐证材料")


def test_a_completion_cannot_be_returned_before_it_was_submitted(five_ones, personas):
    root = personas.superuser
    task = services.task_issue(actor=root, task=five_ones.task, on=D(2026, 6, 1))
    task = services.task_acknowledge(actor=root, task=task, on=D(2026, 6, 1))
    task = services.completion_submit(actor=root, task=task, evidence="材料", on=D(2026, 6, 20))
    with pytest.raises(services.ValidationError):
        services.completion_return(actor=root, task=task, reason="不全", on=D(2026, 6, 19))


def test_the_figures_are_those_of_the_last_day_and_the_period(june, personas):
    b = _bulletin(personas.plant_admin)
    assert b.figures.total == 6
    assert (b.figures.done, b.figures.done_on_time, b.figures.on_time_rate) == (2, 1, 0.5)
    assert (b.period.issued, b.period.completed, b.period.completed_on_time, b.period.returned) == (3, 2, 1, 1)


def test_it_lists_the_red_the_overdue_and_the_returned_tasks(june, personas):
    b = _bulletin(personas.plant_admin)
    assert [line.task.name for line in b.red] == ["逾期未完成", "待签收"]
    assert [line.task.name for line in b.overdue] == ["逾期未完成"]
    assert [(r.task.name, r.returned_on, r.reason) for r in b.returned] == [("退办后推进", D(2026, 6, 10), "缺少佐证材料")]


def test_a_return_outside_the_period_is_not_listed(june, personas):
    b = _bulletin(personas.plant_admin, date_from=D(2026, 6, 11))
    assert b.returned == [] and b.period.returned == 0


def test_the_bulletin_reads_the_tasks_as_they_stood_on_its_last_day(june, personas):
    b = _bulletin(personas.plant_admin, date_from=D(2026, 6, 1), date_to=D(2026, 6, 12))
    assert [line.task.name for line in b.overdue] == ["逾期办结"]
    assert (b.figures.done, b.period.completed, b.period.issued) == (1, 1, 2)


def test_the_lead_units_are_ranked_by_the_weighted_score(june, org, personas):
    area, plant = _bulletin(personas.plant_admin).ranking
    # area: 1 of 3 live tasks not red (30), both under way reporting on time (20), 2 of 3 acknowledged
    # within 2 working days — the third still waits past it (10); nothing done yet, so no on-time rate.
    assert area.unit == org.area and (area.live, area.red) == (3, 2)
    assert area.rates == {"on_time": None, "free_of_red": 0.3333, "reporting": 1.0, "acknowledging": 0.6667}
    assert area.score == round(100 * (30 * 0.3333 + 20 * 1.0 + 10 * 0.6667) / 60, 1) == 61.1
    # plant: 1 of 2 done on time (40), both acknowledged within 2 working days (10); nothing live.
    assert plant.rates == {"on_time": 0.5, "free_of_red": None, "reporting": None, "acknowledging": 1.0}
    assert plant.score == 60.0
    assert (area.rank, plant.rank) == (1, 2)


@pytest.mark.parametrize(("rates", "expected"), [
    ({"on_time": 1.0, "free_of_red": 1.0, "reporting": 1.0, "acknowledging": 1.0}, 100.0),
    ({"on_time": 0.0, "free_of_red": 0.0, "reporting": 0.0, "acknowledging": 0.0}, 0.0),
    ({"on_time": 0.5, "free_of_red": None, "reporting": None, "acknowledging": None}, 50.0),
    ({"on_time": None, "free_of_red": None, "reporting": None, "acknowledging": None}, None),
    ({"on_time": 1.0, "free_of_red": 0.0, "reporting": None, "acknowledging": None}, round(100 * 40 / 70, 1)),
])
def test_the_score_weighs_only_the_rates_that_count_something(rates, expected):
    assert bulletin.score(rates) == expected


def test_equal_scores_share_a_rank_and_a_unit_without_score_is_not_ranked(june, org, personas):
    root = personas.superuser
    services.task_create(actor=root, plan=june.plan, name="仅草稿", leader=june.leader.person, lead_unit=org.team,
                         responsible=june.owner.person, deadline=D(2026, 12, 31))
    ranking = _bulletin(personas.plant_admin).ranking
    assert [(r.unit, r.rank) for r in ranking][-1] == (org.team, None)


def test_it_covers_one_plan_or_one_units_subtree(june, org, personas):
    assert {line.task.lead_unit for line in _bulletin(personas.plant_admin, unit=org.area).red} == {org.area}
    assert _bulletin(personas.plant_admin, unit=org.area).figures.total == 3
    other = services.plan_create(actor=personas.superuser, name="另一方案", unit=org.hq)
    assert _bulletin(personas.plant_admin, plan=other).figures.total == 0


def test_it_holds_nothing_outside_the_readers_scope(june, org):
    sibling_admin = f.user("sibadmin")
    f.grant(sibling_admin, f.ROLE.ADMIN, org.sibling)
    b = _bulletin(sibling_admin)
    assert b.figures.total == 0 and b.red == b.overdue == b.returned == b.ranking == []


# --- as documents ----------------------------------------------------------------------------------

def _docx_text(content):
    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return document, paragraphs, tables


def test_the_word_document_has_the_title_the_figures_and_bordered_tables(june, personas):
    layout = documents.bulletin_layout(_bulletin(personas.plant_admin))
    document, paragraphs, tables = _docx_text(documents.bulletin_docx(layout))
    assert paragraphs[0] == "通报" and "改革办" in paragraphs[1]
    overall, red, overdue, returned, ranking = tables
    assert overall[1][0] == "6" and "50.0%" in overall[1]
    assert [row[1] for row in red[1:]] == ["逾期未完成", "待签收"]
    assert [row[1] for row in overdue[1:]] == ["逾期未完成"]
    assert returned[1][2:] == ["退办后推进", "作业一区", "缺少佐证材料"]
    assert [(row[0], row[1], row[-1]) for row in ranking[1:]] == [("1", "作业一区", "61.1"), ("2", "采油一厂", "60.0")]
    assert all(table.style.name == "Table Grid" for table in document.tables)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    title_run = document.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == HEADING_FONT


def test_an_empty_section_says_so_in_the_word_document(five_ones, personas):
    layout = documents.bulletin_layout(_bulletin(personas.plant_admin))
    _document, _paragraphs, tables = _docx_text(documents.bulletin_docx(layout))
    red = tables[1]
    assert len(red) == 2 and red[1][0] == str(layout.sections[1].table.empty)


def test_the_pdf_is_made_from_the_html_of_the_same_layout(june, personas):
    layout = documents.bulletin_layout(_bulletin(personas.plant_admin))
    html = documents.bulletin_html(layout)
    assert "size: A4" in html and "Noto Serif CJK SC" in html and "Noto Sans CJK SC" in html
    for text in ("逾期未完成", "待签收", "缺少佐证材料", "61.1", "2026年6月30日"):
        assert text in html
    pdf = documents.bulletin_pdf(layout)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000


# --- the page and the API ----------------------------------------------------------------------------

def test_the_statistics_page_leads_to_the_bulletin(june, login, personas):
    page = login(personas.plant_admin).get("/tasks/stats/", {"plan": june.plan.pk}).content.decode()
    assert f'href="/tasks/stats/bulletin/?plan={june.plan.pk}"' in page


def test_the_bulletin_page_shows_the_document_and_its_downloads(june, login, personas):
    client = login(personas.plant_admin)
    response = client.get("/tasks/stats/bulletin/", {"plan": june.plan.pk, "as_of": "2026-06-30"})
    page = response.content.decode()
    assert response.status_code == 200
    assert june.plan.name in page and "逾期未完成" in page and "缺少佐证材料" in page
    assert response.context["bulletin"].figures.total == 6
    assert f'/tasks/stats/bulletin/docx/?plan={june.plan.pk}&amp;as_of=2026-06-30' in page
    word = client.get("/tasks/stats/bulletin/docx/", {"plan": june.plan.pk, "as_of": "2026-06-30"})
    assert word["Content-Type"] == documents.DOCX and "bulletin-2026-06-30.docx" in word["Content-Disposition"]
    assert "逾期未完成" in [row[1] for row in _docx_text(word.content)[2][1]]
    pdf = client.get("/tasks/stats/bulletin/pdf/", {"plan": june.plan.pk, "as_of": "2026-06-30"})
    assert pdf["Content-Type"] == documents.PDF and pdf.content.startswith(b"%PDF-")


def test_a_wrong_period_is_shown_on_the_form(june, login, personas):
    client = login(personas.plant_admin)
    response = client.get("/tasks/stats/bulletin/", {"date_from": "2026-07-01", "as_of": "2026-06-30"})
    assert response.status_code == 200 and response.context["doc"] is None
    assert "date_from" in response.context["form"].errors
    assert client.get("/tasks/stats/bulletin/docx/", {"unit": "NO-SUCH"}).status_code == 400


def test_the_api_gives_the_same_figures(june, org, personas):
    api = ApiClient(token_for(personas.plant_admin))
    body = api.get("tasks/bulletin", plan=june.plan.pk, as_of="2026-06-30", date_from="2026-06-01").json()
    assert body["figures"]["total"] == 6 and body["figures"]["on_time_rate"] == 0.5
    assert body["period"] == {"issued": 3, "completed": 2, "completed_on_time": 1, "on_time_rate": 0.5,
                              "returned": 1}
    assert [t["name"] for t in body["red"]] == ["逾期未完成", "待签收"]
    assert body["overdue"][0]["failure_modes"] == ["no_progress", "overdue"] and body["overdue"][0]["problems"]
    assert body["returned"][0]["reason"] == "缺少佐证材料"
    assert [(r["rank"], r["unit"], r["score"]) for r in body["ranking"]] == [(1, "CY1-A1", 61.1), (2, "CY1", 60.0)]
    assert body["issuer"] == org.hq.name and june.plan.name in body["title"]
    narrowed = api.get("tasks/bulletin", lead_unit_subtree="CY1-A1").json()
    assert narrowed["figures"]["total"] == 3


def test_the_api_refuses_a_plan_or_unit_outside_the_scope(june, org, personas):
    api = ApiClient(token_for(personas.plant_admin))
    other = services.plan_create(actor=personas.superuser, name="二厂方案", unit=org.sibling)
    assert api.get("tasks/bulletin", plan=other.pk).status_code == 422
    assert api.get("tasks/bulletin", lead_unit_subtree="CY2").status_code == 422
    assert api.get("tasks/bulletin", date_from="2026-07-01", as_of="2026-06-30").status_code == 422


def test_the_api_hands_out_the_documents(june, personas):
    api = ApiClient(token_for(personas.plant_admin))
    word = api.get("tasks/bulletin/file", format="docx", as_of="2026-06-30").json()
    assert word["content_type"] == documents.DOCX and word["filename"] == "bulletin-2026-06-30.docx"
    assert "待签收" in [row[1] for row in _docx_text(base64.b64decode(word["content"]))[2][1]]
    pdf = api.get("tasks/bulletin/file", as_of="2026-06-30").json()
    assert pdf["content_type"] == documents.PDF and base64.b64decode(pdf["content"]).startswith(b"%PDF-")
