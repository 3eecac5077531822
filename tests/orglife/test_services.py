import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ronghe.core.errors import OutOfScope
from ronghe.core.models import AuditEntry
from ronghe.orglife import services
from ronghe.orglife.models import Attendance, Photo, Record, Rule
from tests import factories as f

D = dt.date


def _create(life, actor=None, **overrides):
    fields = {"party_org": life.org.branch, "kind": "committee", "held_on": D(2026, 11, 3), "topic": "研究发展党员工作",
              "host": life.secretary,
              "attendance": [(p, "present") for p in life.members[:6]] + [(life.members[6], "leave")]}
    fields.update(overrides)
    return services.record_create(actor=actor or life.personas.plant_admin, **fields)


def test_a_record_is_created_with_its_attendance_and_audited(life):
    record = _create(life)
    assert record.attendance.count() == 7
    assert record.attendance.filter(status="leave").get().person == life.members[6]
    entry = AuditEntry.objects.get(action="orglife.create", object_id=str(record.pk))
    assert entry.party_org == life.org.branch and entry.unit == life.org.area
    assert entry.after["topic"] == "研究发展党员工作" and len(entry.after["attendance"]) == 7


def test_members_of_a_branchs_party_groups_attend_its_general_meeting(life):
    record = _create(life, kind="general_meeting", attendance=[(life.group_members[0], "present")])
    assert record.attendance.get().person == life.group_members[0]


def test_it_refuses_an_organisation_outside_the_actors_scope(life):
    with pytest.raises(ValidationError) as err:
        _create(life, party_org=life.org.sib_branch, attendance=[])
    assert "party_org" in err.value.message_dict
    assert not Record.objects.exists()


def test_a_branch_secretary_records_for_their_own_branch_only(life):
    secretary = life.personas.secretary
    record = _create(life, actor=secretary, party_org=life.org.sib_branch, kind="lesson", lecturer=life.org.sib_worker,
                     host=None, attendance=[(p, "present") for p in life.sib_members])
    assert record.party_org == life.org.sib_branch
    with pytest.raises(ValidationError):
        _create(life, actor=secretary)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"kind": "group_meeting"}, "kind"),                      # a branch holds no 党小组会
    ({"held_on": D(2026, 11, 26)}, "held_on"),                  # not held yet
    ({"kind": "lesson"}, "lecturer"),                           # a lesson names its lecturer
    ({"makeup_for": D(2026, 11, 3)}, "makeup_for"),             # makes up for an earlier day
    ({"topic": ""}, "topic"),
])
def test_it_refuses_a_record_that_does_not_hold(life, overrides, field):
    with pytest.raises(ValidationError) as err:
        _create(life, **overrides)
    assert field in err.value.message_dict
    assert not Record.objects.exists() and not AuditEntry.objects.filter(action__startswith="orglife.").exists()


def test_a_group_holds_its_group_meeting(life):
    record = _create(life, party_org=life.org.group, kind="group_meeting", host=life.group_members[0],
                     attendance=[(life.group_members[0], "present")])
    assert record.get_kind_display()


def test_attendees_are_members_of_the_organisation_listed_once(life):
    with pytest.raises(ValidationError, match="李四"):
        _create(life, attendance=[(life.org.sib_worker, "present")])
    with pytest.raises(ValidationError):
        _create(life, attendance=[(life.members[0], "present"), (life.members[0], "absent")])
    with pytest.raises(ValidationError):
        _create(life, attendance=[(life.members[0], "asleep")])


def test_a_host_outside_the_actors_scope_is_refused_but_a_member_is_not(life):
    with pytest.raises(ValidationError) as err:
        _create(life, host=life.org.sib_worker)
    assert "host" in err.value.message_dict
    assert _create(life, host=life.members[3]).host == life.members[3]


def test_a_lecturer_is_kept_only_on_a_lesson(life):
    record = _create(life, lecturer=life.secretary)
    assert record.lecturer is None


def test_no_meeting_before_the_organisation_was_established_or_after_it_was_abolished(life):
    branch = f.party_org("新支部", parent=life.org.plant_po, unit_=life.org.area, effective_date=D(2026, 6, 1),
                         established_on=D(2026, 6, 1))
    with pytest.raises(ValidationError) as err:
        _create(life, party_org=branch, held_on=D(2026, 5, 20), attendance=[])
    assert "held_on" in err.value.message_dict


def test_an_update_replaces_the_attendance_and_is_audited_with_before_and_after(life):
    record = _create(life)
    services.record_update(actor=life.personas.plant_admin, record=record, topic="学习二十届四中全会精神",
                           attendance=[(life.members[0], "absent")])
    record.refresh_from_db()
    assert record.topic == "学习二十届四中全会精神"
    assert list(record.attendance.values_list("status", flat=True)) == ["absent"]
    entry = AuditEntry.objects.get(action="orglife.update")
    assert entry.before["topic"] == "研究发展党员工作" and entry.after["topic"] == "学习二十届四中全会精神"
    assert len(entry.before["attendance"]) == 7 and len(entry.after["attendance"]) == 1


def test_an_update_that_changes_nothing_writes_no_audit(life):
    record = _create(life)
    services.record_update(actor=life.personas.plant_admin, record=record, topic=record.topic)
    assert not AuditEntry.objects.filter(action="orglife.update").exists()


def test_nobody_moves_a_record_out_of_their_reach_or_edits_one_outside_it(life):
    record = _create(life)
    with pytest.raises(ValidationError):
        services.record_update(actor=life.personas.plant_admin, record=record, party_org=life.org.sib_branch,
                               attendance=[])
    with pytest.raises(OutOfScope):
        services.record_update(actor=life.personas.secretary, record=record, topic="越权")
    with pytest.raises(OutOfScope):
        services.record_update(actor=life.personas.viewer, record=record, topic="只读")
    with pytest.raises(ValidationError):
        services.record_update(actor=life.personas.plant_admin, record=record, created_by=None)
    record.refresh_from_db()
    assert record.party_org == life.org.branch and record.topic == "研究发展党员工作"


def test_moving_a_record_keeps_its_attendance_only_if_they_are_members_there(life):
    record = _create(life)
    with pytest.raises(ValidationError):
        services.record_update(actor=life.personas.superuser, record=record, party_org=life.org.sib_branch)


def test_a_record_is_deleted_with_its_attendance_and_the_audit_keeps_it(life):
    record = _create(life)
    services.record_delete(actor=life.personas.plant_admin, record=record, reason="重复录入")
    assert not Record.objects.exists() and not Attendance.objects.exists()
    entry = AuditEntry.objects.get(action="orglife.delete")
    assert entry.before["topic"] == "研究发展党员工作" and entry.message == "重复录入"


def _png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_photo_is_added_and_removed_audited_and_only_pictures_are_taken(life, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = _create(life)
    photo = services.photo_add(actor=life.personas.plant_admin, record=record, image=_png(), caption="会议现场")
    assert photo.image.name.startswith("orglife/2026/11/") and (tmp_path / photo.image.name).exists()
    with pytest.raises(ValidationError):
        services.photo_add(actor=life.personas.plant_admin, record=record,
                           image=SimpleUploadedFile("x.png", b"not a picture", content_type="image/png"))
    with pytest.raises(OutOfScope):
        services.photo_add(actor=life.personas.secretary, record=record, image=_png())
    services.photo_remove(actor=life.personas.plant_admin, photo=photo)
    assert not Photo.objects.exists()
    actions = list(AuditEntry.objects.filter(object_id=str(record.pk)).values_list("action", flat=True))
    assert "orglife.photo_add" in actions and "orglife.photo_remove" in actions


def test_the_default_rules_are_the_partys(db):
    rules = {(r.org_kind, r.meeting_kind): (r.frequency, r.min_count, r.exempt_below_members) for r in Rule.objects.all()}
    assert rules == {("branch", "general_meeting"): ("quarter", 1, None), ("branch", "lesson"): ("quarter", 1, None),
                     ("branch", "committee"): ("month", 1, 7), ("group", "group_meeting"): ("month", 1, None)}


def test_only_a_system_administrator_sets_a_rule_and_it_is_audited(life):
    rule = Rule.objects.get(org_kind="branch", meeting_kind="lesson")
    with pytest.raises(PermissionDenied):
        services.rule_update(actor=life.personas.plant_admin, rule=rule, frequency="month")
    services.rule_update(actor=life.personas.superuser, rule=rule, frequency="month", min_count=2)
    rule.refresh_from_db()
    assert (rule.frequency, rule.min_count) == ("month", 2)
    entry = AuditEntry.objects.get(action="orglife.rule_update")
    assert entry.before["frequency"] == "quarter" and entry.after["min_count"] == 2
    with pytest.raises(ValidationError):
        services.rule_update(actor=life.personas.superuser, rule=rule, min_count=0)
    with pytest.raises(ValidationError):
        services.rule_update(actor=life.personas.superuser, rule=rule, meeting_kind="committee")
