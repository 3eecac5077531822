"""Request and response shapes of the carriers and problem-ledger API. Carriers and problems are
named by their ids; people by employee number (工号), units and Party organisations by code."""
import datetime as dt
from typing import Literal

from ninja import Field, Schema

from ronghe.core.api_support import page_schema
from ronghe.vanguard.models import Carrier, CarrierRecognition, Problem, Rating
from ronghe.vanguard.stats import PRESETS


def _choices(choices):
    return Literal[tuple(choices.values)]


def _describe(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices.choices)


Kind = _choices(Carrier.Kind)
CarrierCategory = _choices(Carrier.Category)
CarrierStatus = _choices(Carrier.Status)
RatingChoice = _choices(Rating)
RecognitionKind = _choices(CarrierRecognition.Kind)
RecognitionLevel = _choices(CarrierRecognition.Level)
ProblemCategory = _choices(Problem.Category)
Difficulty = _choices(Problem.Difficulty)
ProblemStatus = Literal[(*Problem.Status.values, "live", "solved_or_verified")]
Flag = Literal["no_members", "no_lead"]
Preset = Literal[tuple(PRESETS)]


# --- carriers ------------------------------------------------------------------------------------

class CarrierFilters(Schema):
    q: str = Field("", description="Words in the name, commitment or targets (名称、承诺、目标).")
    kind: Kind | None = Field(None, description=f"Kind (载体类型): {_describe(Carrier.Kind)}.")
    category: CarrierCategory | None = Field(None, description=f"Category (类别): {_describe(Carrier.Category)}.")
    status: CarrierStatus | None = Field(None, description=f"Status (状态): {_describe(Carrier.Status)}.")
    unit: str = Field("", description="Code of a unit: carriers of it and the units under it (单位编码, 含下级).")
    party_org: str = Field("", description="Code of a Party organisation: carriers of it and those under it "
                                           "(党组织编码, 含下级).")
    production_related: bool | None = Field(None, description="Only those tied (true) or not tied (false) to "
                                                              "production (是否生产相关).")
    flag: Flag | None = Field(None, description="no_members = carriers without members (无成员); no_lead = with "
                                                "members but no lead (无负责人).")


class MemberOut(Schema):
    employee_no: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")
    is_lead: bool = Field(..., description="Leads the carrier (负责人).")


class CarrierOut(Schema):
    id: int = Field(..., description="Id of the carrier (载体编号).")
    name: str = Field(..., description="Name (载体名称).")
    kind: str = Field(..., description=f"Kind (载体类型): {_describe(Carrier.Kind)}.")
    category: str = Field(..., description=f"Category (类别): {_describe(Carrier.Category)}.")
    unit: str = Field(..., description="Code of its unit (单位编码).")
    unit_name: str = Field(..., description="Its unit (单位).")
    party_org: str = Field(..., description="Code of its Party organisation (党组织编码).")
    party_org_name: str = Field(..., description="Its Party organisation (党组织).")
    production_related: bool = Field(..., description="Tied to production (是否生产相关).")
    commitment: str = Field(..., description="Commitment (承诺).")
    targets: str = Field(..., description="Targets (目标).")
    established_on: dt.date = Field(..., description="Established (设立日期).")
    retired_on: dt.date | None = Field(None, description="Retired (撤销日期).")
    status: str = Field(..., description=f"Status (状态): {_describe(Carrier.Status)}.")
    lead: str | None = Field(None, description="Employee number of its lead (负责人工号).")
    lead_name: str | None = Field(None, description="Its lead (负责人).")
    member_count: int = Field(..., description="Members, the lead included (成员数).")
    flags: list[str] = Field(..., description="no_members and/or no_lead when it lacks them (预警).")


class ReviewOut(Schema):
    year: int = Field(..., description="Year reviewed (评议年度).")
    rating: str = Field(..., description=f"Rating (评议等次): {_describe(Rating)}.")
    comment: str = Field(..., description="Comment (评语).")
    reviewed_on: dt.date = Field(..., description="Reviewed on (评议日期).")


class RecognitionOut(Schema):
    id: int = Field(..., description="Id of the recognition.")
    kind: str = Field(..., description=f"Kind: {_describe(CarrierRecognition.Kind)}.")
    level: str = Field(..., description=f"Level (级别): {_describe(CarrierRecognition.Level)}.")
    title: str = Field(..., description="Title (命名/表彰名称).")
    granted_on: dt.date = Field(..., description="Granted on (日期).")
    granted_by: str = Field(..., description="Granted by (授予单位).")
    document_no: str = Field(..., description="Document number (文号).")


class CarrierDetail(CarrierOut):
    members: list[MemberOut] = Field(..., description="Members, lead first (成员).")
    reviews: list[ReviewOut] = Field(..., description="Annual reviews, latest first (年度评议).")
    recognitions: list[RecognitionOut] = Field(..., description="Namings and commendations (命名表彰).")
    problems_solved: int = Field(..., description="Problems on this carrier solved or verified (解决难题数).")


CarrierPage = page_schema(CarrierOut, "CarrierPage")


class CarrierIn(Schema):
    name: str = Field(..., max_length=200, description="Name, unique within its unit (载体名称).")
    kind: Kind = Field(..., description=f"Kind (载体类型): {_describe(Carrier.Kind)}.")
    party_org: str = Field(..., description="Code of its Party organisation, attached to the unit or one above it "
                                            "(党组织编码).")
    unit: str | None = Field(None, description="Code of its unit (单位编码); by default the one its Party "
                                               "organisation is attached to.")
    established_on: dt.date = Field(..., description="Established (设立日期).")
    category: CarrierCategory = Field(Carrier.Category.PRODUCTION, description="Category (类别).")
    production_related: bool = Field(True, description="Tied to production (是否生产相关).")
    commitment: str = Field("", description="Commitment (承诺).")
    targets: str = Field("", description="Targets (目标).")
    lead: str | None = Field(None, description="Employee number of the lead, a Party member (负责人工号).")
    members: list[str] = Field([], description="Employee numbers of the other members, Party members (成员工号).")


class CarrierPatch(Schema):
    name: str | None = Field(None, max_length=200, description="Name (载体名称).")
    kind: Kind | None = Field(None, description="Kind (载体类型).")
    unit: str | None = Field(None, description="Code of its unit (单位编码).")
    party_org: str | None = Field(None, description="Code of its Party organisation (党组织编码).")
    established_on: dt.date | None = Field(None, description="Established (设立日期).")
    category: CarrierCategory | None = Field(None, description="Category (类别).")
    production_related: bool | None = Field(None, description="Tied to production (是否生产相关).")
    commitment: str | None = Field(None, description="Commitment (承诺).")
    targets: str | None = Field(None, description="Targets (目标).")


class MembersIn(Schema):
    lead: str | None = Field(None, description="Employee number of the lead (负责人工号); none leaves it without.")
    members: list[str] = Field([], description="Employee numbers of the other members (成员工号).")


class RetireIn(Schema):
    on: dt.date | None = Field(None, description="Retired on, default today (撤销日期).")
    reason: str = Field("", description="Why (原因).")


class ReviewIn(Schema):
    year: int = Field(..., ge=2000, le=2100, description="Year reviewed (评议年度); a second review of it replaces "
                                                         "the first.")
    rating: RatingChoice = Field(..., description=f"Rating (评议等次): {_describe(Rating)}.")
    comment: str = Field("", description="Comment (评语).")
    on: dt.date | None = Field(None, description="Reviewed on, default today (评议日期).")


class RecognitionIn(Schema):
    kind: RecognitionKind = Field(..., description=f"Kind: {_describe(CarrierRecognition.Kind)}.")
    level: RecognitionLevel = Field(..., description=f"Level (级别): {_describe(CarrierRecognition.Level)}.")
    title: str = Field(..., max_length=200, description="Title (命名/表彰名称).")
    granted_on: dt.date = Field(..., description="Granted on (日期).")
    granted_by: str = Field("", description="Granted by (授予单位).")
    document_no: str = Field("", description="Document number (文号).")


# --- statistics ----------------------------------------------------------------------------------

class VanguardStatsQuery(Schema):
    date_from: str | None = Field(None, description="First day of the period, YYYY-MM-DD (起始日期); default 1 "
                                                    "January of this year.")
    date_to: str | None = Field(None, description="Last day of the period, YYYY-MM-DD (截止日期); default today.")
    preset: Preset | None = Field(None, description="A named period of `year` instead of the dates: year, h1 "
                                                    "(上半年), h2, q1 … q4.")
    year: int | None = Field(None, ge=2000, le=2100, description="The year of `preset`, default this year.")
    unit: str = Field("", description="Code of a unit: only its subtree (单位编码).")
    party_org: str = Field("", description="Code of a Party organisation: only its subtree (党组织编码).")


class CarrierStats(Schema):
    date_from: dt.date = Field(..., description="First day of the period.")
    date_to: dt.date = Field(..., description="Last day of the period; carriers are counted as they stand then.")
    total: int = Field(..., description="Carriers standing at the end of the period (载体总数).")
    by_kind: dict[str, int] = Field(..., description="Carriers by kind (post, zone, project).")
    by_category: dict[str, int] = Field(..., description="Carriers by category.")
    production_related: int = Field(..., description="Carriers tied to production (生产相关).")
    production_share: float | None = Field(None, description="Their share of all carriers, 0–1 (生产相关占比).")
    established_in_period: int = Field(..., description="Carriers established within the period (新设).")
    party_members: int = Field(..., description="Party members in the scope (党员总数).")
    members_covered: int = Field(..., description="Of them, on at least one carrier (参与党员数).")
    coverage: float | None = Field(None, description="Their share, 0–1 (党员参与率).")
    without_members: list[int] = Field(..., description="Ids of carriers without members (无成员).")
    without_lead: list[int] = Field(..., description="Ids of carriers with members but no lead (无负责人).")
    monthly: list[dict] = Field(..., description="For the end of each month: carriers standing by kind.")


class ProblemFiguresOut(Schema):
    key: str | None = Field(None, description="Category code, carrier id or unit code of the group.")
    name: str = Field("", description="Name of the group.")
    raised: int = Field(..., description="Raised in the period (提出).")
    solved: int = Field(..., description="Solved in the period and still standing solved (解决).")
    verified: int = Field(..., description="Verified by the unit in the period (验收).")
    closed: int = Field(..., description="Closed unsolved in the period (关闭).")
    oil_t: float = Field(..., description="Oil of those solved, tons (增油, 吨).")
    gas_m3: float = Field(..., description="Gas of those solved, m³ (增气, 立方米).")
    cost_saved: float = Field(..., description="Cost saved by those solved, yuan (节约成本, 元).")


class ProblemStats(Schema):
    date_from: dt.date = Field(..., description="First day of the period.")
    date_to: dt.date = Field(..., description="Last day of the period.")
    total: ProblemFiguresOut = Field(..., description="All problems in the scope (合计).")
    open_at_end: int = Field(..., description="Open or being tackled at the end of the period (未解决).")
    by_category: list[ProblemFiguresOut] = Field(..., description="By category (按类别).")
    by_carrier: list[ProblemFiguresOut] = Field(..., description="By carrier, most solved first; key null: "
                                                                 "problems on no carrier (按载体).")
    by_unit: list[ProblemFiguresOut] = Field(..., description="By unit, most solved first (按单位).")
    monthly: list[dict] = Field(..., description="Each month's raised, solved, verified and closed (月度趋势).")


# --- problems ------------------------------------------------------------------------------------

class ProblemFilters(Schema):
    q: str = Field("", description="Words in the title, description or solution.")
    status: ProblemStatus | None = Field(None, description=f"Status (状态): {_describe(Problem.Status)}; live = "
                                                           "open or tackling; solved_or_verified.")
    category: ProblemCategory | None = Field(None, description=f"Category (类别): {_describe(Problem.Category)}.")
    difficulty: Difficulty | None = Field(None, description=f"Difficulty (难度): {_describe(Problem.Difficulty)}.")
    unit: str = Field("", description="Code of a unit: problems of its subtree (单位编码).")
    carrier: int | None = Field(None, description="Id of a carrier (载体编号).")
    raised_from: str | None = Field(None, description="Raised on or after, YYYY-MM-DD.")
    raised_to: str | None = Field(None, description="Raised on or before, YYYY-MM-DD.")
    solved_from: str | None = Field(None, description="Solved on or after, YYYY-MM-DD (solved or verified only).")
    solved_to: str | None = Field(None, description="Solved on or before, YYYY-MM-DD (solved or verified only).")


class ProblemOut(Schema):
    id: int = Field(..., description="Id of the problem (难题编号).")
    title: str = Field(..., description="Title (难题名称).")
    unit: str = Field(..., description="Code of its unit (单位编码).")
    unit_name: str = Field(..., description="Its unit (单位).")
    carrier: int | None = Field(None, description="Id of its carrier (载体编号).")
    carrier_name: str | None = Field(None, description="Its carrier (载体).")
    party_org: str | None = Field(None, description="Code of its carrier's Party organisation (党组织编码).")
    raised_by: str = Field(..., description="Employee number of who raised it (提出人工号).")
    raised_by_name: str = Field(..., description="Who raised it (提出人).")
    raised_on: dt.date = Field(..., description="Raised on (提出日期).")
    category: str = Field(..., description=f"Category (类别): {_describe(Problem.Category)}.")
    difficulty: str = Field(..., description=f"Difficulty (难度): {_describe(Problem.Difficulty)}.")
    status: str = Field(..., description=f"Status (状态): {_describe(Problem.Status)}.")
    started_on: dt.date | None = Field(None, description="Tackled since (攻关日期).")
    solved_on: dt.date | None = Field(None, description="Solved on (解决日期).")
    verified_on: dt.date | None = Field(None, description="Verified on (验收日期).")
    closed_on: dt.date | None = Field(None, description="Closed unsolved on (关闭日期).")
    oil_t: float = Field(..., description="Oil, tons (增油, 吨).")
    gas_m3: float = Field(..., description="Gas, m³ (增气, 立方米).")
    cost_saved: float = Field(..., description="Cost saved, yuan (节约成本, 元).")
    other_benefit: str = Field(..., description="Other benefit (其他效益).")


class ProblemAttachmentOut(Schema):
    id: int = Field(..., description="Id of the attachment.")
    name: str = Field(..., description="File name (文件名).")
    size: int = Field(..., description="Size in bytes.")
    uploaded_at: dt.datetime = Field(..., description="Uploaded (上传时间).")
    url: str = Field(..., description="Where to download it (signed-in users within scope).")


class ProblemDetail(ProblemOut):
    description: str = Field(..., description="Description (问题描述).")
    solution: str = Field(..., description="Solution (解决措施).")
    verification_note: str = Field(..., description="The unit's note on verification or rejection (验收意见).")
    verified_by: str | None = Field(None, description="Username of who verified it.")
    close_reason: str = Field(..., description="Why it was closed unsolved (关闭原因).")
    workers: list[MemberOut] = Field(..., description="People working on it (攻关人员); is_lead is always false.")
    attachments: list[ProblemAttachmentOut] = Field(..., description="Attachments (附件).")
    steps: list[str] = Field(..., description="Steps its status allows: start, solve, verify, reject, close, reopen.")


ProblemPage = page_schema(ProblemOut, "ProblemPage")


class ProblemIn(Schema):
    title: str = Field(..., max_length=200, description="Title (难题名称).")
    unit: str | None = Field(None, description="Code of its unit (单位编码); by default its carrier's.")
    raised_by: str = Field(..., description="Employee number of who raised it (提出人工号).")
    category: ProblemCategory = Field(..., description=f"Category (类别): {_describe(Problem.Category)}.")
    raised_on: dt.date | None = Field(None, description="Raised on, default today (提出日期).")
    carrier: int | None = Field(None, description="Id of its carrier (载体编号).")
    description: str = Field("", description="Description (问题描述).")
    difficulty: Difficulty = Field(Problem.Difficulty.ORDINARY, description="Difficulty (难度).")
    workers: list[str] = Field([], description="Employee numbers of the people working on it (攻关人员工号).")


class ProblemPatch(Schema):
    title: str | None = Field(None, max_length=200, description="Title (难题名称).")
    unit: str | None = Field(None, description="Code of its unit (单位编码).")
    raised_by: str | None = Field(None, description="Employee number of who raised it (提出人工号).")
    category: ProblemCategory | None = Field(None, description="Category (类别).")
    raised_on: dt.date | None = Field(None, description="Raised on (提出日期).")
    carrier: int | None = Field(None, description="Id of its carrier; 0 takes it off any carrier (载体编号).")
    description: str | None = Field(None, description="Description (问题描述).")
    difficulty: Difficulty | None = Field(None, description="Difficulty (难度).")
    workers: list[str] | None = Field(None, description="Employee numbers of the people working on it.")
    solution: str | None = Field(None, description="Solution, for a solved problem (解决措施).")
    oil_t: float | None = Field(None, ge=0, description="Oil, tons (增油).")
    gas_m3: float | None = Field(None, ge=0, description="Gas, m³ (增气).")
    cost_saved: float | None = Field(None, ge=0, description="Cost saved, yuan (节约成本).")
    other_benefit: str | None = Field(None, description="Other benefit (其他效益).")


class DatedIn(Schema):
    on: dt.date | None = Field(None, description="Date of the step, default today.")


class SolveIn(Schema):
    solution: str = Field(..., min_length=1, description="How it was solved (解决措施).")
    on: dt.date | None = Field(None, description="Solved on, default today (解决日期).")
    oil_t: float = Field(0, ge=0, description="Oil gained, tons (增油, 吨).")
    gas_m3: float = Field(0, ge=0, description="Gas gained, m³ (增气, 立方米).")
    cost_saved: float = Field(0, ge=0, description="Cost saved, yuan (节约成本, 元).")
    other_benefit: str = Field("", description="Other benefit (其他效益).")


class VerifyIn(Schema):
    note: str = Field("", description="The unit's note (验收意见).")
    on: dt.date | None = Field(None, description="Verified on, default today (验收日期).")


class RejectIn(Schema):
    note: str = Field(..., min_length=1, description="Why the solution is not accepted (不予验收原因).")


class CloseIn(Schema):
    reason: str = Field(..., min_length=1, description="Why it is closed unsolved (关闭原因).")
    on: dt.date | None = Field(None, description="Closed on, default today.")
