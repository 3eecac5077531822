"""三会一课 (organisation life): the meetings and lessons a Party organisation holds, who
attended them, their photos, and the rules saying how often each kind is owed."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe.core.scoping import ScopedQuerySet
from ronghe.org.models import PartyOrg
from ronghe.orglife.rules import Frequency


class Kind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("Branch general meeting (支部党员大会)")
    COMMITTEE = "committee", _("Branch committee meeting (支委会)")
    GROUP_MEETING = "group_meeting", _("Party group meeting (党小组会)")
    LESSON = "lesson", _("Party lesson (党课)")
    THEME_DAY = "theme_day", _("Theme Party day (主题党日)")


# Which organisations hold which kind of meeting: a 党小组 holds 党小组会, a branch (or general
# branch) its general meeting and committee; lessons and theme days are held at every level.
KINDS_BY_ORG = {
    PartyOrg.Kind.GROUP: {Kind.GROUP_MEETING, Kind.LESSON, Kind.THEME_DAY},
    PartyOrg.Kind.BRANCH: {Kind.GENERAL_MEETING, Kind.COMMITTEE, Kind.LESSON, Kind.THEME_DAY},
    PartyOrg.Kind.GENERAL_BRANCH: {Kind.GENERAL_MEETING, Kind.COMMITTEE, Kind.LESSON, Kind.THEME_DAY},
    PartyOrg.Kind.COMMITTEE: {Kind.COMMITTEE, Kind.LESSON, Kind.THEME_DAY},
}


class Record(models.Model):
    """One meeting or lesson (三会一课记录) of a Party organisation."""

    party_org = models.ForeignKey(PartyOrg, verbose_name=_("party organisation"), on_delete=models.PROTECT,
                                  related_name="orglife_records")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    held_on = models.DateField(_("held on"), db_index=True)
    makeup_for = models.DateField(
        _("make-up for (补开)"), null=True, blank=True,
        help_text=_("A day of the earlier period this meeting makes up for; it then counts for that period only."))
    topic = models.CharField(_("topic"), max_length=300)
    location = models.CharField(_("location"), max_length=200, blank=True)
    host = models.ForeignKey("org.Person", verbose_name=_("host (主持人)"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    lecturer = models.ForeignKey("org.Person", verbose_name=_("lecturer (授课人)"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    minutes = models.TextField(_("minutes (会议记录)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "party_org__unit__path"
    scope_unit_id = "party_org__unit_id"
    scope_party_path = "party_org__path"
    scope_party_id = "party_org_id"

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["party_org", "kind", "held_on"])]
        verbose_name = _("organisation life record")
        verbose_name_plural = _("organisation life records")

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}：{self.topic}"

    def clean(self):
        errors = {}
        if self.makeup_for is not None and self.held_on is not None and self.makeup_for >= self.held_on:
            errors["makeup_for"] = _("A make-up meeting makes up for a day before it was held.")
        if self.kind == Kind.LESSON and not self.lecturer_id:
            errors["lecturer"] = _("A Party lesson names its lecturer.")
        if errors:
            raise ValidationError(errors)


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present (出席)")
        LEAVE = "leave", _("On leave (请假)")
        ABSENT = "absent", _("Absent (缺席)")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("org.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="orglife_attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices, default=Status.PRESENT)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "record__party_org__unit__path"
    scope_unit_id = "record__party_org__unit_id"
    scope_party_path = "record__party_org__path"
    scope_party_id = "record__party_org_id"

    class Meta:
        ordering = ["record", "person__employee_no"]
        constraints = [models.UniqueConstraint(fields=["record", "person"], name="orglife_attendance_once")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.person.name}: {self.get_status_display()}"


def photo_path(photo, filename):
    return f"orglife/{photo.record.held_on:%Y/%m}/{photo.record_id}-{filename}"


class Photo(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=300)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "record__party_org__unit__path"
    scope_unit_id = "record__party_org__unit_id"
    scope_party_path = "record__party_org__path"
    scope_party_id = "record__party_org_id"

    class Meta:
        ordering = ["record", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]


class Rule(models.Model):
    """How often a kind of meeting is owed by a kind of organisation (one row per requirement,
    company-wide). The defaults are the Party's: every 党支部 a 支部党员大会 and a 党课 at least
    once a quarter and a 支委会 at least once a month (a branch of fewer than seven members has
    no committee and is exempt); every 党小组 a 党小组会 at least once a month."""

    org_kind = models.CharField(_("organisation type"), max_length=16, choices=PartyOrg.Kind.choices)
    meeting_kind = models.CharField(_("meeting kind"), max_length=20, choices=Kind.choices)
    frequency = models.CharField(_("at least once a"), max_length=8, choices=[
        (Frequency.MONTH.value, _("month")), (Frequency.QUARTER.value, _("quarter"))])
    min_count = models.PositiveSmallIntegerField(_("meetings per period"), default=1,
                                                 validators=[MinValueValidator(1)])
    exempt_below_members = models.PositiveSmallIntegerField(
        _("exempt below (members)"), null=True, blank=True,
        help_text=_("Organisations with fewer members owe nothing under this rule (e.g. 7: no branch committee)."))
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["org_kind", "meeting_kind"]
        constraints = [models.UniqueConstraint(fields=["org_kind", "meeting_kind"], name="orglife_rule_once")]
        verbose_name = _("organisation life rule")
        verbose_name_plural = _("organisation life rules")

    def __str__(self):
        return f"{self.get_org_kind_display()} · {self.get_meeting_kind_display()}"

    def clean(self):
        allowed = KINDS_BY_ORG.get(self.org_kind, set())
        if self.meeting_kind and self.meeting_kind not in allowed:
            raise ValidationError({"meeting_kind": _("A %(org)s does not hold this kind of meeting.") % {
                "org": self.get_org_kind_display()}})


# The Party's own requirements (《中国共产党支部工作条例（试行）》): (organisation type, meeting,
# frequency, exempt below this many members).
DEFAULT_RULES = [
    (PartyOrg.Kind.BRANCH, Kind.GENERAL_MEETING, Frequency.QUARTER, None),
    (PartyOrg.Kind.BRANCH, Kind.LESSON, Frequency.QUARTER, None),
    (PartyOrg.Kind.BRANCH, Kind.COMMITTEE, Frequency.MONTH, 7),
    (PartyOrg.Kind.GROUP, Kind.GROUP_MEETING, Frequency.MONTH, None),
]


def ensure_default_rules(**kwargs):
    """Add the default rules that are missing; rules already there, changed or not, stay."""
    for org_kind, meeting_kind, frequency, exempt_below in DEFAULT_RULES:
        Rule.objects.get_or_create(org_kind=org_kind, meeting_kind=meeting_kind, defaults={
            "frequency": frequency.value, "min_count": 1, "exempt_below_members": exempt_below, "active": True})
