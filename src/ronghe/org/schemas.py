"""Request and response shapes of the organisation API. Codes (单位编码, 党组织编码, 工号) are the
keys clients use; internal ids never appear except inside raw OrgChange states."""
import datetime as dt
from typing import Literal

from ninja import Field, Schema

from ronghe.core.api_support import AS_OF_DESCRIPTION, page_schema
from ronghe.org.models import OrgChange, PartyOrg, Person, Position, Unit


def _choices(choices, blank=False):
    values = tuple(choices.values) + (("",) if blank else ())
    return Literal[values]


UnitLevel = _choices(Unit.Level)
UnitKind = _choices(Unit.Kind, blank=True)
PartyOrgKind = _choices(PartyOrg.Kind)
Gender = _choices(Person.Gender, blank=True)
PoliticalStatus = _choices(Person.PoliticalStatus)


def _describe(choices) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices.choices)


# --- filters -------------------------------------------------------------------------------------

class NodeFilters(Schema):
    q: str = Field("", description="Free text matched against name and code (名称或编码).")
    code: str = Field("", description="Exact code (编码).")
    name: str = Field("", description="Part of the name (名称包含).")
    parent: str = Field("", description="Code of the direct parent: only its children (上级编码).")
    subtree: str = Field("", description="Code of a node: it and everything under it (含下级).")
    include_abolished: bool = Field(False, description="Also list abolished nodes (含已撤销).")
    as_of: str | None = Field(None, description=AS_OF_DESCRIPTION, json_schema_extra={"format": "date"})


class AsOfQuery(Schema):
    as_of: str | None = Field(None, description=AS_OF_DESCRIPTION, json_schema_extra={"format": "date"})


class ChildrenQuery(AsOfQuery):
    include_abolished: bool = Field(False, description="Also list abolished children (含已撤销).")


class ChangesQuery(Schema):
    start: str = Field(..., alias="from", description="Changes effective after this date, YYYY-MM-DD (起始日期, 不含).",
                       json_schema_extra={"format": "date"})
    end: str | None = Field(None, alias="to", description="… up to and including this date; default today (截止日期).",
                            json_schema_extra={"format": "date"})


class PeopleFilters(Schema):
    q: str = Field("", description="Part of the name or the employee number (姓名或工号).")
    unit: str = Field("", description="Code of the unit the people belong to directly (单位编码).")
    unit_subtree: str = Field("", description="Code of a unit: people in it and all its sub-units (含下级单位).")
    party_org: str = Field("", description="Code of the Party organisation of the members (所在党组织编码).")
    political_status: PoliticalStatus | None = Field(
        None, description=f"Political status (政治面貌): {_describe(Person.PoliticalStatus)}.")
    include_inactive: bool = Field(False, description="Also list people who have left (含离职).")


# --- shared output pieces -------------------------------------------------------------------------

class NodeRef(Schema):
    code: str = Field(..., description="Code (编码).")
    name: str = Field(..., description="Name (名称).")


class SubtreeCounts(Schema):
    nodes: int = Field(..., description="Active nodes below this one (下级机构数).")
    people: int = Field(..., description="People in the subtree; for a Party organisation, its members (人数).")
    party_members: int = Field(..., description="Party members in the subtree, full and probationary (党员数).")
    probationary: int = Field(..., description="Probationary members among them (预备党员数).")


class LeaderOut(Schema):
    kind: str = Field(..., description=f"Position (职务类别): {_describe(Position.Kind)}.")
    title: str = Field(..., description="Title as written, e.g. 党委书记 (职务名称).")
    employee_no: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")


class OrgChangeOut(Schema):
    id: int = Field(..., description="Id of the change (变更编号).")
    code: str = Field(..., description="Code of the node that changed (编码).")
    name: str = Field(..., description="Its name after the change (变更后名称).")
    kind: str = Field(..., description=f"What happened (变更类型): {_describe(OrgChange.Kind)}.")
    effective_date: dt.date = Field(..., description="Date the change took effect (生效日期).")
    reason: str = Field(..., description="Reason given (变更原因).")
    merged_into: str | None = Field(None, description="For a merge: code of the node merged into (并入).")
    before: dict | None = Field(None, description="The node's state before the change; references as internal ids.")
    state: dict = Field(..., description="The node's whole state after the change; references as internal ids.")
    actor: str | None = Field(None, description="Username of whoever recorded it (操作人).")
    recorded_at: dt.datetime = Field(..., description="When it was recorded (记录时间).")


# --- units ---------------------------------------------------------------------------------------

class UnitOut(Schema):
    code: str = Field(..., description="Unit code (单位编码).")
    name: str = Field(..., description="Unit name (单位名称).")
    parent: str | None = Field(None, description="Code of the parent unit (上级单位编码).")
    level: str = Field(..., description=f"Level (机构级别): {_describe(Unit.Level)}.")
    kind: str = Field(..., description=f"Unit type (单位类型): {_describe(Unit.Kind)}; empty when unset.")
    staffing: int | None = Field(None, description="Management staffing (管理人员编制).")
    established_on: dt.date | None = Field(None, description="Date established (成立日期).")
    abolished_on: dt.date | None = Field(None, description="Date abolished; empty while active (撤销日期).")
    sort_order: int = Field(0, description="Position among siblings (排序).")


class UnitDetail(UnitOut):
    ancestors: list[NodeRef] = Field(..., description="The visible units above, from the top down (上级单位).")
    counts: SubtreeCounts | None = Field(
        None, description="Today's counts of the subtree (下级统计); absent with `as_of`, as people are not dated.")
    leaders: list[LeaderOut] = Field(
        ..., description="Current leaders (领导: 正职, 副职, 分管领导 …); empty with `as_of`.")


class UnitChild(UnitOut):
    has_children: bool = Field(..., description="Whether it has active children of its own (是否有下级).")
    counts: SubtreeCounts | None = Field(None, description="Today's counts of its subtree; absent with `as_of`.")


class UnitIn(Schema):
    code: str = Field(..., description="Unit code, unique and never changed (单位编码).", examples=["CY1-A3"])
    name: str = Field(..., description="Unit name (单位名称).", examples=["作业三区"])
    parent: str | None = Field(None, description="Code of the parent unit; only a system administrator may "
                                                 "create a top-level unit (上级单位编码).")
    level: UnitLevel = Field(Unit.Level.OTHER.value, description=f"Level (机构级别): {_describe(Unit.Level)}.")
    kind: UnitKind = Field("", description=f"Unit type (单位类型): {_describe(Unit.Kind)}.")
    staffing: int | None = Field(None, ge=0, description="Management staffing (管理人员编制).")
    established_on: dt.date | None = Field(None, description="Date established (成立日期).")
    sort_order: int = Field(0, description="Position among siblings (排序).")
    effective_date: dt.date | None = Field(
        None, description="Date the establishment takes effect; default the establishment date, else today (生效日期).")
    reason: str = Field("", max_length=500, description="Reason, e.g. the document number (依据).")


class UnitPatch(Schema):
    """Only the fields sent change. A change of the name alone is recorded as a rename (更名)."""

    name: str | None = Field(None, description="New name (名称).")
    level: UnitLevel | None = Field(None, description="Level (机构级别).")
    kind: UnitKind | None = Field(None, description="Unit type (单位类型).")
    staffing: int | None = Field(None, ge=0, description="Management staffing (管理人员编制).")
    established_on: dt.date | None = Field(None, description="Date established (成立日期).")
    sort_order: int | None = Field(None, description="Position among siblings (排序).")
    effective_date: dt.date | None = Field(None, description="Date the change takes effect; default today (生效日期).")
    reason: str = Field("", max_length=500, description="Reason (变更原因).")


# --- party organisations ------------------------------------------------------------------------

class PartyOrgOut(Schema):
    code: str = Field(..., description="Party organisation code (党组织编码).")
    name: str = Field(..., description="Name (党组织名称).")
    parent: str | None = Field(None, description="Code of the parent organisation (上级党组织编码).")
    kind: str = Field(..., description=f"Organisation type (组织类型): {_describe(PartyOrg.Kind)}.")
    unit: str = Field(..., description="Code of the unit it belongs to (所属单位编码).")
    established_on: dt.date | None = Field(None, description="Date established (成立日期).")
    renewed_on: dt.date | None = Field(None, description="Date of the last term renewal (换届日期).")
    abolished_on: dt.date | None = Field(None, description="Date abolished; empty while active (撤销日期).")
    sort_order: int = Field(0, description="Position among siblings (排序).")


class PartyOrgDetail(PartyOrgOut):
    ancestors: list[NodeRef] = Field(..., description="The visible organisations above, top down (上级党组织).")
    counts: SubtreeCounts | None = Field(
        None, description="Today's counts of the subtree (下级统计); absent with `as_of`.")
    leaders: list[LeaderOut] = Field(..., description="Current leaders (书记, 副书记, 委员); empty with `as_of`.")


class PartyOrgChild(PartyOrgOut):
    has_children: bool = Field(..., description="Whether it has active children of its own (是否有下级).")
    counts: SubtreeCounts | None = Field(None, description="Today's counts of its subtree; absent with `as_of`.")


class PartyOrgIn(Schema):
    code: str = Field(..., description="Code, unique and never changed (党组织编码).", examples=["P-CY1-B3"])
    name: str = Field(..., description="Name (党组织名称).", examples=["作业三区党支部"])
    kind: PartyOrgKind = Field(..., description=f"Organisation type (组织类型): {_describe(PartyOrg.Kind)}.")
    unit: str = Field(..., description="Code of the unit it belongs to (所属单位编码).")
    parent: str | None = Field(None, description="Code of the parent organisation (上级党组织编码).")
    established_on: dt.date | None = Field(None, description="Date established (成立日期).")
    renewed_on: dt.date | None = Field(None, description="Date of the last term renewal (换届日期).")
    sort_order: int = Field(0, description="Position among siblings (排序).")
    effective_date: dt.date | None = Field(None, description="Date the establishment takes effect (生效日期).")
    reason: str = Field("", max_length=500, description="Reason, e.g. the approving document (依据).")


class PartyOrgPatch(Schema):
    """Only the fields sent change. A change of the name alone is recorded as a rename (更名)."""

    name: str | None = Field(None, description="New name (名称).")
    kind: PartyOrgKind | None = Field(None, description="Organisation type (组织类型).")
    unit: str | None = Field(None, description="Code of the unit it belongs to (所属单位编码).")
    established_on: dt.date | None = Field(None, description="Date established (成立日期).")
    renewed_on: dt.date | None = Field(None, description="Date of the last term renewal (换届日期).")
    sort_order: int | None = Field(None, description="Position among siblings (排序).")
    effective_date: dt.date | None = Field(None, description="Date the change takes effect; default today (生效日期).")
    reason: str = Field("", max_length=500, description="Reason (变更原因).")


# --- tree actions --------------------------------------------------------------------------------

class MoveIn(Schema):
    parent: str | None = Field(..., description="Code of the new parent; null makes it a top level node, which "
                                                "only a system administrator may do (新上级编码).")
    effective_date: dt.date | None = Field(None, description="Date the move takes effect; default today (生效日期).")
    reason: str = Field("", max_length=500, description="Reason (调整原因).")


class MergeIn(Schema):
    into: str = Field(..., description="Code of the node this one is merged into; its children, people and "
                                       "members move there (并入编码).")
    effective_date: dt.date | None = Field(None, description="Date the merge takes effect; default today (生效日期).")
    reason: str = Field("", max_length=500, description="Reason (合并原因).")


class AbolishIn(Schema):
    effective_date: dt.date | None = Field(None, description="Date it is abolished; default today (撤销日期).")
    reason: str = Field("", max_length=500, description="Reason (撤销原因).")


# --- people --------------------------------------------------------------------------------------

class PersonOut(Schema):
    employee_no: str = Field(..., description="Employee number (工号).")
    name: str = Field(..., description="Name (姓名).")
    gender: str = Field(..., description="M or F, empty when unknown (性别).")
    birth_date: str | None = Field(
        None, description="Date of birth YYYY-MM-DD, masked as 1980-**-** without the right to see personal data (出生日期).")
    mobile: str = Field(..., description="Mobile number, masked as 138****1111 without the right to see personal data (手机).")
    personal_data_masked: bool = Field(..., description="Whether mobile and date of birth are masked (个人信息已脱敏).")
    email: str = Field(..., description="Email (邮箱).")
    unit: str = Field(..., description="Code of the person's unit (单位编码).")
    unit_name: str = Field(..., description="Name of the person's unit (单位名称).")
    post: str = Field(..., description="Post (岗位).")
    title: str = Field(..., description="Position (职务).")
    political_status: str = Field(..., description=f"Political status (政治面貌): {_describe(Person.PoliticalStatus)}.")
    party_org: str | None = Field(None, description="Code of the member's Party organisation (所在党组织编码).")
    party_org_name: str | None = Field(None, description="Its name (所在党组织).")
    joined_on: dt.date | None = Field(None, description="Date of joining the Party (入党日期).")
    confirmed_on: dt.date | None = Field(None, description="Date of full membership (转正日期).")
    party_post: str = Field("", description="Post inside the Party organisation (党内职务).")
    is_active: bool = Field(..., description="Still employed (在职).")


class PersonIn(Schema):
    employee_no: str = Field(..., description="Employee number, unique (工号).", examples=["E100001"])
    name: str = Field(..., description="Name (姓名).", examples=["张三"])
    unit: str = Field(..., description="Code of the person's unit (单位编码).")
    gender: Gender = Field("", description="M or F (性别).")
    birth_date: dt.date | None = Field(None, description="Date of birth (出生日期).")
    post: str = Field("", description="Post (岗位).")
    title: str = Field("", description="Position (职务).")
    mobile: str = Field("", description="Mobile number (手机).")
    email: str = Field("", description="Email (邮箱).")
    political_status: PoliticalStatus = Field(
        Person.PoliticalStatus.MASSES.value, description=f"Political status (政治面貌): {_describe(Person.PoliticalStatus)}.")
    party_org: str | None = Field(None, description="Code of the Party organisation; required for Party members "
                                                    "(所在党组织编码, 党员必填).")
    joined_on: dt.date | None = Field(None, description="Date of joining the Party (入党日期).")
    confirmed_on: dt.date | None = Field(None, description="Date of full membership (转正日期).")
    party_post: str = Field("", description="Post inside the Party organisation (党内职务).")


class PersonPatch(Schema):
    """Only the fields sent change; send `party_org: null` to end a membership."""

    name: str | None = Field(None, description="Name (姓名).")
    unit: str | None = Field(None, description="Code of the person's unit (单位编码).")
    gender: Gender | None = Field(None, description="M or F (性别).")
    birth_date: dt.date | None = Field(None, description="Date of birth (出生日期).")
    post: str | None = Field(None, description="Post (岗位).")
    title: str | None = Field(None, description="Position (职务).")
    mobile: str | None = Field(None, description="Mobile number (手机).")
    email: str | None = Field(None, description="Email (邮箱).")
    political_status: PoliticalStatus | None = Field(None, description="Political status (政治面貌).")
    is_active: bool | None = Field(None, description="Still employed (在职).")
    party_org: str | None = Field(None, description="Code of the Party organisation (所在党组织编码).")
    joined_on: dt.date | None = Field(None, description="Date of joining the Party (入党日期).")
    confirmed_on: dt.date | None = Field(None, description="Date of full membership (转正日期).")
    party_post: str | None = Field(None, description="Post inside the Party organisation (党内职务).")


UnitPage = page_schema(UnitOut, "UnitPage")
UnitChildPage = page_schema(UnitChild, "UnitChildPage")
PartyOrgPage = page_schema(PartyOrgOut, "PartyOrgPage")
PartyOrgChildPage = page_schema(PartyOrgChild, "PartyOrgChildPage")
OrgChangePage = page_schema(OrgChangeOut, "OrgChangePage")
PersonPage = page_schema(PersonOut, "PersonPage")
