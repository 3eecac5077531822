"""Labour competitions (劳动竞赛): who competes (units, teams or project groups), on which
indicators with which weights, the readings entered by hand, the bonus and deduction items, and
the results of each scoring period frozen when they are published (通报), with the awards
(流动红旗 …) they carried.

A competition hangs off its organiser unit: everything below it is scoped through the organiser.
The people of a participant read the competitions they take part in through
competitions.selectors (taking_part, for_viewer), never through these querysets' scope."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ronghe.competitions import rules
from ronghe.core.scoping import ScopedQuerySet

SCOPE_PATH = "competition__organiser__path"
SCOPE_ID = "competition__organiser_id"


class Competition(models.Model):
    class Kind(models.TextChoices):
        UNITS = "units", _("Units or teams (单位/班组)")
        GROUPS = "groups", _("Project groups (上产项目组)")
        CARRIERS = "carriers", _("Party-member carriers (党员载体)")

    class Cadence(models.TextChoices):
        MONTHLY = rules.Cadence.MONTHLY.value, _("Monthly (月度)")
        QUARTERLY = rules.Cadence.QUARTERLY.value, _("Quarterly (季度)")

    name = models.CharField(_("name"), max_length=200)
    organiser = models.ForeignKey("org.Unit", verbose_name=_("organiser unit (主办单位)"), on_delete=models.PROTECT,
                                  related_name="competitions")
    kind = models.CharField(_("participants are"), max_length=8, choices=Kind.choices, default=Kind.UNITS)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    cadence = models.CharField(_("scoring period"), max_length=12, choices=Cadence.choices,
                               default=Cadence.MONTHLY)
    description = models.TextField(_("rules and slogan (竞赛规则)"), blank=True)
    tie_breaker = models.ForeignKey("Indicator", verbose_name=_("tie broken by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "organiser__path"
    scope_unit_id = "organiser_id"

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("labour competition")
        verbose_name_plural = _("labour competitions")

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A competition cannot end before it starts.")})
        if self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days > 366 * 3:
            raise ValidationError({"ends_on": _("A competition runs for three years at most.")})
        if self.tie_breaker_id and self.pk and self.tie_breaker.competition_id != self.pk:
            raise ValidationError({"tie_breaker": _("The tie-break indicator belongs to another competition.")})


def unit_label(unit) -> str:
    """A unit as a competition names it: a team with its parent's name before its own, since
    teams of different areas share names (采油作业一区·采油一班, 采油作业二区·采油一班)."""
    if unit.kind == "team" and unit.parent_id:
        return f"{unit.parent.name}·{unit.name}"
    return unit.name


class Participant(models.Model):
    """A unit or team, a project group (上产项目组) or a Party-member carrier (先锋岗, 责任区,
    先锋工程) competing. `unit` is the participant itself, or the unit its group or carrier
    belongs to."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    project_group = models.ForeignKey("production.ProjectGroup", verbose_name=_("project group"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    carrier = models.ForeignKey("vanguard.Carrier", verbose_name=_("carrier"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = SCOPE_PATH
    scope_unit_id = SCOPE_ID

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["competition", "unit"],
                                    condition=Q(project_group__isnull=True, carrier__isnull=True),
                                    name="competitions_participant_unit_only_once"),
            models.UniqueConstraint(fields=["competition", "carrier"], condition=Q(carrier__isnull=False),
                                    name="competitions_participant_carrier_once"),
            models.UniqueConstraint(fields=["competition", "project_group"],
                                    condition=Q(project_group__isnull=False),
                                    name="competitions_participant_group_once"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.project_group_id:
            return self.project_group.name
        if self.carrier_id:
            return self.carrier.name
        return unit_label(self.unit)


class Indicator(models.Model):
    """One thing the participants are measured on: read from live data through a registered
    source (competitions.sources) or entered by hand / imported, with its weight (满分)."""

    MANUAL = "manual"

    class Normalisation(models.TextChoices):
        RATIO = rules.Normalisation.RATIO.value, _("Ratio to plan (与计划之比)")
        RANK = rules.Normalisation.RANK.value, _("Rank points (名次分)")
        MIN_MAX = rules.Normalisation.MIN_MAX.value, _("Min–max (极差法)")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    unit_label = models.CharField(_("unit of measure"), max_length=20, blank=True)
    source = models.CharField(_("data source"), max_length=60, default=MANUAL)
    weight = models.FloatField(_("weight (满分)"), validators=[MinValueValidator(0.01)])
    normalisation = models.CharField(_("normalisation"), max_length=10, choices=Normalisation.choices,
                                     default=Normalisation.RANK)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    target = models.FloatField(_("target (plan)"), null=True, blank=True,
                               help_text=_("The plan a ratio is taken against when a reading carries none."))
    ratio_cap = models.FloatField(_("ratio cap"), default=1.2, validators=[MinValueValidator(1)],
                                  help_text=_("A ratio to plan earns at most this multiple of the full marks."))
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = SCOPE_PATH
    scope_unit_id = SCOPE_ID

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["competition", "code"],
                                               name="competitions_indicator_code_once")]

    def __str__(self):
        return self.name

    @property
    def is_manual(self):
        return self.source == self.MANUAL

    def clean(self):
        from ronghe.competitions import sources

        if not self.is_manual:
            source = sources.get(self.source)
            if source is None:
                raise ValidationError({"source": _("No data source “%(code)s”.") % {"code": self.source}})
            if self.competition_id and self.competition.kind not in source.kinds:
                raise ValidationError({"source": _("This data source cannot measure these participants.")})


class Reading(models.Model):
    """A reading of a hand-entered indicator for one participant and scoring period, with its
    evidence (佐证)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="readings")
    period_start = models.DateField(_("period"))
    value = models.FloatField(_("value"))
    plan = models.FloatField(_("plan value"), null=True, blank=True)
    evidence = models.TextField(_("evidence (佐证)"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "indicator__" + SCOPE_PATH
    scope_unit_id = "indicator__" + SCOPE_ID

    class Meta:
        ordering = ["period_start", "indicator", "participant"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [models.UniqueConstraint(fields=["indicator", "participant", "period_start"],
                                               name="competitions_reading_once")]

    def __str__(self):
        return f"{self.indicator} {self.participant} {self.period_start:%Y-%m}"


class Adjustment(models.Model):
    """A bonus (加分) or deduction (扣分) item of one participant in one scoring period."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="adjustments")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="adjustments")
    period_start = models.DateField(_("period"))
    points = models.FloatField(_("points"), help_text=_("Positive for a bonus, negative for a deduction."))
    reason = models.CharField(_("reason"), max_length=300)
    evidence = models.TextField(_("evidence (佐证)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = SCOPE_PATH
    scope_unit_id = SCOPE_ID

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("bonus or deduction")
        verbose_name_plural = _("bonuses and deductions")

    def __str__(self):
        return f"{self.participant} {self.points:+g} {self.reason}"

    def clean(self):
        if self.points == 0:
            raise ValidationError({"points": _("A bonus or deduction of zero points changes nothing.")})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Say why the points are given or taken.")})


class AwardKind(models.Model):
    """An award of the competition (流动红旗, 先进单位 …) that goes with each published period to
    the participants ranked within `top`."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="award_kinds")
    name = models.CharField(_("award"), max_length=60)
    top = models.PositiveSmallIntegerField(_("ranks awarded"), default=1, validators=[MinValueValidator(1)])
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = SCOPE_PATH
    scope_unit_id = SCOPE_ID

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [models.UniqueConstraint(fields=["competition", "name"], name="competitions_award_once")]

    def __str__(self):
        return self.name


class Publication(models.Model):
    """The frozen results of one scoring period (通报). Publishing again writes a new version
    with its reason and leaves the old one as it was; only the current version is shown."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="publications")
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    as_of = models.DateField(_("data as of"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reason = models.TextField(_("reason for publishing again"), blank=True)
    indicators = models.JSONField(_("indicators as published"), default=list)
    tie_breaker = models.CharField(_("tie broken by"), max_length=40, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = SCOPE_PATH
    scope_unit_id = SCOPE_ID

    class Meta:
        ordering = ["competition", "period_start", "-version"]
        verbose_name = _("published ranking")
        verbose_name_plural = _("published rankings")
        constraints = [
            models.UniqueConstraint(fields=["competition", "period_start", "version"],
                                    name="competitions_publication_version_once"),
            models.UniqueConstraint(fields=["competition", "period_start"], condition=Q(is_current=True),
                                    name="competitions_publication_one_current"),
        ]

    def __str__(self):
        return f"{self.competition} {self.period_start:%Y-%m-%d} v{self.version}"


class Standing(models.Model):
    """One participant's frozen row of a published ranking: rank, scores and the breakdown by
    indicator and adjustment as they were when published."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="standings")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="standings")
    name = models.CharField(_("participant"), max_length=200)
    rank = models.PositiveIntegerField(_("rank"))
    total = models.FloatField(_("total"))
    base = models.FloatField(_("indicator score"))
    adjustment = models.FloatField(_("bonus and deduction"))
    lines = models.JSONField(_("by indicator"), default=list)
    adjustments = models.JSONField(_("bonus and deduction items"), default=list)
    tie_value = models.FloatField(_("tie-break reading"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "publication__" + SCOPE_PATH
    scope_unit_id = "publication__" + SCOPE_ID

    class Meta:
        ordering = ["publication", "rank", "name"]
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        constraints = [models.UniqueConstraint(fields=["publication", "participant"],
                                               name="competitions_standing_once")]

    def __str__(self):
        return f"{self.rank}. {self.name}"


class AwardGrant(models.Model):
    """An award given with a published ranking."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="awards")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="awards")
    award = models.CharField(_("award"), max_length=60)
    rank = models.PositiveIntegerField(_("rank"))

    objects = ScopedQuerySet.as_manager()

    scope_unit_path = "publication__" + SCOPE_PATH
    scope_unit_id = "publication__" + SCOPE_ID

    class Meta:
        ordering = ["publication", "rank", "id"]
        verbose_name = _("award given")
        verbose_name_plural = _("awards given")

    def __str__(self):
        return self.award
