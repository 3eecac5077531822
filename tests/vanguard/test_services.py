"""Writes of carriers and the problem ledger: validation, scope before and after, audit."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry
from ronghe.vanguard import services
from ronghe.vanguard.models import Carrier, CarrierMember, Problem, ProblemAttachment
from tests import factories as f
from tests.vanguard import factories as vf


def audits(obj, action):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action)


# --- carriers ------------------------------------------------------------------------------------

def test_a_carrier_is_created_with_its_members_and_lead_and_audited(org, personas):
    second = f.person(org.team, org.branch, name="赵二")
    carrier = services.carrier_create(
        actor=personas.plant_admin, name="采油一班先锋岗", kind=Carrier.Kind.POST, unit=org.team, party_org=org.branch,
        established_on=dt.date(2025, 1, 1), commitment="不让一口井带病生产", lead=org.worker, members=[second])
    seats = list(carrier.members.order_by("-is_lead", "id").values_list("person_id", "is_lead"))
    assert seats == [(org.worker.pk, True), (second.pk, False)]
    entry = audits(carrier, "carrier.create").get()
    assert entry.after["lead"].startswith("王铁人") and entry.unit == org.team and entry.party_org == org.branch


def test_a_branch_secretary_creates_carriers_of_their_branch_but_not_of_another(org, personas):
    carrier = services.carrier_create(actor=personas.secretary, name="二厂责任区", kind=Carrier.Kind.ZONE,
                                      unit=org.area2, party_org=org.sib_branch, established_on=dt.date(2025, 1, 1),
                                      lead=org.sib_worker)
    assert carrier.pk
    with pytest.raises(ValidationError):
        services.carrier_create(actor=personas.secretary, name="一厂责任区", kind=Carrier.Kind.ZONE, unit=org.area,
                                party_org=org.branch, established_on=dt.date(2025, 1, 1))


def test_the_party_org_of_a_carrier_is_attached_to_its_unit_or_above(org, personas):
    with pytest.raises(ValidationError) as error:
        services.carrier_create(actor=personas.superuser, name="错配", kind=Carrier.Kind.POST, unit=org.area,
                                party_org=org.sib_branch, established_on=dt.date(2025, 1, 1))
    assert "party_org" in error.value.message_dict
    ok = services.carrier_create(actor=personas.superuser, name="上级党委的工程", kind=Carrier.Kind.PROJECT,
                                 unit=org.team, party_org=org.plant_po, established_on=dt.date(2025, 1, 1))
    assert ok.pk


def test_only_active_party_members_sit_on_a_carrier(org, personas):
    masses = f.person(org.team, name="群众甲")
    with pytest.raises(ValidationError) as error:
        vf.carrier(org.team, org.branch, lead=masses)
    assert "lead" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        vf.carrier(org.team, org.branch, lead=org.worker, members=[masses])
    assert "members" in error.value.message_dict


def test_members_are_replaced_and_the_lead_is_one_of_them(org, personas):
    carrier = vf.carrier(org.team, org.branch, lead=org.worker)
    other = f.person(org.team, org.branch)
    services.carrier_set_members(actor=personas.plant_admin, carrier=carrier, lead=other, members=[org.worker])
    assert set(carrier.members.values_list("person_id", "is_lead")) == {(other.pk, True), (org.worker.pk, False)}
    services.carrier_set_members(actor=personas.plant_admin, carrier=carrier, lead=None, members=[])
    assert not CarrierMember.objects.filter(carrier=carrier).exists()
    assert audits(carrier, "carrier.members").count() == 2


def test_nobody_changes_a_carrier_outside_their_scope_or_moves_it_out(org, personas):
    carrier = vf.carrier(org.team, org.branch, lead=org.worker)
    with pytest.raises(OutOfScope):
        services.carrier_update(actor=personas.secretary, carrier=carrier, name="改名")
    with pytest.raises(ValidationError):
        services.carrier_update(actor=personas.plant_admin, carrier=carrier, unit=org.area2, party_org=org.sib_branch)
    carrier.refresh_from_db()
    assert carrier.unit == org.team


def test_a_carrier_is_retired_reviewed_and_recognised(org, personas):
    carrier = vf.carrier(org.team, org.branch, lead=org.worker)
    services.carrier_review(actor=personas.plant_admin, carrier=carrier, year=2025, rating="excellent",
                            comment="成效显著", on=dt.date(2026, 1, 10))
    services.carrier_review(actor=personas.plant_admin, carrier=carrier, year=2025, rating="good",
                            on=dt.date(2026, 1, 12))
    assert list(carrier.reviews.values_list("year", "rating")) == [(2025, "good")]
    with pytest.raises(ValidationError):
        services.carrier_review(actor=personas.plant_admin, carrier=carrier, year=2027, rating="good")
    services.carrier_recognize(actor=personas.plant_admin, carrier=carrier, kind="named", level="company",
                               title="公司级示范岗", granted_on=dt.date(2025, 7, 1), granted_by="公司党委")
    assert carrier.recognitions.get().title == "公司级示范岗"
    services.carrier_retire(actor=personas.plant_admin, carrier=carrier, on=dt.date(2026, 6, 30), reason="班组合并")
    carrier.refresh_from_db()
    assert (carrier.status, carrier.retired_on) == (Carrier.Status.RETIRED, dt.date(2026, 6, 30))
    with pytest.raises(ValidationError):
        services.carrier_retire(actor=personas.plant_admin, carrier=carrier)
    services.carrier_reinstate(actor=personas.plant_admin, carrier=carrier)
    carrier.refresh_from_db()
    assert carrier.status == Carrier.Status.ACTIVE and carrier.retired_on is None
    for action in ("carrier.review", "carrier.recognize", "carrier.retire", "carrier.reinstate"):
        assert audits(carrier, action).exists(), action


# --- problems ------------------------------------------------------------------------------------

def test_a_problem_is_registered_tackled_solved_and_verified_by_the_unit(org, personas):
    carrier = vf.carrier(org.team, org.branch, lead=org.worker)
    problem = services.problem_create(actor=personas.plant_admin, title="抽油机频繁停机", unit=org.team,
                                      raised_by=org.worker, category=Problem.Category.EQUIPMENT, carrier=carrier,
                                      raised_on=dt.date(2026, 2, 3), workers=[org.worker])
    assert problem.status == Problem.Status.OPEN and list(problem.workers.all()) == [org.worker]
    services.problem_start(actor=personas.plant_admin, problem=problem, on=dt.date(2026, 2, 4))
    services.problem_solve(actor=personas.plant_admin, problem=problem, solution="更换平衡块", on=dt.date(2026, 3, 1),
                           oil_t=Decimal("12.5"), gas_m3=300, cost_saved=Decimal("45000"), other_benefit="减少停机")
    services.problem_verify(actor=personas.plant_admin, problem=problem, on=dt.date(2026, 3, 5), note="属实")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.VERIFIED
    assert (problem.started_on, problem.solved_on, problem.verified_on) == (
        dt.date(2026, 2, 4), dt.date(2026, 3, 1), dt.date(2026, 3, 5))
    assert problem.oil_t == Decimal("12.5") and problem.verified_by == personas.plant_admin
    actions = set(AuditEntry.objects.filter(object_id=str(problem.pk), object_type="vanguard.problem")
                  .values_list("action", flat=True))
    assert actions == {"problem.create", "problem.start", "problem.solve", "problem.verify"}


def test_a_branch_secretary_solves_the_problems_of_their_carriers_but_the_unit_verifies(org, personas):
    carrier = vf.carrier(org.area2, org.sib_branch, lead=org.sib_worker)
    problem = services.problem_create(actor=personas.secretary, title="注水压力不稳", unit=org.area2,
                                      raised_by=org.sib_worker, category=Problem.Category.PROCESS, carrier=carrier)
    services.problem_solve(actor=personas.secretary, problem=problem, solution="调整注水参数")
    with pytest.raises(OutOfScope):
        services.problem_verify(actor=personas.secretary, problem=problem)
    with pytest.raises(ValidationError):
        services.problem_create(actor=personas.secretary, title="无载体", unit=org.area2, raised_by=org.sib_worker,
                                category=Problem.Category.PROCESS)


def test_a_rejected_solution_goes_back_to_tackling_without_its_solved_date(org, personas):
    problem = vf.solved(org.team, org.worker)
    with pytest.raises(ValidationError):
        services.problem_reject(actor=personas.plant_admin, problem=problem, note=" ")
    services.problem_reject(actor=personas.plant_admin, problem=problem, note="效益数据不实")
    problem.refresh_from_db()
    assert (problem.status, problem.solved_on, problem.verification_note) == (
        Problem.Status.TACKLING, None, "效益数据不实")


def test_a_problem_closes_unsolved_only_with_a_reason_and_reopens(org, personas):
    problem = vf.problem(org.team, org.worker)
    with pytest.raises(ValidationError):
        services.problem_close(actor=personas.plant_admin, problem=problem, reason="")
    services.problem_close(actor=personas.plant_admin, problem=problem, reason="设备报废，不再攻关",
                           on=dt.date(2026, 2, 1))
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED
    with pytest.raises(ValidationError):
        services.problem_solve(actor=personas.plant_admin, problem=problem, solution="x")
    services.problem_reopen(actor=personas.plant_admin, problem=problem)
    problem.refresh_from_db()
    assert (problem.status, problem.closed_on, problem.close_reason) == (Problem.Status.OPEN, None, "")


def test_a_solution_needs_words_and_no_date_before_the_problem_was_raised(org, personas):
    problem = vf.problem(org.team, org.worker, raised_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.problem_solve(actor=personas.plant_admin, problem=problem, solution="", on=dt.date(2026, 3, 2))
    assert "solution" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.problem_solve(actor=personas.plant_admin, problem=problem, solution="改", on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError):
        services.problem_start(actor=personas.plant_admin, problem=problem, on=dt.date(2027, 1, 1))


def test_nobody_works_on_a_problem_outside_their_scope(org, personas):
    problem = vf.problem(org.area2, org.sib_worker)
    for step in (lambda a: services.problem_start(actor=a, problem=problem),
                 lambda a: services.problem_update(actor=a, problem=problem, title="改")):
        with pytest.raises(OutOfScope):
            step(personas.plant_admin)
    with pytest.raises(ValidationError):
        services.problem_create(actor=personas.plant_admin, title="越界", unit=org.area2, raised_by=org.worker,
                                category="technical")


def test_a_problem_keeps_to_a_carrier_of_its_own_line_of_units(org, personas):
    carrier = vf.carrier(org.area2, org.sib_branch)
    with pytest.raises(ValidationError) as error:
        vf.problem(org.team, org.worker, carrier=carrier)
    assert "carrier" in error.value.message_dict


def test_editing_a_problem_changes_its_words_and_people_and_is_audited(org, personas):
    problem = vf.problem(org.team, org.worker)
    helper = f.person(org.team)
    services.problem_update(actor=personas.plant_admin, problem=problem, title="新标题", workers=[org.worker, helper])
    problem.refresh_from_db()
    assert problem.title == "新标题" and problem.workers.count() == 2
    entry = audits(problem, "problem.update").get()
    assert entry.before["title"] != entry.after["title"] and len(entry.after["workers"]) == 2
    with pytest.raises(ValidationError):
        services.problem_update(actor=personas.plant_admin, problem=problem, status="verified")


def test_attachments_are_added_and_removed_with_an_audit_trail(org, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    problem = vf.problem(org.team, org.worker)
    upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    attachment = services.attachment_add(actor=personas.plant_admin, problem=problem, upload=upload)
    assert attachment.name == "方案.pdf" and attachment.size == 13
    with pytest.raises(OutOfScope):
        services.attachment_remove(actor=personas.secretary, attachment=attachment)
    services.attachment_remove(actor=personas.plant_admin, attachment=attachment)
    assert not ProblemAttachment.objects.exists()
    assert audits(problem, "problem.attach").exists() and audits(problem, "problem.detach").exists()


def test_two_carriers_of_a_unit_do_not_share_a_name(org, personas):
    vf.carrier(org.team, org.branch, name="同名岗")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        vf.carrier(org.team, org.branch, name="同名岗")
    assert error.value.messages == ["该单位已有同名载体。"]
    assert vf.carrier(org.area, org.branch, name="同名岗").pk
