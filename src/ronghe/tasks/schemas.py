"""Request and response shapes of the Five-Ones API (五个一工作机制). Plans, tasks, milestones,
reports and extensions are named by their ids; people by employee number (工号) and units by
code (单位编码), as everywhere in the API."""
import datetime as dt
from typing import Literal

from ninja import Field, Schema

from ronghe.core.api_support import page_schema
from ronghe.org.schemas import NodeRef
from ronghe.tasks import rules
from ronghe.tasks.models import Cycle, Extension, Plan, Task


def _choices(choices):
    return Literal[tuple(choices.values)]


def _describe(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices.choices)


PlanKind = _choices(Plan.Kind)
TaskState = _choices(Task.State)
Priority = _choices(Task.Priority)
Evaluation = _choices(Task.Evaluation)
CycleChoice = _choices(Cycle)
LightChoice = Literal[tuple(light.value for light in rules.Light)]
ModeChoice = Literal[tuple(mode.value for mode in rules.Mode)]
Decision = Literal[Extension.Status.APPROVED.value, Extension.Status.REJECTED.value]

LIGHTS = ("grey = not started or draft; green = on track; blue = due soon; yellow = warning; red = failing; "
          "done = completed or closed; cancelled = 作废")
MODES = ("no_response = 有部署无回音 (issued, not acknowledged); no_progress = 有计划无进展 (reports missing, "
         "milestone missed, schedule lag); blocked = 有安排实施不了; overdue = past the deadline; "
         "due_soon = deadline or milestone within a few working days")
TASK_AS_OF = ("Evaluate the lights on this date (YYYY-MM-DD), default today; facts dated later are ignored "
              "(查看时点).")
DAYS = {"ge": 0, "le": 365}
POINTS = {"ge": 0, "le": 100}


# --- plans ---------------------------------------------------------------------------------------

class Thresholds(Schema):
    """When a task's light turns yellow or red; the defaults are the mechanism's own."""

    ack_yellow_days: int = Field(2, **DAYS, description="Working days after issue without acknowledgement before "
                                                        "it turns yellow (签收预警, 工作日).")
    ack_red_days: int = Field(5, **DAYS, description="… before it turns red (签收超时, 工作日).")
    report_grace_days: int = Field(2, **DAYS, description="Working days of grace after a report falls due "
                                                          "(反馈宽限, 工作日).")
    lag_yellow_points: int = Field(10, **POINTS, description="Schedule lag, in points, from which the task is "
                                                             "yellow (进度滞后预警, 百分点).")
    lag_red_points: int = Field(30, **POINTS, description="Schedule lag above which it is red (进度滞后告警).")
    due_soon_days: int = Field(3, **DAYS, description="Working days before a deadline or milestone that make it "
                                                      "blue (临期提醒, 工作日).")


class ThresholdsPatch(Schema):
    """Only the thresholds sent change."""

    ack_yellow_days: int | None = Field(None, **DAYS, description="Unacknowledged → yellow (working days).")
    ack_red_days: int | None = Field(None, **DAYS, description="Unacknowledged → red (working days).")
    report_grace_days: int | None = Field(None, **DAYS, description="Report grace (working days).")
    lag_yellow_points: int | None = Field(None, **POINTS, description="Schedule lag → yellow (points).")
    lag_red_points: int | None = Field(None, **POINTS, description="Schedule lag → red (points).")
    due_soon_days: int | None = Field(None, **DAYS, description="Due soon (working days).")


class TaskPlanFilters(Schema):
    q: str = Field("", description="Part of the name (方案名称).")
    unit: str = Field("", description="Code of the owner unit (牵头单位编码).")
    unit_subtree: str = Field("", description="Code of a unit: plans of it and all units under it (含下级单位).")
    year: int | None = Field(None, description="Year (年度).")
    kind: PlanKind | None = Field(None, description=f"Kind (类型): {_describe(Plan.Kind)}.")
    include_archived: bool = Field(False, description="Also list archived plans (含已归档).")


class PlanOut(Schema):
    id: int = Field(..., description="Id of the plan (方案编号).")
    name: str = Field(..., description="Name (方案名称).")
    kind: str = Field(..., description=f"Kind (类型): {_describe(Plan.Kind)}.")
    unit: str = Field(..., description="Code of the owner unit (牵头单位编码).")
    unit_name: str = Field(..., description="Name of the owner unit (牵头单位).")
    leader: str | None = Field(None, description="Employee number of the leader in charge (分管领导工号).")
    leader_name: str | None = Field(None, description="Name of the leader in charge (分管领导).")
    parent_task: int | None = Field(None, description="For a sub-plan: id of the task it decomposes (分解自任务).")
    description: str = Field(..., description="Description (说明).")
    year: int | None = Field(None, description="Year (年度).")
    archived: bool = Field(..., description="Archived (已归档).")
    thresholds: Thresholds = Field(..., description="The thresholds of its lights (预警阈值).")
    created_at: dt.datetime = Field(..., description="Created (创建时间).")


class LightCounts(Schema):
    """Tasks by light (红黄蓝绿灯统计)."""

    grey: int = Field(..., description="Not started or draft (未开始).")
    green: int = Field(..., description="On track (正常).")
    blue: int = Field(..., description="Due soon (临期).")
    yellow: int = Field(..., description="Warning (预警).")
    red: int = Field(..., description="Failing (告警).")
    done: int = Field(..., description="Completed or closed (已办结).")
    cancelled: int = Field(..., description="Cancelled (已作废).")


class ModeCounts(Schema):
    """Tasks showing each failure mode (a task may show several)."""

    no_response: int = Field(..., description="有部署无回音.")
    no_progress: int = Field(..., description="有计划无进展.")
    blocked: int = Field(..., description="有安排实施不了.")
    overdue: int = Field(..., description="Past the deadline (逾期).")
    due_soon: int = Field(..., description="Due soon (临期).")


class PlanDetail(PlanOut):
    as_of: dt.date = Field(..., description="The date the lights are evaluated on (查看时点).")
    task_count: int = Field(..., description="Its tasks you may see, at every level (任务数).")
    lights: LightCounts = Field(..., description="Those tasks by light on `as_of` (按灯色统计).")
    failure_modes: ModeCounts = Field(..., description="Those tasks by failure mode on `as_of` (按问题类型统计).")


class PlanIn(Schema):
    name: str = Field(..., max_length=200, description="Name (方案名称).", examples=["三项制度改革总方案"])
    unit: str = Field(..., description="Code of the owner unit, within your scope (牵头单位编码).")
    kind: PlanKind = Field(Plan.Kind.MASTER.value, description=f"Kind (类型): {_describe(Plan.Kind)}.")
    leader: str | None = Field(None, description="Employee number of the leader in charge (分管领导工号).")
    parent_task: int | None = Field(None, description="For a sub-plan: id of the task it decomposes (分解自任务).")
    year: int | None = Field(None, ge=2000, le=2100, description="Year; default this year (年度).")
    description: str = Field("", description="Description (说明).")
    thresholds: Thresholds | None = Field(None, description="Thresholds of the lights; default the mechanism's.")


class PlanPatch(Schema):
    """Only the fields sent change."""

    name: str | None = Field(None, max_length=200, description="Name (方案名称).")
    unit: str | None = Field(None, description="Code of the owner unit (牵头单位编码).")
    kind: PlanKind | None = Field(None, description="Kind (类型).")
    leader: str | None = Field(None, description="Employee number of the leader in charge; null for none (分管领导工号).")
    parent_task: int | None = Field(None, description="Id of the task it decomposes; null for none (分解自任务).")
    year: int | None = Field(None, ge=2000, le=2100, description="Year (年度).")
    description: str | None = Field(None, description="Description (说明).")
    archived: bool | None = Field(None, description="Archived (已归档).")
    thresholds: ThresholdsPatch | None = Field(None, description="Thresholds to change (预警阈值).")


# --- tasks: reading ------------------------------------------------------------------------------

class TaskAsOfQuery(Schema):
    as_of: str | None = Field(None, description=TASK_AS_OF, json_schema_extra={"format": "date"})


class TaskFilters(Schema):
    as_of: str | None = Field(None, description=TASK_AS_OF, json_schema_extra={"format": "date"})
    q: str = Field("", description="Part of the name, or the number (任务名称或序号).")
    plan: int | None = Field(None, description="Id of the plan (所属方案).")
    parent: int | None = Field(None, description="Id of a task: its direct sub-tasks (上级任务).")
    lead_unit: str = Field("", description="Code of the lead unit (牵头部门编码).")
    lead_unit_subtree: str = Field("", description="Code of a unit: tasks led by it or any unit under it (含下级).")
    leader: str = Field("", description="Employee number of the leader in charge (分管领导工号).")
    responsible: str = Field("", description="Employee number of the responsible person (责任人工号).")
    state: TaskState | None = Field(None, description=f"Life-cycle state today (状态): {_describe(Task.State)}.")
    light: LightChoice | None = Field(None, description=f"Light on `as_of` (灯色): {LIGHTS}.")
    failure_mode: ModeChoice | None = Field(None, description=f"Failure mode shown on `as_of` (问题类型): {MODES}.")
    due_after: str | None = Field(None, description="Deadline in force on `as_of` on or after this date (完成时限起).",
                                  json_schema_extra={"format": "date"})
    due_before: str | None = Field(None, description="Deadline in force on `as_of` on or before this date "
                                                     "(完成时限止).", json_schema_extra={"format": "date"})
    mine: bool = Field(False, description="Only tasks I lead, am responsible for or am on the team of (我的任务).")
    view: Literal["mine", "team", "lead"] | None = Field(
        None, description="As the task list's views: mine = I am responsible (我负责的); team = I am on its team "
                          "(我参与的); lead = I am its leader in charge (我分管的).")
    person: str = Field("", description="Employee number of a person responsible for the task or on its team "
                                        "(责任人或专项领导小组成员工号).")


class FailureOut(Schema):
    code: str = Field(..., description=f"Failure mode (问题类型): {MODES}.")
    level: str = Field(..., description="Its light: red, yellow or blue (级别).")
    rule: str = Field(..., description="The check that found it, e.g. not_acknowledged, report_missing, "
                                       "milestone_missed, schedule_lag, marked_blocked, past_deadline, "
                                       "deadline_near, milestone_near (规则).")
    date: dt.date | None = Field(None, description="The date in question: the acknowledgement or report that was "
                                                    "due, the milestone, the deadline, the day it was marked "
                                                    "blocked (相关日期).")
    ref: int | None = Field(None, description="Id of the milestone concerned (相关节点).")
    value: int | None = Field(None, description="A count: working days since issue, cycles missed, points of lag, "
                                                "working days past or before the deadline (数值).")


class TaskOut(Schema):
    id: int = Field(..., description="Id of the task (任务编号).")
    plan: int = Field(..., description="Id of its plan (所属方案).")
    plan_name: str = Field(..., description="Name of its plan (方案名称).")
    parent: int | None = Field(None, description="Id of the parent task (上级任务).")
    number: str = Field(..., description="Number in the decomposition table, e.g. 1.2 (序号).")
    name: str = Field(..., description="Task (任务名称).")
    priority: str = Field(..., description=f"Priority (优先级): {_describe(Task.Priority)}.")
    state: str = Field(..., description=f"Life-cycle state today (状态): {_describe(Task.State)}.")
    cycle: str = Field(..., description=f"Reporting cycle (汇报周期): {_describe(Cycle)}.")
    leader: str = Field(..., description="Employee number of the leader in charge (分管领导工号).")
    leader_name: str = Field(..., description="Leader in charge (分管领导).")
    lead_unit: str = Field(..., description="Code of the lead unit (牵头部门编码).")
    lead_unit_name: str = Field(..., description="Lead unit (牵头部门).")
    responsible: str = Field(..., description="Employee number of the responsible person (责任人工号).")
    responsible_name: str = Field(..., description="Responsible person (责任人).")
    start_date: dt.date | None = Field(None, description="Start date (开始日期).")
    issued_on: dt.date | None = Field(None, description="Issued (下达日期).")
    acknowledged_on: dt.date | None = Field(None, description="Acknowledged (签收日期).")
    completion_submitted_on: dt.date | None = Field(None, description="Completion submitted (办结申请日期).")
    completed_on: dt.date | None = Field(None, description="Completed (办结日期).")
    cancelled_on: dt.date | None = Field(None, description="Cancelled (作废日期).")
    blocked_since: dt.date | None = Field(None, description="Marked blocked since (受阻日期).")
    blocked_reason: str = Field(..., description="Why it is blocked (受阻原因).")
    evaluation: str = Field(..., description=f"Evaluation (评价): {_describe(Task.Evaluation)}; empty until closed.")
    # The status on as_of (tasks.rules)
    phase: str = Field(..., description="Where the task stood on `as_of`: draft, issued, in_progress, submitted, "
                                        "done, cancelled (所处阶段).")
    light: str = Field(..., description=f"Light on `as_of` (灯色): {LIGHTS}.")
    failure_modes: list[str] = Field(..., description="Failure-mode codes on `as_of`, worst first, each once "
                                                      "(问题类型).")
    failures: list[FailureOut] = Field(..., description="Each failure found, worst first, with its rule and "
                                                        "date (问题明细).")
    deadline: dt.date = Field(..., description="The deadline in force on `as_of` (完成时限).")
    baseline_deadline: dt.date = Field(..., description="The original deadline, which extensions do not move and "
                                                        "assessment still sees (原定时限).")
    percent_complete: int = Field(..., description="Percent complete in the latest report on or before `as_of` "
                                                   "(完成进度%).")
    last_report_on: dt.date | None = Field(None, description="Date of that report (最近反馈).")
    schedule_lag: int | None = Field(None, description="Share of the time elapsed minus percent complete, in "
                                                       "points; while under way (进度滞后).")
    next_report_due: dt.date | None = Field(None, description="When the next progress report is due (下次反馈).")
    acknowledge_by: dt.date | None = Field(None, description="While awaiting acknowledgement: its due date "
                                                             "(签收期限).")
    completion: Literal["on_time", "late"] | None = Field(
        None, description="For completed tasks: on time or late against the original deadline (按期/逾期办结).")
    has_children: bool = Field(..., description="Whether it has sub-tasks you may see (是否有子任务).")
    subtree: LightCounts | None = Field(None, description="For a parent task: its sub-tasks at every level by light "
                                                          "(子任务灯色统计).")


class TeamMemberOut(Schema):
    employee_no: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")
    role: str = Field(..., description="Role in the special leading group (小组职务).")


class MilestoneOut(Schema):
    id: int = Field(..., description="Id of the milestone (节点编号).")
    due: dt.date = Field(..., description="Due (节点日期).")
    description: str = Field(..., description="What is to be done by then (节点内容).")
    done_on: dt.date | None = Field(None, description="Done (完成日期).")
    evidence: str = Field(..., description="Evidence (完成佐证).")


class ReportOut(Schema):
    id: int = Field(..., description="Id of the report (反馈编号).")
    reported_on: dt.date = Field(..., description="Date of the report (反馈日期).")
    reported_by: str | None = Field(None, description="Username of whoever reported (反馈人).")
    percent: int = Field(..., description="Percent complete (完成进度%).")
    text: str = Field(..., description="Progress (工作进展).")
    problems: str = Field(..., description="Problems met (存在问题).")
    created_at: dt.datetime = Field(..., description="Recorded (填报时间).")


class ExtensionOut(Schema):
    id: int = Field(..., description="Id of the request (延期申请编号).")
    requested_on: dt.date = Field(..., description="Requested (申请日期).")
    requested_by: str | None = Field(None, description="Username of whoever requested it (申请人).")
    reason: str = Field(..., description="Reason (延期理由).")
    new_deadline: dt.date = Field(..., description="New deadline asked for (申请完成时限).")
    percent: int = Field(..., description="Percent complete when asked (当前进度%).")
    status: str = Field(..., description=f"Status (审批状态): {_describe(Extension.Status)}.")
    decided_on: dt.date | None = Field(None, description="Decided (审批日期).")
    decided_by: str | None = Field(None, description="Username of whoever decided (审批人).")
    decision_note: str = Field(..., description="Note with the decision (审批意见).")


class PersonRefOut(Schema):
    employee_no: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")


class ChaseOut(Schema):
    id: int = Field(..., description="Id of the chase (催办编号).")
    number: str = Field(..., description="Number of its supervision notice, e.g. 督办〔2026〕第3号 (督办单编号).")
    issued_on: dt.date = Field(..., description="The day it was sent (督办日期).")
    issued_by: str | None = Field(None, description="Username of the supervisor who sent it (督办人).")
    issuer: str = Field(..., description="Code of the issuing unit, the one owning the plan (督办单位).")
    issuer_name: str = Field(..., description="Name of the issuing unit (督办单位名称).")
    message: str = Field(..., description="What is required (督办要求).")
    reply_by: dt.date = Field(..., description="The date the reply is due (反馈时限).")
    recipients: list[PersonRefOut] = Field(..., description="Who it was sent to (送达人员).")


class TaskDetail(TaskOut):
    as_of: dt.date = Field(..., description="The date the lights are evaluated on (查看时点).")
    goal: str = Field(..., description="Goal (工作目标).")
    measures: str = Field(..., description="Measures (主要措施).")
    source: str = Field(..., description="Source, e.g. a meeting decision (任务来源).")
    sort_order: int = Field(..., description="Position among its siblings (排序).")
    co_units: list[NodeRef] = Field(..., description="Co-operating units (配合部门).")
    team: list[TeamMemberOut] = Field(..., description="The special leading group (专项领导小组).")
    milestones: list[MilestoneOut] = Field(..., description="The chart's milestones, by date (节点).")
    reports: list[ReportOut] = Field(..., description="Progress reports, newest first (进展反馈).")
    extensions: list[ExtensionOut] = Field(..., description="Deadline extension requests, oldest first (延期申请).")
    children: list[TaskOut] = Field(..., description="Direct sub-tasks you may see, each with its light (子任务).")
    acknowledged_by: str | None = Field(None, description="Username of whoever acknowledged it (签收人).")
    completion_evidence: str = Field(..., description="Evidence given with the completion (办结佐证).")
    return_reason: str = Field(..., description="Why the last completion was returned (退办理由).")
    evaluation_note: str = Field(..., description="Note with the evaluation (评价意见).")
    cancel_reason: str = Field(..., description="Why it was cancelled (作废理由).")
    chases: list[ChaseOut] = Field(..., description="Chases by hand and their supervision notices, oldest first "
                                                    "(催办记录).")


class TaskPage(page_schema(TaskOut, "TaskRows")):
    """One page of tasks, with the date their lights are evaluated on."""

    as_of: dt.date = Field(..., description="The date the lights are evaluated on (查看时点).")


# --- tasks: writing ------------------------------------------------------------------------------

class TeamMemberIn(Schema):
    employee_no: str = Field(..., description="Employee number (工号).")
    role: str = Field("", max_length=64, description="Role in the group, e.g. 组长, 成员 (小组职务).")


class MilestoneIn(Schema):
    due: dt.date = Field(..., description="Due (节点日期).")
    description: str = Field(..., max_length=300, description="What is to be done by then (节点内容).")


class TaskIn(Schema):
    plan: int = Field(..., description="Id of the plan, which you must be allowed to change (所属方案).")
    parent: int | None = Field(None, description="Id of the parent task in the same plan (上级任务).")
    number: str = Field("", max_length=32, description="Number in the decomposition table (序号).", examples=["1.2"])
    name: str = Field(..., max_length=300, description="Task (任务名称).", examples=["压减处级机构"])
    goal: str = Field("", description="Goal (工作目标).")
    measures: str = Field("", description="Measures (主要措施).")
    source: str = Field("", max_length=300, description="Source, e.g. a meeting decision (任务来源).")
    priority: Priority = Field(Task.Priority.NORMAL.value, description=f"Priority: {_describe(Task.Priority)}.")
    leader: str = Field(..., description="Employee number of the leader in charge (分管领导工号).")
    lead_unit: str = Field(..., description="Code of the lead unit (牵头部门编码).")
    co_units: list[str] = Field([], description="Codes of the co-operating units (配合部门编码).")
    responsible: str = Field(..., description="Employee number of the responsible person (责任人工号).")
    start_date: dt.date | None = Field(None, description="Start date; default the day it is issued (开始日期).")
    deadline: dt.date = Field(..., description="Deadline (完成时限).")
    cycle: CycleChoice = Field(Cycle.MONTHLY.value, description=f"Reporting cycle (汇报周期): {_describe(Cycle)}.")
    team: list[TeamMemberIn] = Field([], description="The special leading group (专项领导小组).")
    milestones: list[MilestoneIn] = Field([], description="Milestones of the chart (节点).")
    sort_order: int = Field(0, description="Position among its siblings (排序).")


class MilestonePatchIn(MilestoneIn):
    id: int | None = Field(None, description="Id of a milestone of this task to keep and edit; none for a new one "
                                             "(节点编号).")


class TaskPatch(Schema):
    """Only the fields sent change. The deadline changes here only while the task is a draft;
    afterwards through an approved extension (延期申请). `team`, `co_units` and `milestones`,
    when sent, are the whole new list: a milestone left out is removed (one already done cannot
    be), one with an id is edited and keeps its done date, one without an id is added."""

    number: str | None = Field(None, max_length=32, description="Number (序号).")
    name: str | None = Field(None, max_length=300, description="Task (任务名称).")
    goal: str | None = Field(None, description="Goal (工作目标).")
    measures: str | None = Field(None, description="Measures (主要措施).")
    source: str | None = Field(None, max_length=300, description="Source (任务来源).")
    priority: Priority | None = Field(None, description="Priority (优先级).")
    leader: str | None = Field(None, description="Employee number of the leader in charge (分管领导工号).")
    lead_unit: str | None = Field(None, description="Code of the lead unit (牵头部门编码).")
    responsible: str | None = Field(None, description="Employee number of the responsible person (责任人工号).")
    start_date: dt.date | None = Field(None, description="Start date (开始日期).")
    deadline: dt.date | None = Field(None, description="Deadline, while a draft (完成时限).")
    cycle: CycleChoice | None = Field(None, description="Reporting cycle (汇报周期).")
    sort_order: int | None = Field(None, description="Position among its siblings (排序).")
    team: list[TeamMemberIn] | None = Field(None, description="The whole special leading group (专项领导小组).")
    co_units: list[str] | None = Field(None, description="Codes of all the co-operating units (配合部门编码).")
    milestones: list[MilestonePatchIn] | None = Field(None, description="All the milestones of the chart (节点).")


ON = "The date it happened, not in the future; default today (日期)."


class OnIn(Schema):
    on: dt.date | None = Field(None, description=ON)


class ReportIn(Schema):
    percent: int = Field(..., ge=0, le=100, description="Percent complete (完成进度%).")
    text: str = Field(..., min_length=1, description="Progress made (工作进展).")
    problems: str = Field("", description="Problems met (存在问题).")
    on: dt.date | None = Field(None, description=ON)


class MilestoneDoneIn(Schema):
    evidence: str = Field("", description="Evidence (完成佐证).")
    on: dt.date | None = Field(None, description=ON)


class ReasonIn(Schema):
    reason: str = Field(..., description="Reason (理由).")
    on: dt.date | None = Field(None, description=ON)


class CompletionIn(Schema):
    evidence: str = Field(..., description="Evidence of completion (办结佐证).")
    on: dt.date | None = Field(None, description=ON)


class EvaluationIn(Schema):
    evaluation: Evaluation = Field(..., description=f"Evaluation (评价): {_describe(Task.Evaluation)}.")
    note: str = Field("", description="Note (评价意见).")


class ExtensionIn(Schema):
    reason: str = Field(..., min_length=1, description="Reason (延期理由).")
    new_deadline: dt.date = Field(..., description="New deadline, later than the current one (申请完成时限).")
    percent: int = Field(..., ge=0, le=100, description="Percent complete now (当前进度%).")
    on: dt.date | None = Field(None, description=ON)


class DecisionIn(Schema):
    decision: Decision = Field(..., description="approved: the deadline moves, the original stays the baseline; "
                                                "rejected: nothing changes (审批结果).")
    note: str = Field("", description="Note (审批意见).")
    on: dt.date | None = Field(None, description=ON)


PlanPage = page_schema(PlanOut, "PlanPage")
ReportPage = page_schema(ReportOut, "ReportPage")
ExtensionPage = page_schema(ExtensionOut, "ExtensionPage")


class StatsQuery(Schema):
    as_of: str | None = Field(None, description=TASK_AS_OF, json_schema_extra={"format": "date"})
    plan: int | None = Field(None, description="Id of the plan (所属方案): only its tasks.")


class StatsFigures(Schema):
    key: int | None = Field(description="Id of the plan, lead unit or leader; null for the total.")
    name: str = Field(description="Name of the plan, lead unit or leader (名称); 合计 for the total.")
    total: int = Field(description="Tasks counted in this group.")
    lights: dict[str, int] = Field(description="Tasks by light (灯色) on `as_of`.")
    phases: dict[str, int] = Field(description="Tasks by the phase they stood in on `as_of`.")
    done: int = Field(description="Tasks completed or closed by `as_of`.")
    done_on_time: int = Field(description="Of those, completed by the original (baseline) deadline.")
    on_time_rate: float | None = Field(description="done_on_time / done (按期办结率); null when none is done.")
    acknowledged: int = Field(description="Tasks acknowledged (签收) by `as_of`.")
    acknowledge_days_avg: float | None = Field(description="Average working days from issue to acknowledgement.")
    in_progress: int = Field(description="Tasks in progress on `as_of`.")
    reporting_on_time: int = Field(description="Of those, with no missed reporting cycle.")
    reporting_rate: float | None = Field(description="reporting_on_time / in_progress (按时反馈率).")


class StatsWeek(Schema):
    week: dt.date = Field(description="A Monday.")
    red: int = Field(description="Red tasks (红灯) on that Monday.")
    yellow: int = Field(description="Yellow tasks (黄灯) on that Monday.")
    blue: int = Field(description="Due-soon tasks (蓝灯) on that Monday.")
    green: int = Field(description="Green tasks (绿灯) on that Monday.")


class StatsOut(Schema):
    as_of: dt.date = Field(description="The date the figures are for (时点).")
    overall: StatsFigures = Field(description="All the tasks you can see (合计).")
    by_plan: list[StatsFigures] = Field(description="By plan (按方案).")
    by_lead_unit: list[StatsFigures] = Field(description="By lead unit (按牵头部门).")
    by_leader: list[StatsFigures] = Field(description="By leader in charge (按分管领导).")
    trend: list[StatsWeek] = Field(description="Tasks by light on each of the last 12 Mondays up to `as_of`.")


class ChaseIn(Schema):
    message: str = Field(..., description="What is required, as the supervision notice prints it (督办要求).")
    reply_by: dt.date = Field(..., description="The date the reply is due (反馈时限).")
    to_heads: bool = Field(False, description="Also send it to the head of the lead unit (抄送牵头部门负责人).")
    to_leader: bool = Field(False, description="Also send it to the leader in charge (抄送分管领导).")
    on: dt.date | None = Field(None, description=ON)


class FileOut(Schema):
    filename: str = Field(..., description="A file name to save it under (文件名).")
    content_type: str = Field(..., description="Its media type (文件类型).")
    content: str = Field(..., description="The file, base64-encoded (文件内容, Base64).")


class BulletinQuery(Schema):
    as_of: str | None = Field(None, description="The last day of the period, which the lights and figures are "
                                                "evaluated on (YYYY-MM-DD), default today (截止日期).",
                              json_schema_extra={"format": "date"})
    date_from: str | None = Field(None, description="The first day of the period (YYYY-MM-DD), default the first "
                                                    "of the month of `as_of` (起始日期).",
                                  json_schema_extra={"format": "date"})
    plan: int | None = Field(None, description="Id of the plan (所属方案): only its tasks.")
    lead_unit_subtree: str | None = Field(None, description="Code of a unit: only tasks led by it or a unit "
                                                            "under it (牵头部门及下级).")
    title: str | None = Field(None, description="Title of the bulletin; default one naming the plan (标题).")
    issuer: str | None = Field(None, description="Who issues it, e.g. 改革办 or 党委组织部; default the unit "
                                                 "owning the plan, else your own unit (发文单位).")


class BulletinFileQuery(BulletinQuery):
    format: Literal["docx", "pdf"] = Field("pdf", description="docx (Word) or pdf (文件格式).")


class BulletinPeriod(Schema):
    issued: int = Field(..., description="Tasks issued within the period (本期下达).")
    completed: int = Field(..., description="Tasks completed within the period (本期办结).")
    completed_on_time: int = Field(..., description="Of those, by their original deadline (其中按期).")
    on_time_rate: float | None = Field(None, description="completed_on_time / completed; null when none.")
    returned: int = Field(..., description="Completions returned within the period (本期退办).")


class BulletinTask(Schema):
    id: int = Field(..., description="Id of the task (任务编号).")
    number: str = Field(..., description="Its number in the plan (序号).")
    name: str = Field(..., description="Task (任务名称).")
    plan: int = Field(..., description="Id of its plan (所属方案).")
    lead_unit: str = Field(..., description="Code of the lead unit (牵头部门编码).")
    lead_unit_name: str = Field(..., description="Name of the lead unit (牵头部门).")
    responsible: str = Field(..., description="Employee number of the responsible person (责任人工号).")
    responsible_name: str = Field(..., description="Name of the responsible person (责任人).")
    light: LightChoice = Field(..., description=f"Light on `as_of` (灯色): {LIGHTS}.")
    failure_modes: list[ModeChoice] = Field(..., description=f"Failure modes on `as_of`: {MODES}.")
    problems: list[str] = Field(..., description="The failure modes in words, in your language (问题描述).")
    deadline: dt.date = Field(..., description="The deadline in force on `as_of` (完成时限).")
    baseline_deadline: dt.date = Field(..., description="The original deadline (原定时限).")
    percent_complete: int = Field(..., description="Percent complete last reported (完成进度%).")


class BulletinReturn(Schema):
    task: int = Field(..., description="Id of the task (任务编号).")
    number: str = Field(..., description="Its number in the plan (序号).")
    name: str = Field(..., description="Task (任务名称).")
    lead_unit: str = Field(..., description="Code of the lead unit (牵头部门编码).")
    lead_unit_name: str = Field(..., description="Name of the lead unit (牵头部门).")
    returned_on: dt.date = Field(..., description="The day the completion was returned (退办日期).")
    submitted_on: dt.date | None = Field(None, description="The day that completion had been submitted (申请日期).")
    reason: str = Field(..., description="Why it was returned (退办理由).")


class BulletinRank(Schema):
    rank: int | None = Field(None, description="Place in the ranking; equal scores share it; null when the unit "
                                               "has nothing to score yet (名次).")
    unit: str = Field(..., description="Code of the lead unit (牵头部门编码).")
    unit_name: str = Field(..., description="Name of the lead unit (牵头部门).")
    total: int = Field(..., description="Its tasks (任务数).")
    live: int = Field(..., description="Of those, issued, under way or submitted on `as_of` (在办).")
    red: int = Field(..., description="Of those, red on `as_of` (红灯).")
    on_time_rate: float | None = Field(None, description="On-time completion rate (按期办结率).")
    free_of_red_rate: float | None = Field(None, description="1 − red / live (非红灯率).")
    reporting_rate: float | None = Field(None, description="Reports on time (按时反馈率).")
    acknowledging_rate: float | None = Field(None, description="Acknowledged within the plan's yellow threshold "
                                                               "(及时签收率).")
    score: float | None = Field(None, description="Weighted score out of 100, see `scoring` (得分).")


class BulletinOut(Schema):
    title: str = Field(..., description="Title (标题).")
    issuer: str = Field(..., description="Who issues it (发文单位).")
    date_from: dt.date = Field(..., description="First day of the period (起始日期).")
    as_of: dt.date = Field(..., description="Last day of the period; lights and figures are of this day (截止日期).")
    plan: int | None = Field(None, description="Id of the plan it covers; null for all (所属方案).")
    lead_unit_subtree: str | None = Field(None, description="Code of the unit whose subtree it covers (范围).")
    figures: StatsFigures = Field(..., description="Figures of all the tasks covered, on `as_of` (总体情况).")
    period: BulletinPeriod = Field(..., description="What happened within the period (本期情况).")
    red: list[BulletinTask] = Field(..., description="Red tasks on `as_of`, worst first (红灯任务).")
    overdue: list[BulletinTask] = Field(..., description="Tasks past their deadline and not completed (逾期任务).")
    returned: list[BulletinReturn] = Field(..., description="Completions returned within the period (退办情况).")
    ranking: list[BulletinRank] = Field(..., description="Lead units ranked by score (牵头部门排名).")
    scoring: str = Field(..., description="How the score is made, in your language (评分办法).")
