"""Generate the reference oilfield as import rows plus the plans that go through the services
afterwards (leadership positions, this year's reform, demo accounts). Pure and deterministic:
the same seed, size and date give the same data; nothing here touches the database."""
import datetime as dt
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ronghe.core.documents import numeral
from ronghe.org.demo import names
from ronghe.org.demo import oilfield as of

LEVEL = {"division": "处级", "section": "科级", "other": "其他"}
UNIT_KIND = {"hq_department": "机关部门", "secondary": "二级单位", "grassroots": "基层单位", "office": "科室",
             "team": "班组", "": ""}
PARTY_KIND = {"committee": "党委", "general_branch": "党总支", "branch": "党支部", "group": "党小组"}
MEMBER, PROBATIONARY, LEAGUE, MASSES = "中共党员", "中共预备党员", "共青团员", "群众"
PARTY_STATUSES = (MEMBER, PROBATIONARY)

DEMO_PASSWORD = "ronghe-demo-2026"
COMPANY_EPOCH = dt.date(1999, 7, 1)


@dataclass(frozen=True)
class Size:
    name: str
    secondary: tuple[str, ...] | None  # codes of the secondary units to build; None: all
    areas: tuple[int, int]  # production areas per plant
    production_teams: tuple[int, int]  # 采油班 per area (each area also has three support teams)
    crew: tuple[int, int]  # workers per team besides its leader
    section_staff: tuple[int, int]  # staff per section besides its head
    group_min_teams: int  # a branch over at least this many teams is split into 党小组


SIZES = {
    "full": Size("full", None, (5, 7), (3, 5), (3, 6), (2, 4), 6),
    "small": Size("small", of.SMALL_SECONDARY, (2, 3), (1, 2), (1, 2), (1, 2), 4),
}


@dataclass(frozen=True)
class PositionPlan:
    employee_no: str
    kind: str  # org.Position.Kind value
    title: str
    unit: str = ""  # unit code, or
    party_org: str = ""  # party org code
    sort_order: int = 0


@dataclass(frozen=True)
class ReformStep:
    """One dated step of this year's reform, applied through org.services in list order.

    op: "unit_create", "party_org_create" (args: the node's fields, codes for references),
    "rename" (name), "edit" (fields), "move" (new_parent), "merge" (into), "abolish",
    "positions_end" (remove every position on the node), "reassign" (a person's new unit,
    party org, title and positions; their old positions end)."""

    date: dt.date
    op: str
    tree: str  # "unit" or "party_org"; "person" for reassign
    code: str
    args: dict = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    description: str
    superuser: bool = False
    employee_no: str = ""
    grants: tuple[tuple[str, str, str, bool], ...] = ()  # (role, "unit"/"party_org", code, with subtree)


@dataclass
class DemoData:
    units: list[dict]
    party_orgs: list[dict]
    people: list[dict]
    positions: list[PositionPlan]
    reform: list[ReformStep]
    accounts: list[DemoAccount]
    today: dt.date
    seed: int
    size: str


def generate(*, seed: int = 2026, size: str = "full", today: dt.date) -> DemoData:
    builder = _Builder(seed=seed, size=SIZES[size], today=today)
    builder.build()
    return DemoData(units=builder.units, party_orgs=builder.party_orgs, people=builder.people,
                    positions=builder.positions, reform=builder.reform, accounts=builder.accounts,
                    today=today, seed=seed, size=size)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Builder:
    def __init__(self, *, seed: int, size: Size, today: dt.date):
        self.rng = random.Random(seed)
        self.size = size
        self.today = today
        self.last_year_end = dt.date(today.year - 1, 12, 31)
        self.units: list[dict] = []
        self.party_orgs: list[dict] = []
        self.people: list[dict] = []
        self.positions: list[PositionPlan] = []
        self.reform: list[ReformStep] = []
        self.accounts: list[DemoAccount] = []
        self.unit_dates: dict[str, dt.date] = {}
        self.party_dates: dict[str, dt.date] = {}
        self.unit_names: dict[str, str] = {}
        self.party_names: dict[str, str] = {}
        self.staffing: dict[str, int] = {}
        self.headcount: Counter = Counter()
        self.key_people: dict[str, str] = {}  # role key -> employee number
        self.deputies: defaultdict[str, list[str]] = defaultdict(list)  # unit code -> deputies' numbers
        self._order: Counter = Counter()
        self._mobiles: set[str] = set()
        self._next_no = 10_010_001

    # --- rows ---------------------------------------------------------------------------------

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def later_than(self, start: dt.date, *, same: float = 0.6) -> dt.date:
        """A date a child node was set up: mostly with its parent, sometimes years later."""
        if self.rng.random() < same:
            return start
        return self.day_between(start, self.last_year_end)

    def unit(self, code, name, parent, level, kind, established: dt.date):
        self._order[parent] += 1
        self.units.append({
            "单位编码": code, "单位名称": name, "上级单位编码": parent or "", "机构级别": LEVEL[level],
            "单位类型": UNIT_KIND[kind], "管理人员编制": "", "成立日期": established.isoformat(), "撤销日期": "",
            "排序": self._order[parent] * 10,
        })
        self.unit_dates[code] = established
        self.unit_names[code] = name
        return code

    def party_org(self, code, name, kind, parent, unit_code, established: dt.date | None = None):
        floor = max(self.unit_dates[unit_code], self.party_dates.get(parent, COMPANY_EPOCH))
        established = max(established or self.later_than(floor, same=0.7), floor)
        renewed = ""
        if kind in ("committee", "general_branch", "branch"):
            term = 5 if kind == "committee" else 3
            start = max(established, _add_years(self.today, -term))
            renewed = self.day_between(start, self.last_year_end).isoformat() if start < self.last_year_end else ""
        self.party_orgs.append({
            "党组织编码": code, "党组织名称": name, "组织类型": PARTY_KIND[kind], "上级党组织编码": parent or "",
            "所属单位编码": unit_code, "成立日期": established.isoformat(), "换届日期": renewed,
        })
        self.party_dates[code] = established
        self.party_names[code] = name
        return code

    def person(self, unit_code, *, post, title="", branch=None, ages=(22, 58), male=0.7, member=0.3,
               leader=False, party_post="", email=False) -> str:
        rng = self.rng
        gender = "M" if rng.random() < male else "F"
        low, high = ages
        if gender == "F":
            high = min(high, 54)
        age = rng.randint(low, max(low, high))
        birth = self.today - dt.timedelta(days=int(age * 365.25) + rng.randrange(1, 360))
        name = names.person_name(rng, gender, birth.year)
        employee_no = str(self._next_no)
        self._next_no += rng.choice((1, 1, 1, 2, 3))
        status, joined, confirmed = self._politics(age, birth, branch, member=1.0 if leader else member,
                                                   probationary=0.0 if leader else 0.07)
        self.people.append({
            "工号": employee_no, "姓名": name, "性别": "男" if gender == "M" else "女",
            "出生日期": birth.isoformat(), "单位编码": unit_code, "岗位": post, "职务": title,
            "手机": names.mobile(rng, self._mobiles),
            "邮箱": f"{employee_no}@liaohe.example.com" if email else "",
            "政治面貌": status, "所在党组织编码": branch if status in PARTY_STATUSES else "",
            "入党日期": joined, "转正日期": confirmed,
            "党内职务": party_post if status in PARTY_STATUSES else "",
        })
        self.headcount[unit_code] += 1
        return employee_no

    def _politics(self, age, birth, branch, *, member, probationary):
        rng = self.rng
        if branch and rng.random() < member:
            if age <= 45 and rng.random() < probationary:
                joined = self.today - dt.timedelta(days=rng.randint(20, 330))
                return PROBATIONARY, joined.isoformat(), ""
            latest_age = min(age - 2, 45)
            join_age = rng.randint(18, max(18, latest_age))
            joined = _add_years(birth, join_age) + dt.timedelta(days=rng.randrange(0, 300))
            joined = min(joined, self.today - dt.timedelta(days=400))
            confirmed = joined + dt.timedelta(days=365)
            return MEMBER, joined.isoformat(), confirmed.isoformat()
        if age <= 28 and rng.random() < 0.65:
            return LEAGUE, "", ""
        return MASSES, "", ""

    def position(self, employee_no, kind, title, *, unit="", party_org="", sort_order=0):
        self.positions.append(PositionPlan(employee_no, kind, title, unit, party_org, sort_order))

    def set_party_post(self, employee_no, post):
        row = next(r for r in reversed(self.people) if r["工号"] == employee_no)
        if row["政治面貌"] in PARTY_STATUSES and not row["党内职务"]:
            row["党内职务"] = post

    # --- the organisation ---------------------------------------------------------------------

    def build(self):
        self.headquarters()
        wanted = self.size.secondary
        for sec in of.SECONDARY_UNITS:
            if wanted is None or sec.code in wanted:
                self.secondary(sec)
        self.fill_staffing()
        self.plan_reform()
        self.plan_accounts()

    def headquarters(self):
        rng = self.rng
        self.unit(of.COMPANY_CODE, of.COMPANY_NAME, "", "other", "", COMPANY_EPOCH)
        self.party_org(of.COMPANY_PARTY_CODE, of.COMPANY_PARTY_NAME, "committee", "", of.COMPANY_CODE, COMPANY_EPOCH)
        self.party_org(of.HQ_PARTY_CODE, of.HQ_PARTY_NAME, "committee", of.COMPANY_PARTY_CODE, of.COMPANY_CODE,
                       COMPANY_EPOCH)
        office_branch = f"P-{of.COMPANY_CODE}-DB"
        departments = []
        for dept in of.HQ_DEPARTMENTS:
            code = self.unit(f"{of.COMPANY_CODE}-{dept.code}", dept.name, of.COMPANY_CODE, "division",
                             "hq_department", dt.date.fromisoformat(dept.established))
            short = dept.name.split("（")[0]
            branch = self.party_org(f"P-{code}", f"{short}党支部", "branch", of.HQ_PARTY_CODE, code,
                                    self.unit_dates[code])
            departments.append((dept, code, branch))
        for order, leader in enumerate(of.COMPANY_LEADERS, start=1):
            no = self.person(of.COMPANY_CODE, post="管理岗", title=leader.title, branch=office_branch,
                             ages=(50, 58), male=0.9, leader=True, email=True)
            self.key_people[f"leader:{leader.key}"] = no
            if leader.unit_kind:
                self.position(no, leader.unit_kind, leader.unit_title, unit=of.COMPANY_CODE, sort_order=order)
            self.position(no, leader.party_kind, leader.party_title, party_org=of.COMPANY_PARTY_CODE,
                          sort_order=order)
        for dept, code, branch in departments:
            title = of.head_title(dept.name)
            head = self.person(code, post="管理岗", title=title, branch=branch, ages=(45, 57), male=0.8,
                               leader=True, email=True)
            self.key_people[f"head:{code}"] = head
            self.position(head, "head", title, unit=code, sort_order=1)
            self.position(self.key_people[f"leader:{dept.in_charge}"], "in_charge", "分管领导", unit=code,
                          sort_order=0)
            for i in range(rng.randint(1, 2)):
                deputy = self.person(code, post="管理岗", title=of.deputy_title(title), branch=branch,
                                     ages=(38, 56), male=0.7, leader=True, email=True)
                self.position(deputy, "deputy", of.deputy_title(title), unit=code, sort_order=2 + i)
                self.deputies[code].append(deputy)
                if i == 0:
                    self.set_party_post(deputy, "党支部书记")
            if dept.code == "ZZB":
                organiser = self.person(code, post="管理岗", title="副部长、机关党委书记", branch=branch,
                                        ages=(42, 55), male=0.7, leader=True, email=True)
                self.position(organiser, "deputy", "副部长", unit=code, sort_order=5)
                self.position(organiser, "secretary", "机关党委书记", party_org=of.HQ_PARTY_CODE)
            if not dept.sections:
                for _ in range(rng.randint(2, 3)):
                    self.person(code, post=dept.staff_post, branch=branch, ages=(23, 40), male=0.5, member=0.6,
                                email=True)
            for n, section in enumerate(dept.sections, start=1):
                scode = self.unit(f"{code}-{n:02d}", section, code, "section", "office",
                                  self.later_than(self.unit_dates[code]))
                self.section_people(scode, section, dept.staff_post, branch, member=0.55)
                if dept.code == "ZZB" and n == 1:
                    self.key_people["viewer"] = self.person(scode, post="政工师", title="", branch=branch,
                                                            ages=(28, 40), male=0.4, member=1.0, email=True)

    def section_people(self, code, name, staff_post, branch, *, member=0.4):
        rng = self.rng
        title = of.head_title(name)
        head = self.person(code, post="管理岗", title=title, branch=branch, ages=(36, 56), male=0.7,
                           leader=True, email=True)
        self.position(head, "head", title, unit=code, sort_order=1)
        self.key_people[f"head:{code}"] = head
        if rng.random() < 0.5:
            deputy = self.person(code, post="管理岗", title=of.deputy_title(title), branch=branch, ages=(32, 52),
                                 male=0.6, member=0.8, email=True)
            self.position(deputy, "deputy", of.deputy_title(title), unit=code, sort_order=2)
            self.deputies[code].append(deputy)
        for _ in range(rng.randint(*self.size.section_staff)):
            grade = rng.random()
            post = staff_post if grade < 0.7 else ("高级" + staff_post if "师" in staff_post else staff_post)
            self.person(code, post=post, branch=branch, ages=(23, 58), male=0.55, member=member, email=True)
        return head

    def secondary(self, sec: of.Secondary):
        rng = self.rng
        established = dt.date.fromisoformat(sec.established)
        code = self.unit(sec.code, sec.name, of.COMPANY_CODE, "division", "secondary", established)
        kind = "general_branch" if sec.small else "committee"
        committee = self.party_org(f"P-{code}", f"{sec.name}{PARTY_KIND[kind]}", kind, of.COMPANY_PARTY_CODE, code,
                                   established)
        if sec.family == "plant":
            sections = of.PLANT_SECTIONS if not sec.small else [
                s for s in of.PLANT_SECTIONS if s[0] in ("BGS", "DQK", "SCK", "JYK", "CWK", "DZS")]
        elif sec.family == "institute":
            sections = of.INSTITUTE_SECTIONS
        else:
            sections = of.SERVICE_SECTIONS
        chunks = [sections[i:i + 6] for i in range(0, len(sections), 6)]
        office_branches = []
        for n, _chunk in enumerate(chunks, start=1):
            name = "机关党支部" if len(chunks) == 1 else f"机关第{numeral(n)}党支部"
            office_branches.append(self.party_org(f"{committee}-JG{n}", name, "branch", committee, code,
                                                  established))
        self.unit_leaders(sec, code, committee, office_branches[0])
        for chunk, branch in zip(chunks, office_branches, strict=True):
            for suffix, name, staff_post in chunk:
                scode = self.unit(f"{code}-{suffix}", name, code, "section", "office", self.later_than(established))
                if suffix == of.PLANT_SECTION_ABOLISHED:
                    continue  # its people already left for the mining-area services
                head = self.section_people(scode, name, staff_post, branch)
                if suffix == "DQK" and branch == office_branches[0]:
                    self.set_party_post(head, "党支部书记")
                if suffix == "DQK" and code == of.PLANT_ADMIN_UNIT:
                    self.key_people["plant_admin"] = self.person(
                        scode, post="政工师", branch=branch, ages=(28, 42), male=0.5, member=1.0, email=True)
            if branch != office_branches[0]:
                self.set_party_post(self.key_people[f"head:{code}-{chunk[0][0]}"], "党支部书记")
        if sec.family == "plant":
            n_areas = 2 if sec.small else rng.randint(*self.size.areas)
            for n in range(1, n_areas + 1):
                teams = [(f"B{i}", f"采油{numeral(i)}班")
                         for i in range(1, rng.randint(*self.size.production_teams) + 1)]
                teams += list(of.AREA_TEAMS_AFTER_PRODUCTION)
                area = of.Grassroots(f"Z{n}", f"{sec.area_prefix}{numeral(n)}区", tuple(teams))
                self.grassroots(code, committee, area, established)
            if not sec.small:
                for support in of.PLANT_SUPPORT:
                    self.grassroots(code, committee, support, established)
        else:
            for gr in sec.grassroots:
                self.grassroots(code, committee, gr, established)

    def unit_leaders(self, sec, code, committee, branch):
        rng = self.rng
        small = sec.small
        head = self.person(code, post="管理岗", title=f"{sec.head_title}、{'党总支' if small else '党委'}副书记",
                           branch=branch, ages=(45, 57), male=0.85, leader=True, email=True)
        self.key_people[f"head:{code}"] = head
        self.position(head, "head", sec.head_title, unit=code, sort_order=1)
        self.position(head, "deputy_secretary", "党总支副书记" if small else "党委副书记", party_org=committee,
                      sort_order=2)
        secretary_title = "党总支书记" if small else "党委书记"
        secretary = self.person(code, post="管理岗", title=secretary_title, branch=branch, ages=(45, 57),
                                male=0.85, leader=True, email=True)
        self.key_people[f"secretary:{code}"] = secretary
        self.position(secretary, "secretary", secretary_title, party_org=committee, sort_order=1)
        deputies = [of.deputy_title(sec.head_title)] * rng.randint(1 if small else 2, 2 if small else 3)
        if sec.family in ("plant", "institute") and not small:
            deputies.append("总工程师")
        for i, title in enumerate(deputies, start=2):
            no = self.person(code, post="管理岗", title=title, branch=branch, ages=(40, 56), male=0.85,
                             leader=True, email=True)
            self.key_people[f"deputy:{code}:{i}"] = no
            self.position(no, "deputy", title, unit=code, sort_order=i)
            self.position(no, "committee_member", "党总支委员" if small else "党委委员", party_org=committee,
                          sort_order=2 + i)
        if not small:
            no = self.person(code, post="管理岗", title="纪委书记、工会主席", branch=branch, ages=(45, 57),
                             male=0.75, leader=True, email=True)
            self.key_people[f"discipline:{code}"] = no
            self.position(no, "committee_member", "纪委书记", party_org=committee, sort_order=3)

    def grassroots(self, parent, committee, gr: of.Grassroots, parent_established):
        rng = self.rng
        code = self.unit(f"{parent}-{gr.code}", gr.name, parent, "section", "grassroots",
                         self.later_than(parent_established, same=0.5))
        branch = self.party_org(f"P-{code}", f"{gr.name}党支部", "branch", committee, code)
        title = of.head_title(gr.name)
        research = gr.name.endswith(("所", "室"))
        head = self.person(code, post="管理岗", title=title, branch=branch, ages=(36, 56), male=0.85, leader=True,
                           email=True)
        self.key_people[f"head:{code}"] = head
        self.position(head, "head", title, unit=code, sort_order=1)
        secretary = self.person(code, post="管理岗", title=f"党支部书记、{of.deputy_title(title)}", branch=branch,
                                ages=(36, 56), male=0.75, leader=True, party_post="党支部书记", email=True)
        self.key_people[f"secretary:P-{code}"] = secretary
        self.position(secretary, "deputy", of.deputy_title(title), unit=code, sort_order=2)
        deputy = self.person(code, post="管理岗", title=of.deputy_title(title), branch=branch, ages=(32, 54),
                             male=0.8, member=0.8, party_post="组织委员", email=True)
        self.position(deputy, "deputy", of.deputy_title(title), unit=code, sort_order=3)
        self.deputies[code].append(deputy)
        for party_post in ("宣传委员", "纪检委员", "")[:rng.randint(1, 3)]:
            post = rng.choice(("高级工程师", "工程师", "工程师")) if research else rng.choice(("技术员", "工程师"))
            self.person(code, post=post, branch=branch, ages=(24, 55), male=0.65, member=0.45,
                        party_post=party_post, email=True)
        # A large branch is split into 党小组, one per pair of teams, attached to the pair's first team.
        grouped = len(gr.teams) >= self.size.group_min_teams
        for i, (suffix, name) in enumerate(gr.teams):
            tcode = self.unit(f"{code}-{suffix}", name, code, "other", "team",
                              self.later_than(self.unit_dates[code], same=0.5))
            group = f"P-{code}-G{i // 2 + 1}" if grouped else None
            if group and i % 2 == 0:
                self.party_org(group, f"第{numeral(i // 2 + 1)}党小组", "group", branch, tcode)
            self.team_people(tcode, name, group or branch, research, group_leader=bool(group) and i % 2 == 0)

    def team_people(self, code, name, party_org, research, *, group_leader=False):
        rng = self.rng
        post = of.team_post(name)
        male = 0.25 if any(w in name for w in ("化验", "抄表", "保管")) else (0.6 if research else 0.78)
        leader_title = of.head_title(name)
        leader = self.person(code, post=post, title=leader_title, branch=party_org, ages=(30, 55), male=male,
                             member=0.55 if not research else 0.7, leader=group_leader,
                             party_post="党小组长" if group_leader else "")
        self.position(leader, "head", leader_title, unit=code, sort_order=1)
        for _ in range(rng.randint(*self.size.crew)):
            self.person(code, post=post, branch=party_org, ages=(22, 58), male=male,
                        member=0.4 if research else 0.17)

    def fill_staffing(self):
        """管理人员编制: the management posts each non-team unit is allowed, near its headcount."""
        for row in self.units:
            if row["单位类型"] in ("机关部门", "二级单位", "基层单位", "科室"):
                code = row["单位编码"]
                count = self.headcount[code]
                if row["单位类型"] == "基层单位":
                    count = min(count, 6)
                staffing = count + self.rng.randint(0, 2) if count else 0
                self.staffing[code] = staffing
                row["管理人员编制"] = staffing or ""

    # --- this year's reform -------------------------------------------------------------------

    def reform_date(self, fraction: float) -> dt.date:
        """The first of the month `fraction` of the way from 1 January to today."""
        start = dt.date(self.today.year, 1, 1)
        day = start + dt.timedelta(days=int(fraction * (self.today - start).days))
        return day.replace(day=1)

    def step(self, fraction, op, tree, code, reason="", **args):
        self.reform.append(ReformStep(self.reform_date(fraction), op, tree, code, args, reason))

    def reassign(self, fraction, employee_no, reason, *, positions, **changes):
        """A person's new post: every current position ends, `changes` (title, unit, party_org,
        party_post) are applied, and `positions` are assigned."""
        self.step(fraction, "reassign", "person", employee_no, reason, changes=changes, positions=positions)

    def absorb_leaders(self, fraction, src, dst, reason, *, tree="unit"):
        """After `src` merges into `dst`, its head and deputies become deputies of `dst`; on the
        party side its secretary becomes a deputy secretary."""
        if tree == "unit":
            title = of.deputy_title(of.head_title(self.unit_names[dst]))
            for n, no in enumerate([self.key_people[f"head:{src}"], *self.deputies[src]], start=4):
                self.reassign(fraction, no, reason, title=title, party_post="",
                              positions=[{"kind": "deputy", "title": title, "unit": dst, "sort_order": n}])
        else:
            unit_title = of.deputy_title(of.head_title(self.unit_names[dst.removeprefix("P-")]))
            self.reassign(fraction, self.key_people[f"secretary:{src}"], reason, title=f"党支部副书记、{unit_title}",
                          party_post="党支部副书记",
                          positions=[{"kind": "deputy_secretary", "title": "党支部副书记", "party_org": dst,
                                      "sort_order": 2},
                                     {"kind": "deputy", "title": unit_title, "unit": dst.removeprefix("P-"),
                                      "sort_order": 5}])

    def plan_reform(self):
        self.reform_headquarters()
        self.reform_plants()
        self.reform_vehicle_system()
        self.reform_mining_services()
        self.reform_areas()
        self.reform.sort(key=lambda s: s.date)  # stable: same-day steps keep their order

    def reform_headquarters(self):
        reason = "机关大部制改革"
        lh = of.COMPANY_CODE
        for src, dst, new_name in (("RLZY", "ZZB", "党委组织部（人力资源部）"), ("SCGL", "QGFG", ""),
                                   ("SBC", "SCYX", "")):
            src_code, dst_code = f"{lh}-{src}", f"{lh}-{dst}"
            self.step(0.15, "positions_end", "unit", src_code, reason)
            self.step(0.15, "positions_end", "party_org", f"P-{src_code}", reason)
            self.step(0.15, "merge", "unit", src_code, reason, into=dst_code)
            self.step(0.15, "merge", "party_org", f"P-{src_code}", reason, into=f"P-{dst_code}")
            self.absorb_leaders(0.15, src_code, dst_code, reason)
            self.staffing[dst_code] = self.staffing[dst_code] + self.staffing[src_code] - 3
            self.step(0.2, "edit", "unit", dst_code, "新“五定”方案", staffing=self.staffing[dst_code])
            if new_name:
                self.step(0.15, "rename", "unit", dst_code, reason, name=new_name)
        for code, new_name in (("ZLAH", "质量健康安全环保处"), ("KJXX", "科技与信息化处")):
            self.step(0.15, "rename", "unit", f"{lh}-{code}", reason, name=new_name)
        for code in ("DB", "JHC", "JJC", "CWC", "SJC", "KTC"):
            unit_code = f"{lh}-{code}"
            self.staffing[unit_code] = max(3, self.staffing[unit_code] - self.rng.randint(1, 3))
            self.step(0.2, "edit", "unit", unit_code, "新“五定”方案：压减管理人员编制",
                      staffing=self.staffing[unit_code])

    def plants(self):
        return [c for c in (s.code for s in of.SECONDARY_UNITS if s.family == "plant") if c in self.unit_dates]

    def reform_plants(self):
        reason = "三项制度改革：机关科室整合"
        merged, into = of.PLANT_SECTION_MERGED
        for plant in self.plants():
            src, dst = f"{plant}-{merged}", f"{plant}-{into}"
            if src not in self.unit_dates:
                continue
            self.step(0.35, "positions_end", "unit", src, reason)
            self.step(0.35, "merge", "unit", src, reason, into=dst)
            self.absorb_leaders(0.35, src, dst, reason)
        plants = self.plants()
        if len(plants) > 2:
            plant = plants[1]
            self.step(0.6, "rename", "unit", f"{plant}-DQK", "三项制度改革", name="党建工作科")
            jg1, jg2 = f"P-{plant}-JG1", f"P-{plant}-JG2"
            if jg2 in self.party_dates:
                reason = "机关党支部调整"
                secretary = self.key_people[f"head:{plant}-AQK"]
                self.step(0.6, "positions_end", "party_org", jg2, reason)
                self.step(0.6, "merge", "party_org", jg2, reason, into=jg1)
                self.reassign(0.6, secretary, reason, party_post="组织委员", positions=[
                    {"kind": "head", "title": of.head_title(self.unit_names[f"{plant}-AQK"]),
                     "unit": f"{plant}-AQK", "sort_order": 1},
                    {"kind": "committee_member", "title": "组织委员", "party_org": jg1, "sort_order": 3}])

    def reform_vehicle_system(self):
        reason = "车辆系统专业化重组"
        stations = [p for p in self.plants() if f"{p}-CLZ" in self.unit_dates][:5]
        if not stations:
            return
        centre, centre_party = of.VEHICLE_CENTRE_CODE, f"P-{of.VEHICLE_CENTRE_CODE}"
        self.step(0.45, "unit_create", "unit", centre, reason, name=of.VEHICLE_CENTRE_NAME,
                  parent=of.COMPANY_CODE, level="division", kind="secondary", staffing=12,
                  sort_order=(self._order[of.COMPANY_CODE] + 1) * 10)
        self.step(0.45, "party_org_create", "party_org", centre_party, reason,
                  name=f"{of.VEHICLE_CENTRE_NAME}党总支", kind="general_branch", parent=of.COMPANY_PARTY_CODE,
                  unit=centre)
        first, second = stations[0], stations[-1]
        self.reassign(0.45, self.key_people[f"deputy:{first}:2"], reason, title="主任、党总支副书记", unit=centre,
                      party_org=centre_party, party_post="党总支副书记",
                      positions=[{"kind": "head", "title": "主任", "unit": centre, "sort_order": 1},
                                 {"kind": "deputy_secretary", "title": "党总支副书记", "party_org": centre_party,
                                  "sort_order": 2}])
        self.reassign(0.45, self.key_people[f"discipline:{second}"], reason, title="党总支书记、副主任", unit=centre,
                      party_org=centre_party, party_post="党总支书记",
                      positions=[{"kind": "secretary", "title": "党总支书记", "party_org": centre_party,
                                  "sort_order": 1},
                                 {"kind": "deputy", "title": "副主任", "unit": centre, "sort_order": 2}])
        for plant in stations:
            self.step(0.45, "move", "unit", f"{plant}-CLZ", reason, new_parent=centre)
            self.step(0.45, "move", "party_org", f"P-{plant}-CLZ", reason, new_parent=centre_party)
            self.step(0.45, "rename", "unit", f"{plant}-CLZ", reason,
                      name=f"{self.unit_names[plant].removesuffix('采油厂').removesuffix('公司')}车辆管理站")

    def reform_mining_services(self):
        for plant in self.plants():
            code = f"{plant}-{of.PLANT_SECTION_ABOLISHED}"
            if code in self.unit_dates:
                self.step(0.55, "abolish", "unit", code, "矿区系统专业化重组：矿区服务业务移交")

    def reform_areas(self):
        plants = [p for p in self.plants() if p not in (of.PLANT_ADMIN_UNIT, of.SECRETARY_PLANT)]
        if not plants:
            return
        plant = plants[-1] if len(plants) < 2 else plants[1]
        areas = sorted((c for c in self.unit_dates if re.fullmatch(rf"{plant}-Z\d+", c)),
                       key=lambda c: int(c.rsplit("Z", 1)[1]))
        if len(areas) < 2:
            return
        reason = "三项制度改革：作业区整合"
        src, dst = areas[-1], areas[-2]
        self.step(0.75, "positions_end", "unit", src, reason)
        self.step(0.75, "positions_end", "party_org", f"P-{src}", reason)
        self.step(0.75, "merge", "unit", src, reason, into=dst)
        self.step(0.75, "merge", "party_org", f"P-{src}", reason, into=f"P-{dst}")
        self.absorb_leaders(0.75, src, dst, reason)
        self.absorb_leaders(0.75, f"P-{src}", f"P-{dst}", reason, tree="party_org")
        renamed = f"{of.SECRETARY_PLANT}-Z3" if f"{of.SECRETARY_PLANT}-Z3" in self.unit_dates else None
        if renamed:
            self.step(0.65, "rename", "unit", renamed, "三项制度改革", name="兴古采油作业区")
            self.step(0.65, "rename", "party_org", f"P-{renamed}", "三项制度改革", name="兴古采油作业区党支部")

    # --- demo accounts ------------------------------------------------------------------------

    def plan_accounts(self):
        branch = f"P-{of.SECRETARY_PLANT}-Z1"
        self.accounts = [
            DemoAccount("admin", "System administrator (superuser)", superuser=True),
            DemoAccount("viewer", "Company-wide viewer", employee_no=self.key_people["viewer"],
                        grants=(("viewer", "unit", of.COMPANY_CODE, True),)),
            DemoAccount("cy_admin", f"Administrator of {self.unit_names[of.PLANT_ADMIN_UNIT]}",
                        employee_no=self.key_people["plant_admin"],
                        grants=(("admin", "unit", of.PLANT_ADMIN_UNIT, True),)),
            DemoAccount("zb_secretary", f"Secretary of {self.unit_names[of.SECRETARY_PLANT]} "
                        f"{self.party_names[branch]}", employee_no=self.key_people[f"secretary:{branch}"],
                        grants=(("secretary", "party_org", branch, True),)),
        ]


def summary(data: DemoData) -> dict[str, int]:
    statuses = Counter(r["政治面貌"] for r in data.people)
    return {
        "units": len(data.units),
        "party_orgs": len(data.party_orgs),
        "people": len(data.people),
        "party_members": statuses[MEMBER] + statuses[PROBATIONARY],
        "probationary": statuses[PROBATIONARY],
        "positions": len(data.positions),
        "reform_steps": len(data.reform),
    }

