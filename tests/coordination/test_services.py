import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ronghe.coordination import rules, selectors, services
from ronghe.coordination.models import Event, Request
from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry, Notification
from ronghe.core.workdays import Calendar

D = dt.date
S = Request.State


def _audit_actions(request):
    return list(AuditEntry.objects.filter(object_type="coordination.request", object_id=str(request.pk))
                .order_by("id").values_list("action", flat=True))


def _inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_a_raised_request_is_numbered_due_in_five_working_days_audited_and_sent_to_the_addressee(
        raise_one, coord, org):
    request = raise_one(on=D(2026, 6, 22))
    assert request.number == "XT2026-0001"
    assert request.state == S.OPEN and request.handling_unit == org.dept
    assert request.answer_due == Calendar().add_working_days(D(2026, 6, 22), 5) == D(2026, 6, 29)
    assert request.raised_by_person == coord.raiser.person
    assert _audit_actions(request) == ["coordination.raise"]
    assert [e.kind for e in request.events.all()] == [Event.Kind.RAISED]
    assert any("XT2026-0001" in title for title in _inbox(coord.dept_head))
    assert raise_one().number == "XT2026-0002"


def test_the_answer_date_can_be_set_but_not_before_the_request(raise_one):
    assert raise_one(answer_due=D(2026, 7, 10)).answer_due == D(2026, 7, 10)
    with pytest.raises(ValidationError):
        raise_one(on=D(2026, 6, 22), answer_due=D(2026, 6, 21))


def test_a_request_is_raised_only_from_a_unit_in_scope(raise_one, coord, org, personas):
    with pytest.raises(ValidationError):
        raise_one(from_unit=org.sibling)
    with pytest.raises(ValidationError):
        raise_one(actor=personas.outsider)
    with pytest.raises(ValidationError):
        raise_one(to_unit=org.plant)  # to itself


def test_the_person_addressed_works_in_the_addressed_unit(raise_one, org):
    with pytest.raises(ValidationError):
        raise_one(to_person=org.worker)


def test_a_request_cannot_be_dated_in_the_future(raise_one):
    with pytest.raises(ValidationError):
        raise_one(on=D(2026, 7, 1))


def test_the_addressee_answers_and_the_raiser_hears_of_it(raise_one, coord, org):
    request = raise_one(on=D(2026, 6, 22))
    answered = services.request_answer(actor=coord.dept_admin, request=request, answer="已协调自然资源部门，7月10日前办结。",
                                       on=D(2026, 6, 24))
    assert answered.state == S.ANSWERED and answered.answered_on == D(2026, 6, 24)
    assert answered.answered_by == coord.dept_admin and answered.answered_by_unit == org.dept
    assert _audit_actions(request) == ["coordination.raise", "coordination.answer"]
    assert any("XT2026-0001" in title for title in _inbox(coord.raiser))


def test_the_raising_side_cannot_answer_its_own_request(raise_one, coord):
    request = raise_one()
    with pytest.raises(OutOfScope):
        services.request_answer(actor=coord.raiser, request=request, answer="自己答复")


def test_an_answer_needs_words(raise_one, coord):
    with pytest.raises(ValidationError):
        services.request_answer(actor=coord.dept_admin, request=raise_one(), answer="  ")


def test_the_person_addressed_may_answer_without_a_role(raise_one, coord, org):
    from tests import factories as f

    clerk = f.user("clerk", person_=f.person(org.dept, name="冯专员"))
    request = raise_one(to_person=clerk.person)
    assert selectors.requests(clerk).filter(pk=request.pk).exists()
    services.request_answer(actor=clerk, request=request, answer="已办理。")


def test_a_forwarded_request_is_answered_by_the_unit_it_went_to_and_both_still_see_it(raise_one, coord, org):
    from tests import factories as f

    sibling_admin = f.user("sibadmin")
    f.grant(sibling_admin, f.ROLE.ADMIN, org.sibling)
    request = raise_one()
    request = services.request_forward(actor=coord.dept_admin, request=request, to_unit=org.sibling, note="归口二厂")
    assert request.state == S.FORWARDED and request.handling_unit == org.sibling and request.forwarded_to == org.sibling
    assert selectors.requests(coord.dept_admin).filter(pk=request.pk).exists()
    assert selectors.requests(sibling_admin).filter(pk=request.pk).exists()
    with pytest.raises(OutOfScope):
        services.request_answer(actor=coord.dept_admin, request=request, answer="x")
    services.request_answer(actor=sibling_admin, request=request, answer="二厂负责。")
    assert Request.objects.get(pk=request.pk).answered_by_unit == org.sibling


def test_a_request_is_not_forwarded_to_the_unit_handling_it(raise_one, coord, org):
    with pytest.raises(ValidationError):
        services.request_forward(actor=coord.dept_admin, request=raise_one(), to_unit=org.dept)


def test_the_raiser_accepts_an_answer_and_the_request_closes(raise_one, coord):
    request = raise_one(on=D(2026, 6, 22))
    services.request_answer(actor=coord.dept_admin, request=request, answer="同意。", on=D(2026, 6, 23))
    with pytest.raises(OutOfScope):
        services.request_close(actor=coord.dept_admin, request=request)
    closed = services.request_close(actor=coord.raiser, request=request)
    assert closed.state == S.CLOSED and closed.closed_on == D(2026, 6, 30) and closed.closed_by == coord.raiser


def test_only_an_answered_request_can_be_closed(raise_one, coord):
    with pytest.raises(ValidationError):
        services.request_close(actor=coord.raiser, request=raise_one())


def test_a_reopened_request_loses_its_answer_keeps_it_on_the_timeline_and_gets_a_new_date(raise_one, coord):
    request = raise_one(on=D(2026, 6, 22))
    services.request_answer(actor=coord.dept_admin, request=request, answer="研究后答复。", on=D(2026, 6, 23))
    with pytest.raises(ValidationError):
        services.request_reopen(actor=coord.raiser, request=request, reason=" ")
    reopened = services.request_reopen(actor=coord.raiser, request=request, reason="答复不明确")
    assert reopened.state == S.REOPENED and reopened.reopen_count == 1 and reopened.reopen_reason == "答复不明确"
    assert reopened.answer == "" and reopened.answered_on is None
    assert reopened.answer_due == rules.default_answer_due(D(2026, 6, 30), Calendar())
    assert [e.kind for e in reopened.events.all()] == [Event.Kind.RAISED, Event.Kind.ANSWERED, Event.Kind.REOPENED]
    assert reopened.events.get(kind=Event.Kind.ANSWERED).text == "研究后答复。"
    services.request_answer(actor=coord.dept_admin, request=reopened, answer="7月5日前办结。")
    assert Request.objects.get(pk=request.pk).state == S.ANSWERED


def test_an_overdue_request_escalates_to_the_parent_unit_once_a_day(raise_one, coord, org):
    request = raise_one(on=D(2026, 6, 15))   # due 2026-06-23 (端午 on 19 June)
    assert request.answer_due < D(2026, 6, 30)
    assert services.escalate_overdue(as_of=D(2026, 6, 30), dry_run=True) == [request]
    assert Request.objects.get(pk=request.pk).state == S.OPEN
    escalated = services.escalate_overdue(as_of=D(2026, 6, 30))
    assert escalated == [request]
    request.refresh_from_db()
    assert request.state == S.ESCALATED and request.escalation_level == 1
    assert request.escalated_to_unit == org.hq and request.handling_unit == org.hq
    assert request.escalated_on == D(2026, 6, 30)
    assert any("XT2026-0001" in title for title in _inbox(coord.hq_head))
    assert services.escalate_overdue(as_of=D(2026, 6, 30)) == []
    # HQ is the top: once its own period passes, nothing higher exists and the request stays.
    assert services.escalate_overdue(as_of=D(2026, 7, 31)) == []
    assert _audit_actions(request) == ["coordination.raise", "coordination.escalate"]


def test_the_level_above_may_answer_an_escalated_request(raise_one, coord, personas):
    request = raise_one(on=D(2026, 6, 15))
    services.escalate_overdue(as_of=D(2026, 6, 30))
    request.refresh_from_db()
    with pytest.raises(OutOfScope):
        services.request_answer(actor=coord.dept_admin, request=request, answer="部门答复")
    services.request_answer(actor=personas.superuser, request=request, answer="公司决定由组织部牵头办理。")
    assert Request.objects.get(pk=request.pk).answered_by_unit.code == "HQ"


def test_the_raiser_escalates_only_an_overdue_request(raise_one, coord, org):
    fresh = raise_one(on=D(2026, 6, 29))
    with pytest.raises(ValidationError):
        services.request_escalate(actor=coord.raiser, request=fresh)
    late = raise_one(on=D(2026, 6, 15))
    with pytest.raises(OutOfScope):
        services.request_escalate(actor=coord.dept_admin, request=late)
    escalated = services.request_escalate(actor=coord.raiser, request=late, note="久拖未复")
    assert escalated.handling_unit == org.hq and escalated.events.last().text == "久拖未复"


def test_an_answered_request_does_not_escalate(raise_one, coord):
    request = raise_one(on=D(2026, 6, 15))
    services.request_answer(actor=coord.dept_admin, request=request, answer="已答复。", on=D(2026, 6, 29))
    assert services.escalate_overdue(as_of=D(2026, 6, 30)) == []


def test_the_raiser_edits_the_request_until_it_is_answered(raise_one, coord):
    request = raise_one()
    edited = services.request_update(actor=coord.raiser, request=request, title="新井用地审批（补充）")
    assert edited.title == "新井用地审批（补充）"
    assert _audit_actions(request)[-1] == "coordination.update"
    with pytest.raises(ValidationError):
        services.request_update(actor=coord.raiser, request=request, answer="x")
    with pytest.raises(OutOfScope):
        services.request_update(actor=coord.dept_admin, request=request, title="改")
    services.request_answer(actor=coord.dept_admin, request=request, answer="已答复。")
    with pytest.raises(ValidationError):
        services.request_update(actor=coord.raiser, request=request, title="再改")


def test_either_side_attaches_files_and_the_hash_is_audited(raise_one, coord, personas, media):
    request = raise_one()
    upload = SimpleUploadedFile("现场照片.txt", b"photo bytes")
    attachment = services.attachment_add(actor=coord.dept_admin, request=request, file=upload)
    assert attachment.name == "现场照片.txt" and attachment.size == 11
    assert (media / attachment.file.name).read_bytes() == b"photo bytes"
    entry = AuditEntry.objects.get(action="coordination.attach")
    assert len(entry.after["sha256"]) == 64
    with pytest.raises(OutOfScope):
        services.attachment_add(actor=personas.outsider, request=request, file=SimpleUploadedFile("x.txt", b"x"))


def test_both_sides_see_a_request_and_nobody_else(raise_one, coord, personas):
    request = raise_one()
    assert selectors.requests(coord.raiser).filter(pk=request.pk).exists()
    assert selectors.requests(coord.dept_admin).filter(pk=request.pk).exists()
    assert selectors.requests(personas.viewer).filter(pk=request.pk).exists()       # HQ subtree
    assert not selectors.requests(personas.secretary).filter(pk=request.pk).exists()
    assert not selectors.requests(personas.outsider).filter(pk=request.pk).exists()


def test_awaiting_me_counts_what_my_units_owe(raise_one, coord):
    raise_one()
    raise_one()
    assert selectors.awaiting_count(coord.dept_admin) == 2
    assert selectors.awaiting_count(coord.raiser) == 0
