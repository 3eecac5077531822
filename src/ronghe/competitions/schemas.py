"""Request and response shapes of the labour-competition API (劳动竞赛). Competitions,
participants, readings and adjustments are named by id, indicators by their code within the
competition, units by code (单位编码) and periods by their first day (YYYY-MM-DD)."""
import datetime as dt
from typing import Literal

from ninja import Field, Schema

from ronghe.competitions.models import Competition, Indicator
from ronghe.core.api_support import page_schema


def _describe(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices.choices)


Kind = Literal[tuple(Competition.Kind.values)]
CadenceChoice = Literal[tuple(Competition.Cadence.values)]
NormalisationChoice = Literal[tuple(Indicator.Normalisation.values)]
KIND = f"Who competes (参赛对象): {_describe(Competition.Kind)}."
CADENCE = f"Scoring period (考核周期): {_describe(Competition.Cadence)}."
NORMALISATION = (f"How readings become points (计分方法): {_describe(Indicator.Normalisation)}. Ratio: reading ÷ "
                 "plan × 100, capped; rank: best 100, worst 0; min–max: (reading − worst) ÷ (best − worst) × 100.")
SOURCE = ("“manual” for readings entered by hand or imported (手工录入), or the code of a live source "
          "(GET /competitions/sources).")


class CompetitionFilters(Schema):
    q: str = Field("", description="Part of the name (竞赛名称).")
    year: int | None = Field(None, description="Competitions running in this year (年度).")
    organiser_subtree: str = Field("", description="Code of a unit: competitions organised by it or any unit "
                                                   "under it (主办单位及下级).")
    kind: Kind | None = Field(None, description=KIND)


class CompetitionOut(Schema):
    id: int = Field(..., description="Id of the competition (竞赛编号).")
    access: Literal["organiser", "participant"] = Field(
        ..., description="How you read it: `organiser` (within your scope: everything) or `participant` (you "
                         "take part: your own standing whole, the others as published) (查看身份).")
    name: str = Field(..., description="Name (竞赛名称).")
    organiser: str = Field(..., description="Code of the organiser unit (主办单位编码).")
    organiser_name: str = Field(..., description="Name of the organiser unit (主办单位).")
    kind: str = Field(..., description=KIND)
    starts_on: dt.date = Field(..., description="First day (开始日期).")
    ends_on: dt.date = Field(..., description="Last day (结束日期).")
    cadence: str = Field(..., description=CADENCE)
    description: str = Field(..., description="Rules and slogan (竞赛规则).")
    tie_breaker: str | None = Field(None, description="Code of the indicator that breaks ties (并列时比较的指标).")
    participant_count: int = Field(..., description="Participants (参赛数).")
    indicator_count: int = Field(..., description="Indicators (指标数).")


CompetitionPage = page_schema(CompetitionOut, "CompetitionPage")


class CompetitionIn(Schema):
    name: str = Field(..., max_length=200, description="Name (竞赛名称).", examples=["2026年原油上产劳动竞赛"])
    organiser: str = Field(..., description="Code of the organiser unit, within your scope (主办单位编码).")
    kind: Kind = Field(Competition.Kind.UNITS.value, description=KIND)
    starts_on: dt.date = Field(..., description="First day (开始日期).")
    ends_on: dt.date = Field(..., description="Last day (结束日期).")
    cadence: CadenceChoice = Field(Competition.Cadence.MONTHLY.value, description=CADENCE)
    description: str = Field("", description="Rules and slogan (竞赛规则).")


class CompetitionPatch(Schema):
    """Only the fields sent change."""

    name: str | None = Field(None, max_length=200, description="Name (竞赛名称).")
    organiser: str | None = Field(None, description="Code of the organiser unit (主办单位编码).")
    starts_on: dt.date | None = Field(None, description="First day (开始日期).")
    ends_on: dt.date | None = Field(None, description="Last day (结束日期).")
    cadence: CadenceChoice | None = Field(None, description=CADENCE)
    description: str | None = Field(None, description="Rules and slogan (竞赛规则).")
    tie_breaker: str | None = Field(None, description="Code of the indicator that breaks ties; empty for none "
                                                      "(并列比较指标).")


class ParticipantOut(Schema):
    id: int = Field(..., description="Id of the participant (参赛编号).")
    name: str = Field(..., description="Name: the unit's or the project group's (名称).")
    unit: str = Field(..., description="Code of the unit, or of the project group's unit (单位编码).")
    project_group: int | None = Field(None, description="Id of the project group, in a competition among groups "
                                                        "(上产项目组).")
    carrier: int | None = Field(None, description="Id of the Party-member carrier, in a competition among carriers "
                                                  "(党员载体).")


class ParticipantIn(Schema):
    unit: str | None = Field(None, description="Code of the unit or team that competes (单位编码); for a "
                                               "competition among units.")
    project_group: int | None = Field(None, description="Id of the project group that competes (上产项目组); for a "
                                                        "competition among groups.")
    carrier: int | None = Field(None, description="Id of the Party-member carrier that competes (先锋岗/责任区/先锋工程); "
                                                  "for a competition among carriers.")
    sort_order: int = Field(0, description="Order in lists (排序).")


class IndicatorOut(Schema):
    id: int = Field(..., description="Id of the indicator (指标编号).")
    code: str = Field(..., description="Code within the competition (指标代码).")
    name: str = Field(..., description="Name (指标名称).")
    unit_label: str = Field(..., description="Unit of measure (计量单位).")
    source: str = Field(..., description=SOURCE)
    weight: float = Field(..., description="Weight: the indicator's full marks (权重/满分).")
    normalisation: str = Field(..., description=NORMALISATION)
    higher_is_better: bool = Field(..., description="Whether a higher reading is better (越大越好).")
    target: float | None = Field(None, description="Plan a ratio is taken against when a reading has none (目标值).")
    ratio_cap: float = Field(..., description="A ratio earns at most this multiple of full marks (封顶倍数).")


class IndicatorIn(Schema):
    code: str = Field(..., max_length=40, pattern=r"^[-a-zA-Z0-9_]+$", description="Code within the competition "
                                                                                   "(指标代码).")
    name: str = Field(..., max_length=120, description="Name (指标名称).")
    weight: float = Field(..., gt=0, description="Weight: the indicator's full marks (权重/满分).")
    source: str = Field(Indicator.MANUAL, description=SOURCE)
    normalisation: NormalisationChoice = Field(Indicator.Normalisation.RANK.value, description=NORMALISATION)
    higher_is_better: bool = Field(True, description="Whether a higher reading is better (越大越好).")
    target: float | None = Field(None, description="Plan a ratio is taken against when a reading has none (目标值).")
    ratio_cap: float = Field(1.2, ge=1, description="A ratio earns at most this multiple of full marks (封顶倍数).")
    unit_label: str | None = Field(None, max_length=20, description="Unit of measure; default the source's "
                                                                    "(计量单位).")
    sort_order: int = Field(0, description="Order in lists (排序).")


class IndicatorPatch(Schema):
    """Only the fields sent change."""

    name: str | None = Field(None, max_length=120, description="Name (指标名称).")
    weight: float | None = Field(None, gt=0, description="Weight (权重/满分).")
    normalisation: NormalisationChoice | None = Field(None, description=NORMALISATION)
    higher_is_better: bool | None = Field(None, description="Whether a higher reading is better (越大越好).")
    target: float | None = Field(None, description="Plan a ratio is taken against (目标值).")
    ratio_cap: float | None = Field(None, ge=1, description="Cap of a ratio (封顶倍数).")
    unit_label: str | None = Field(None, max_length=20, description="Unit of measure (计量单位).")
    sort_order: int | None = Field(None, description="Order in lists (排序).")


class AwardKindOut(Schema):
    id: int = Field(..., description="Id of the award (奖项编号).")
    name: str = Field(..., description="Award, e.g. 流动红旗 (奖项).")
    top: int = Field(..., description="Ranks that receive it with each published period (授予前几名).")


class AwardKindIn(Schema):
    name: str = Field(..., max_length=60, description="Award, e.g. 流动红旗 (奖项).")
    top: int = Field(1, ge=1, le=100, description="Ranks that receive it (授予前几名).")


class ScoringPeriodOut(Schema):
    start: dt.date = Field(..., description="First day (周期开始).")
    end: dt.date = Field(..., description="Last day (周期结束).")
    published_version: int | None = Field(None, description="Version of the current publication; null while "
                                                            "unpublished (通报版本).")


class CompetitionDetail(CompetitionOut):
    participants: list[ParticipantOut] = Field(..., description="Participants (参赛单位).")
    indicators: list[IndicatorOut] = Field(..., description="Indicators (考核指标).")
    awards: list[AwardKindOut] = Field(..., description="Awards given with each published period (奖项).")
    periods: list[ScoringPeriodOut] = Field(..., description="Scoring periods (考核周期).")


class SourceOut(Schema):
    code: str = Field(..., description="Code to name as an indicator's source (数据来源代码).")
    label: str = Field(..., description="What it measures (名称).")
    unit_label: str = Field(..., description="Unit of measure (计量单位).")
    kinds: list[str] = Field(..., description="Participants it can measure: units, groups (适用对象).")
    normalisation: str = Field(..., description="The normalisation it suits best (建议计分方法).")
    help: str = Field(..., description="How it is computed (计算口径).")


class ReadingFilters(Schema):
    period: dt.date | None = Field(None, description="First day of a scoring period (周期开始日).")
    indicator: str = Field("", description="Code of an indicator (指标代码).")


class ReadingOut(Schema):
    id: int = Field(..., description="Id of the reading (录入编号).")
    indicator: str = Field(..., description="Code of the indicator (指标代码).")
    participant: int = Field(..., description="Id of the participant (参赛编号).")
    participant_name: str = Field(..., description="Name of the participant (参赛单位).")
    period_start: dt.date = Field(..., description="First day of the scoring period (周期开始日).")
    value: float = Field(..., description="Reading (完成值).")
    plan: float | None = Field(None, description="The participant's plan, for a ratio to plan (计划值).")
    evidence: str = Field(..., description="Evidence (佐证材料).")
    updated_at: dt.datetime = Field(..., description="Last entered (录入时间).")


ReadingPage = page_schema(ReadingOut, "ReadingPage")


class ReadingIn(Schema):
    indicator: str = Field(..., description="Code of a hand-entered indicator (指标代码).")
    participant: int = Field(..., description="Id of the participant (参赛编号).")
    period_start: dt.date = Field(..., description="First day of the scoring period (周期开始日).")
    value: float = Field(..., description="Reading (完成值).")
    plan: float | None = Field(None, description="The participant's plan, for a ratio to plan (计划值).")
    evidence: str = Field("", description="Evidence (佐证材料).")


class AdjustmentIn(Schema):
    participant: int = Field(..., description="Id of the participant (参赛编号).")
    period_start: dt.date = Field(..., description="First day of the scoring period (周期开始日).")
    points: float = Field(..., description="Points: positive for a bonus, negative for a deduction (加减分).")
    reason: str = Field(..., max_length=300, description="Why (加减分事由).")
    evidence: str = Field("", description="Evidence (佐证材料).")


class AdjustmentOut(Schema):
    id: int = Field(..., description="Id of the item (加减分编号).")
    participant: int = Field(..., description="Id of the participant (参赛编号).")
    period_start: dt.date = Field(..., description="First day of the scoring period (周期开始日).")
    points: float = Field(..., description="Points (加减分).")
    reason: str = Field(..., description="Why (事由).")
    evidence: str = Field(..., description="Evidence (佐证材料).")


class LineOut(Schema):
    indicator: str = Field(..., description="Code of the indicator (指标代码).")
    value: float | None = Field(None, description="Reading; null when missing (完成值).")
    plan: float | None = Field(None, description="The participant's plan, if the reading carried one (计划值).")
    points: float = Field(..., description="Points on a 0–100 scale (ratio: up to its cap) (得分率).")
    score: float = Field(..., description="Weight × points ÷ 100 (得分).")
    missing: bool = Field(..., description="No reading for this period (缺报).")


class ItemOut(Schema):
    points: float = Field(..., description="Points (加减分).")
    reason: str = Field(..., description="Why (事由).")


class StandingOut(Schema):
    participant: int = Field(..., description="Id of the participant (参赛编号).")
    name: str = Field(..., description="Participant (参赛单位).")
    rank: int = Field(..., description="Rank; those level share one (名次).")
    change: int | None = Field(None, description="Places gained since the previous period, negative when lost; "
                                                 "null without a previous rank (名次变化).")
    total: float = Field(..., description="Total (总分).")
    base: float | None = Field(..., description="Sum of the indicators' scores; null when masked (指标得分).")
    adjustment: float | None = Field(..., description="Sum of bonuses and deductions; null when masked (加减分).")
    lines: list[LineOut] = Field(..., description="Score by indicator (分项得分).")
    adjustments: list[ItemOut] = Field(..., description="Bonus and deduction items (加减分明细).")
    awards: list[str] = Field(..., description="Awards given with this publication (获奖).")
    masked: bool = Field(False, description="Another participant's standing as a participant reads it: rank, "
                                            "name, total and awards only (仅公开通报内容).")


class RankedIndicator(Schema):
    code: str = Field(..., description="Code (指标代码).")
    name: str = Field(..., description="Name (指标名称).")
    unit_label: str = Field(..., description="Unit of measure (计量单位).")
    weight: float = Field(..., description="Weight (权重/满分).")
    normalisation: str = Field(..., description=NORMALISATION)
    higher_is_better: bool = Field(..., description="Whether a higher reading is better (越大越好).")
    source: str = Field(..., description=SOURCE)


class RankingOut(Schema):
    competition: int = Field(..., description="Id of the competition (竞赛编号).")
    period_start: dt.date = Field(..., description="First day of the period (周期开始).")
    period_end: dt.date = Field(..., description="Last day of the period (周期结束).")
    published: bool = Field(..., description="Frozen by publication (已通报); otherwise computed live (实时).")
    version: int | None = Field(None, description="Version of the publication (通报版本).")
    published_at: dt.datetime | None = Field(None, description="When it was published (通报时间).")
    as_of: dt.date = Field(..., description="Data up to this date (数据截止).")
    tie_breaker: str = Field(..., description="Code of the tie-break indicator, if any (并列比较指标).")
    indicators: list[RankedIndicator] = Field(..., description="Indicators as scored (考核指标).")
    masked: bool = Field(False, description="Read as a participant: your own standings whole, the others' only "
                                            "when published, masked (参赛方视图).")
    ranked: int = Field(..., description="How many participants the period ranks (参评数).")
    standings: list[StandingOut] = Field(..., description="Standings, best first (排名).")


class RankingsOut(Schema):
    competition: int = Field(..., description="Id of the competition (竞赛编号).")
    as_of: dt.date = Field(..., description="Data up to this date (数据截止).")
    periods: list[RankingOut] = Field(..., description="Every period begun by `as_of`, oldest first (各期排名).")


class RankingQuery(Schema):
    as_of: str | None = Field(None, description="Compute unpublished periods with data up to this date "
                                                "(YYYY-MM-DD), default today (数据截止日).")


class PublishIn(Schema):
    reason: str = Field("", description="Why the period is published again; required then (重新通报原因).")
    as_of: dt.date | None = Field(None, description="Data up to this date, default today; not before the "
                                                    "period's end (数据截止日).")


class ParticipantScoresOut(Schema):
    participant: ParticipantOut = Field(..., description="The participant (参赛单位).")
    as_of: dt.date = Field(..., description="Data up to this date (数据截止).")
    periods: list[RankingOut] = Field(..., description="Each period begun, with this participant's standing "
                                                       "only (各期得分).")
