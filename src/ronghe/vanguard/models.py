"""Party-member carriers (载体: 共产党员先锋岗, 党员责任区, 党员先锋工程) and the production-problem
ledger (生产难题台账): the problems members take on, how far each has got, and what solving it
was worth.

A carrier hangs off its unit and its Party organisation (attached to that unit or one above it);
a problem hangs off its unit and, through its carrier when it has one, that carrier's Party
organisation."""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ronghe.core import attachments
from ronghe.core.scoping import ScopedQuerySet


class Carrier(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("Vanguard post (共产党员先锋岗)")
        ZONE = "zone", _("Responsibility zone (党员责任区)")
        PROJECT = "project", _("Vanguard project (党员先锋工程)")

    class Category(models.TextChoices):
        PRODUCTION = "production", _("Production (生产)")
        RESEARCH = "research", _("Research (科研)")
        BUSINESS = "business", _("Business (经营)")
        SERVICE = "service", _("Service (服务)")
        OTHER = "other", _("Other (其他)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active (运行中)")
        RETIRED = "retired", _("Retired (已撤销)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="carriers")
    party_org = models.ForeignKey("org.PartyOrg", verbose_name=_("party organisation"), on_delete=models.PROTECT,
                                  related_name="carriers")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices,
                                default=Category.PRODUCTION)
    production_related = models.BooleanField(_("tied to production"), default=True,
                                             help_text=_("The post is closely tied to production (与生产紧密相关)."))
    commitment = models.TextField(_("commitment (承诺)"), blank=True)
    targets = models.TextField(_("targets (目标)"), blank=True)
    established_on = models.DateField(_("established on"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"
    scope_party_path = "party_org__path"
    scope_party_id = "party_org_id"

    class Meta:
        ordering = ["unit__path", "kind", "name", "id"]
        indexes = [models.Index(fields=["established_on"]), models.Index(fields=["retired_on"])]
        constraints = [models.UniqueConstraint(
            fields=["unit", "name"], name="carrier_name_unique_in_unit",
            violation_error_message=_("The unit has a carrier of this name already."))]
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.retired_on and self.established_on and self.retired_on < self.established_on:
            errors["retired_on"] = _("A carrier cannot be retired before it was established.")
        if (self.status == self.Status.RETIRED) != (self.retired_on is not None):
            errors["status"] = _("A retired carrier has a retirement date, an active one has none.")
        if self.unit_id and self.party_org_id:
            unit, party_org = self.unit, self.party_org
            if not unit.path.startswith(party_org.unit.path):
                errors["party_org"] = _("The party organisation is attached to %(unit)s, which is neither the "
                                        "carrier's unit nor above it.") % {"unit": party_org.unit.name}
            if party_org.abolished_on is not None:
                errors["party_org"] = _("This party organisation is abolished.")
            if unit.abolished_on is not None:
                errors["unit"] = _("This unit is abolished.")
        if errors:
            raise ValidationError(errors)

    def active_on(self, day) -> bool:
        return self.established_on <= day and (self.retired_on is None or self.retired_on > day)


class CarrierMember(models.Model):
    """A Party member on a carrier; one of them leads it (负责人)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("org.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="carrier_seats")
    is_lead = models.BooleanField(_("lead"), default=False)

    class Meta:
        ordering = ["-is_lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "person"], name="carrier_member_once"),
            models.UniqueConstraint(fields=["carrier"], condition=Q(is_lead=True), name="carrier_one_lead"),
        ]
        verbose_name = _("carrier member")
        verbose_name_plural = _("carrier members")

    def __str__(self):
        return f"{self.person.name}{' *' if self.is_lead else ''}"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    GOOD = "good", _("Good (良好)")
    FAIR = "fair", _("Fair (一般)")
    POOR = "poor", _("Poor (较差)")


class CarrierReview(models.Model):
    """The annual review (年度评议) of a carrier."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["carrier", "year"], name="carrier_review_once_a_year")]
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")

    def __str__(self):
        return f"{self.year} {self.get_rating_display()}"


class CarrierRecognition(models.Model):
    """A naming (命名, e.g. 示范岗) or commendation (表彰) a carrier received."""

    class Kind(models.TextChoices):
        NAMED = "named", _("Named (命名)")
        COMMENDED = "commended", _("Commended (表彰)")

    class Level(models.TextChoices):
        GROUP = "group", _("Group company or above (集团公司及以上)")
        COMPANY = "company", _("Company (公司级)")
        UNIT = "unit", _("Secondary unit (二级单位级)")

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="recognitions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    title = models.CharField(_("title"), max_length=200)
    granted_on = models.DateField(_("granted on"))
    granted_by = models.CharField(_("granted by"), max_length=200, blank=True)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)

    class Meta:
        ordering = ["-granted_on", "id"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self):
        return self.title


class Problem(models.Model):
    """A production problem (生产难题) raised, tackled and solved, with what it was worth."""

    class Category(models.TextChoices):
        TECHNICAL = "technical", _("Technical (技术)")
        PROCESS = "process", _("Process (工艺)")
        EQUIPMENT = "equipment", _("Equipment (设备)")
        MANAGEMENT = "management", _("Management (管理)")
        SAFETY = "safety", _("Safety (安全)")
        OTHER = "other", _("Other (其他)")

    class Difficulty(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary (一般)")
        HARD = "hard", _("Hard (较难)")
        MAJOR = "major", _("Major (重大)")

    class Status(models.TextChoices):
        OPEN = "open", _("Registered (已登记)")
        TACKLING = "tackling", _("Being tackled (攻关中)")
        SOLVED = "solved", _("Solved (已解决)")
        VERIFIED = "verified", _("Verified (已验收)")
        CLOSED = "closed", _("Closed unsolved (未解决关闭)")

    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="problems")
    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="problems")
    raised_by = models.ForeignKey("org.Person", verbose_name=_("raised by"), on_delete=models.PROTECT,
                                  related_name="problems_raised")
    raised_on = models.DateField(_("raised on"), db_index=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices,
                                  default=Difficulty.ORDINARY)
    workers = models.ManyToManyField("org.Person", verbose_name=_("people working on it"), blank=True,
                                     related_name="problems_tackled")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    started_on = models.DateField(_("tackling since"), null=True, blank=True)
    solution = models.TextField(_("solution"), blank=True)
    solved_on = models.DateField(_("solved on"), null=True, blank=True, db_index=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True, db_index=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    verification_note = models.TextField(_("verification note"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("reason closed unsolved"), blank=True)
    oil_t = models.DecimalField(_("oil (t)"), max_digits=12, decimal_places=2, default=0)
    gas_m3 = models.DecimalField(_("gas (m³)"), max_digits=14, decimal_places=2, default=0)
    cost_saved = models.DecimalField(_("cost saved (¥)"), max_digits=14, decimal_places=2, default=0)
    other_benefit = models.TextField(_("other benefit"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "unit__path"
    scope_unit_id = "unit_id"
    scope_party_path = "carrier__party_org__path"
    scope_party_id = "carrier__party_org_id"

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(oil_t__gte=0) & Q(gas_m3__gte=0) & Q(cost_saved__gte=0),
                                   name="problem_benefit_not_negative"),
        ]
        verbose_name = _("production problem")
        verbose_name_plural = _("production problems")

    def __str__(self):
        return self.title

    def clean(self):
        from ronghe.vanguard import rules

        errors = {}
        for field, message in rules.problem_date_errors(rules.ProblemDates(
                status=self.status, raised_on=self.raised_on, started_on=self.started_on, solved_on=self.solved_on,
                verified_on=self.verified_on, closed_on=self.closed_on)).items():
            errors.setdefault(field, []).append(message)
        if self.status in (self.Status.SOLVED, self.Status.VERIFIED) and not self.solution.strip():
            errors.setdefault("solution", []).append(_("Describe how the problem was solved."))
        if self.status == self.Status.CLOSED and not self.close_reason.strip():
            errors.setdefault("close_reason", []).append(_("Say why the problem is closed unsolved."))
        if self.carrier_id and self.unit_id:
            carrier_path, path = self.carrier.unit.path, self.unit.path
            if not (path.startswith(carrier_path) or carrier_path.startswith(path)):
                errors.setdefault("carrier", []).append(
                    _("The carrier belongs to %(unit)s, which is neither this unit, above it nor below it.")
                    % {"unit": self.carrier.unit.name})
        if errors:
            raise ValidationError(errors)


def attachment_path(instance, filename):
    return f"vanguard/problems/{instance.problem_id}/{uuid.uuid4().hex[:12]}-{filename}"


class ProblemAttachment(attachments.Attachment):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)

    scope_unit_path = "problem__unit__path"
    scope_unit_id = "problem__unit_id"
    scope_party_path = "problem__carrier__party_org__path"
    scope_party_id = "problem__carrier__party_org_id"
