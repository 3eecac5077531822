"""Coordination requests on the agenda: those addressed to the organiser are proposed, and an
agenda item may raise one, which comes back on the series' agenda until answered."""
import datetime as dt

from ronghe.coordination import services as coordination
from ronghe.coordination.models import Request
from ronghe.meetings import selectors, services

D = dt.date


def test_an_open_request_addressed_to_the_organiser_is_proposed_until_answered(org, personas, reform):
    meeting = services.generate_meetings(actor=reform.su, until=D(2026, 6, 16))[1]
    request = coordination.request_raise(actor=reform.su, title="申请增加编制", description="作业区缺员", to_unit=org.hq,
                                         from_unit=org.plant, on=D(2026, 6, 10))
    proposed = [p.request for p in selectors.proposals(meeting, personas.superuser) if p.request]
    assert proposed == [request]
    item = services.agenda_item_add(actor=reform.su, meeting=meeting, request=request)
    assert item.source == "request" and request.number in item.title
    assert not [p for p in selectors.proposals(meeting, personas.superuser) if p.request]


def test_an_agenda_item_raises_a_request_that_comes_back_on_the_next_agenda(org, personas, reform):
    first, second = services.generate_meetings(actor=reform.su, until=D(2026, 6, 16))
    item = services.agenda_item_add(actor=reform.su, meeting=first, title="人员编制问题")
    raised = services.agenda_item_raise_request(actor=reform.su, item=item, to_unit=org.dept, title="请组织部明确编制",
                                                description="请明确作业区编制。")
    item.refresh_from_db()
    assert item.request == raised and raised.from_unit == org.hq and raised.to_unit == org.dept
    assert "改革办例会" in raised.description and raised.state == Request.State.OPEN
    assert [p.request for p in selectors.proposals(second, personas.superuser) if p.request] == [raised]
    coordination.request_answer(actor=reform.su, request=raised, answer="按20人核定。")
    assert not [p for p in selectors.proposals(second, personas.superuser) if p.request]
