"""The reference oilfield's demo data: the generator's invariants (pure, no database) and
`load_demo` through the real importers and services."""
import datetime as dt
import re
from collections import Counter

import pytest
from django.core.management import call_command

from ronghe.accounts.models import RoleAssignment, User
from ronghe.core.models import AuditEntry
from ronghe.core.scoping import CHANGE, allows
from ronghe.org import selectors
from ronghe.org.demo import generator, names
from ronghe.org.demo import oilfield as of
from ronghe.org.demo.loader import DemoLoadError, load_demo
from ronghe.org.models import OrgChange, PartyMembership, PartyOrg, Person, Position, Unit

TODAY = dt.date(2026, 11, 25)
LEVEL_OF_KIND = {"机关部门": "处级", "二级单位": "处级", "科室": "科级", "基层单位": "科级", "班组": "其他"}


@pytest.fixture(scope="module")
def full():
    return generator.generate(seed=2026, size="full", today=TODAY)


@pytest.fixture(scope="module")
def small():
    return generator.generate(seed=2026, size="small", today=TODAY)


@pytest.fixture(params=["full", "small"])
def data(request, full, small):
    return full if request.param == "full" else small


def _units(data):
    return {r["单位编码"]: r for r in data.units}


def _party_orgs(data):
    return {r["党组织编码"]: r for r in data.party_orgs}


def _people(data):
    return {r["工号"]: r for r in data.people}


# --- the generator --------------------------------------------------------------------------

def test_codes_and_employee_numbers_are_unique(data):
    for rows, key in ((data.units, "单位编码"), (data.party_orgs, "党组织编码"), (data.people, "工号")):
        counts = Counter(row[key] for row in rows)
        assert [code for code, n in counts.items() if n > 1] == []


def test_every_parent_exists_and_was_established_first(data):
    units, party_orgs = _units(data), _party_orgs(data)
    for rows, by_code, key, parent_key in ((data.units, units, "单位编码", "上级单位编码"),
                                          (data.party_orgs, party_orgs, "党组织编码", "上级党组织编码")):
        roots = [row[key] for row in rows if not row[parent_key]]
        assert len(roots) == 1
        for row in rows:
            if row[parent_key]:
                parent = by_code[row[parent_key]]
                assert parent["成立日期"] <= row["成立日期"], row[key]


def test_every_party_org_hangs_off_a_unit_that_existed_when_it_was_set_up(data):
    units = _units(data)
    for row in data.party_orgs:
        assert units[row["所属单位编码"]]["成立日期"] <= row["成立日期"], row["党组织编码"]
        if row["换届日期"]:
            assert row["成立日期"] <= row["换届日期"] <= TODAY.isoformat()


def test_no_party_group_has_sub_organisations(data):
    groups = {r["党组织编码"] for r in data.party_orgs if r["组织类型"] == "党小组"}
    assert groups
    assert [r["党组织编码"] for r in data.party_orgs if r["上级党组织编码"] in groups] == []


def test_levels_agree_with_unit_types(data):
    for row in data.units:
        if row["单位类型"]:
            assert row["机构级别"] == LEVEL_OF_KIND[row["单位类型"]], row["单位编码"]
    kinds_under = {"机关部门": {"科室"}, "二级单位": {"科室", "基层单位"}, "基层单位": {"班组"}, "科室": set(),
                   "班组": set()}
    units = _units(data)
    for row in data.units:
        parent = units.get(row["上级单位编码"])
        if parent and parent["单位类型"]:
            assert row["单位类型"] in kinds_under[parent["单位类型"]], row["单位编码"]


def test_every_party_member_belongs_to_a_branch_or_party_group(data):
    party_orgs = _party_orgs(data)
    for person in data.people:
        if person["政治面貌"] in ("中共党员", "中共预备党员"):
            assert party_orgs[person["所在党组织编码"]]["组织类型"] in ("党支部", "党小组"), person["工号"]
            assert person["入党日期"]
        else:
            assert person["所在党组织编码"] == "" and person["入党日期"] == "" and person["党内职务"] == ""


def test_members_belong_to_the_branch_of_their_own_unit(data):
    """A member's party org hangs off their unit or one of its ancestors (the plant's 机关党支部
    for its sections, the 作业区's branch for its teams)."""
    units, party_orgs = _units(data), _party_orgs(data)

    def ancestors(code):
        while code:
            yield code
            code = units[code]["上级单位编码"]

    for person in data.people:
        if not person["所在党组织编码"]:
            continue
        org = party_orgs[person["所在党组织编码"]]
        unit = person["单位编码"]
        if unit == of.COMPANY_CODE:  # the company's leaders belong to the 党委办公室's branch
            assert org["党组织编码"] == f"P-{of.COMPANY_CODE}-DB"
        elif org["组织类型"] == "党小组":  # hangs off the first team of its pair of teams
            assert units[org["所属单位编码"]]["上级单位编码"] == units[unit]["上级单位编码"]
        else:
            assert org["所属单位编码"] in ancestors(unit), person["工号"]


def _eighteenth_birthday(birth):
    return birth.replace(year=birth.year + 18) if (birth.month, birth.day) != (2, 29) else dt.date(birth.year + 18, 2, 28)


def test_membership_dates_follow_the_rules(data):
    for person in data.people:
        birth = dt.date.fromisoformat(person["出生日期"])
        age = (TODAY - birth).days / 365.25
        assert 22 <= age < 60, person["工号"]
        if person["政治面貌"] == "中共党员":
            joined, confirmed = (dt.date.fromisoformat(person[k]) for k in ("入党日期", "转正日期"))
            assert joined >= _eighteenth_birthday(birth) and joined < confirmed < TODAY
        elif person["政治面貌"] == "中共预备党员":
            assert person["转正日期"] == ""
            assert TODAY - dt.timedelta(days=365) < dt.date.fromisoformat(person["入党日期"]) <= TODAY


def test_every_branch_has_one_secretary_who_is_a_full_member_of_it(data):
    secretaries = Counter(p["所在党组织编码"] for p in data.people
                          if p["党内职务"] == "党支部书记" and p["政治面貌"] == "中共党员")
    branches = [r["党组织编码"] for r in data.party_orgs if r["组织类型"] == "党支部"]
    assert {code: secretaries[code] for code in branches} == dict.fromkeys(branches, 1)


def test_party_posts_name_only_posts_in_the_members_own_organisation(data):
    """The people importer turns 书记/委员 posts into Positions on the member's own party org,
    so committee posts (党委书记 …) must not be written as 党内职务."""
    posts = Counter(p["党内职务"] for p in data.people)
    assert set(posts) <= {"", "党支部书记", "组织委员", "宣传委员", "纪检委员", "党小组长"}


def test_the_full_oilfield_has_the_reference_scale(full):
    summary = generator.summary(full)
    assert 1000 <= summary["units"] <= 1500
    assert 200 <= summary["party_orgs"] <= 700
    assert 4000 <= summary["people"] <= 6000
    assert 0.35 <= summary["party_members"] / summary["people"] <= 0.45
    assert 0.01 <= summary["probationary"] / summary["party_members"] <= 0.06
    kinds = Counter(r["组织类型"] for r in full.party_orgs)
    assert kinds["党委"] >= 20 and kinds["党总支"] >= 2 and kinds["党支部"] >= 150 and kinds["党小组"] >= 100


def test_the_oilfield_has_the_units_the_article_names(full):
    unit_names = {r["单位名称"] for r in full.units}
    for name in ("辽河油田公司", "党委组织部", "党委宣传部", "企管法规部", "改革办（深化改革领导小组办公室）", "维稳信访办",
                 "兴隆台采油厂", "茨榆坨采油厂", "钻采工艺研究院", "钻井工程设计室", "辽河筑路公司", "油建公司",
                 "中俄东线项目部", "油气工程技术处", "地质研究所", "采油作业一区", "采油一班", "集输班", "注水班"):
        assert name in unit_names, name


def test_names_and_mobiles_look_real_but_are_invented(full):
    mobiles = [p["手机"] for p in full.people]
    assert all(re.fullmatch(r"1[3-9]\d{9}", m) for m in mobiles) and len(set(mobiles)) == len(mobiles)
    assert not names.RESERVED_NAMES & {p["姓名"] for p in full.people}
    assert all(2 <= len(p["姓名"]) <= 3 for p in full.people)
    assert Counter(p["性别"] for p in full.people)["女"] > len(full.people) * 0.2


def test_the_same_seed_gives_the_same_data_and_another_seed_other_people(small):
    again = generator.generate(seed=2026, size="small", today=TODAY)
    assert again.units == small.units and again.people == small.people and again.reform == small.reform
    other = generator.generate(seed=7, size="small", today=TODAY)
    assert [p["姓名"] for p in other.people] != [p["姓名"] for p in small.people]


def test_positions_refer_to_generated_people_and_nodes(data):
    units, party_orgs, people = _units(data), _party_orgs(data), _people(data)
    for plan in data.positions:
        assert plan.employee_no in people
        assert (plan.unit in units) != (plan.party_org in party_orgs)
    company_leaders = {(p.kind, p.title) for p in data.positions if p.unit == of.COMPANY_CODE}
    assert ("head", "总经理") in company_leaders
    chief = next(p.employee_no for p in data.positions if p.unit == of.COMPANY_CODE and p.kind == "head")
    assert any(p.employee_no == chief and p.kind == "secretary" and p.party_org == of.COMPANY_PARTY_CODE
               for p in data.positions)
    departments = [r["单位编码"] for r in data.units if r["单位类型"] == "机关部门"]
    for code in departments:
        kinds = {p.kind for p in data.positions if p.unit == code}
        assert {"head", "in_charge"} <= kinds, code


@pytest.mark.parametrize("today", [TODAY, dt.date(2027, 1, 1), dt.date(2026, 3, 10)])
def test_reform_steps_fall_in_this_year_in_order_and_refer_to_known_codes(today):
    data = generator.generate(seed=2026, size="full", today=today)
    units, party_orgs = set(_units(data)), set(_party_orgs(data))
    dates = [step.date for step in data.reform]
    assert dates == sorted(dates)
    assert all(dt.date(today.year, 1, 1) <= d <= today for d in dates)
    for step in data.reform:
        known = {"unit": units, "party_org": party_orgs, "person": set(_people(data))}[step.tree]
        if step.op.endswith("_create"):
            known.add(step.code)
        assert step.code in known, step
        for key in ("into", "new_parent", "parent"):
            if key in step.args:
                assert step.args[key] in known, step
    ops = Counter(step.op for step in data.reform)
    assert ops["merge"] >= 10 and ops["abolish"] >= 5 and ops["rename"] >= 5 and ops["move"] >= 5


# --- loading --------------------------------------------------------------------------------

@pytest.fixture
def today(settings):
    settings.RONGHE_TODAY = TODAY.isoformat()
    return TODAY


@pytest.fixture
def loaded(db, today):
    report = load_demo(seed=2026, size="small")
    assert report.loaded
    return report


def _footprint():
    return (Unit.objects.count(), PartyOrg.objects.count(), Person.objects.count(), Position.objects.count(),
            OrgChange.objects.count(), AuditEntry.objects.count(), User.objects.count(),
            RoleAssignment.objects.count())


def test_loading_writes_the_generated_organisation_through_the_importers(loaded, small):
    assert Unit.objects.count() == len(small.units) + 1  # + the vehicle centre set up this year
    assert PartyOrg.objects.count() == len(small.party_orgs) + 1
    assert Person.objects.count() == len(small.people)
    assert PartyMembership.objects.count() == sum(1 for p in small.people if p["所在党组织编码"])
    assert set(AuditEntry.objects.filter(action__startswith="import.").values_list("action", flat=True)) == {
        "import.units", "import.party_orgs", "import.people"}
    cyt = Unit.objects.get(code="CYT")
    assert cyt.name == "茨榆坨采油厂" and cyt.level == Unit.Level.DIVISION and cyt.kind == Unit.Kind.SECONDARY


def test_a_second_run_changes_nothing_and_says_so(loaded, capsys):
    before = _footprint()
    call_command("load_demo", "--size", "small")
    assert _footprint() == before
    assert "已加载，未作任何改动" in capsys.readouterr().out


def test_if_empty_leaves_a_database_with_units_alone(org, today, capsys):
    before = _footprint()
    call_command("load_demo", "--if-empty", "--size", "small")
    assert _footprint() == before
    assert not Unit.objects.filter(code=of.COMPANY_CODE).exists()
    assert "未加载演示数据" in capsys.readouterr().out


def test_the_command_prints_counts_and_the_password(db, today, capsys):
    call_command("load_demo", "--if-empty", "--size", "small")
    out = capsys.readouterr().out
    assert "demo-people：" in out and f"people: {Person.objects.count()}" in out
    assert generator.DEMO_PASSWORD in out


def test_a_bad_row_leaves_nothing_behind(db, today, monkeypatch):
    real = generator.generate

    def broken(**kwargs):
        data = real(**kwargs)
        data.people[5]["单位编码"] = "NO-SUCH-UNIT"
        return data

    monkeypatch.setattr(generator, "generate", broken)
    with pytest.raises(DemoLoadError) as raised:
        load_demo(size="small")
    assert any("NO-SUCH-UNIT" in line for line in raised.value.lines)
    assert _footprint()[:3] == (0, 0, 0) and not User.objects.filter(username="admin").exists()


def test_leaders_are_positions_assigned_through_the_services(loaded):
    chief = Position.objects.get(unit__code=of.COMPANY_CODE, kind="head").person
    assert chief.title == "党委书记、总经理"
    assert Position.objects.filter(person=chief, party_org__code=of.COMPANY_PARTY_CODE, kind="secretary").exists()
    plant = Unit.objects.get(code="XLT")
    assert set(selectors.leaders_of(plant).values_list("kind", flat=True)) >= {"head", "deputy"}
    assert selectors.leaders_of(PartyOrg.objects.get(code="P-XLT")).filter(kind="secretary").count() == 1
    assert Position.objects.filter(unit__code="LH-ZZB", kind="in_charge").exists()
    assigned = AuditEntry.objects.filter(action="position.assign").count()
    assert assigned and assigned >= Position.objects.filter(unit__isnull=False).count()
    for branch in PartyOrg.objects.filter(kind=PartyOrg.Kind.BRANCH, abolished_on=None):
        assert branch.positions.filter(kind="secretary").count() == 1, branch.code


def test_the_tree_as_of_last_year_differs_from_today(loaded, today):
    before = selectors.states_as_of(Unit, dt.date(today.year - 1, 12, 31))
    now = selectors.states_as_of(Unit, today)
    hr = Unit.objects.get(code="LH-RLZY")
    assert not before[hr.pk]["ended"] and now[hr.pk]["ended"]
    organisation = Unit.objects.get(code="LH-ZZB")
    assert before[organisation.pk]["name"] == "党委组织部"
    assert now[organisation.pk]["name"] == "党委组织部（人力资源部）"
    centre = Unit.objects.get(code=of.VEHICLE_CENTRE_CODE)
    assert centre.pk not in before and centre.pk in now
    station = Unit.objects.get(code="XLT-CLZ")
    assert before[station.pk]["parent"] == Unit.objects.get(code="XLT").pk and station.parent == centre
    active_before = sum(1 for s in before.values() if not s["ended"])
    active_now = sum(1 for s in now.values() if not s["ended"])
    assert active_now < active_before


def test_this_years_changes_are_genuine_dated_and_audited(loaded, today):
    system = User.objects.get(username="system")
    changes = OrgChange.objects.filter(effective_date__year=today.year)
    kinds = set(changes.values_list("kind", flat=True))
    assert {"merge", "abolish", "rename", "move", "edit", "establish"} <= kinds
    assert set(changes.values_list("actor", flat=True)) == {system.pk}
    assert AuditEntry.objects.filter(action="unit.merge", actor=system).exists()
    between = selectors.changes_between(Unit, system, dt.date(today.year - 1, 12, 31), today)
    assert between.count() == changes.filter(unit__isnull=False).count()
    merged = Unit.objects.get(code="LH-RLZY")
    assert merged.people.count() == 0 and not merged.positions.exists()
    assert not system.has_usable_password()


def test_the_demo_accounts_log_in_with_the_documented_password(loaded, client):
    for username in ("admin", "viewer", "cy_admin", "zb_secretary"):
        response = client.post("/accounts/login/", {"username": username, "password": generator.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.session.get("_auth_user_id") == str(User.objects.get(username=username).pk)
        client.logout()
    assert not client.login(username="system", password="")


def test_each_demo_account_sees_what_its_scope_allows(loaded):
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "viewer", "cy_admin", "zb_secretary"])}
    all_units = Unit.objects.count()
    assert selectors.units(users["admin"]).count() == all_units
    assert selectors.units(users["viewer"]).count() == all_units
    assert selectors.people(users["viewer"]).count() == Person.objects.count()
    cyt = Unit.objects.get(code=of.PLANT_ADMIN_UNIT)
    plant_units = selectors.units(users["cy_admin"])
    assert set(plant_units.values_list("pk", flat=True)) == set(
        Unit.objects.filter(path__startswith=cyt.path).values_list("pk", flat=True))
    assert allows(users["cy_admin"], CHANGE, cyt)
    assert not allows(users["cy_admin"], CHANGE, Unit.objects.get(code=of.SECRETARY_PLANT))
    assert not allows(users["viewer"], CHANGE, cyt)
    branch = PartyOrg.objects.get(code=f"P-{of.SECRETARY_PLANT}-Z1")
    secretary = users["zb_secretary"]
    assert secretary.person.membership.party_org == branch
    assert Position.objects.filter(person=secretary.person, party_org=branch, kind="secretary").exists()
    members = selectors.people(secretary)
    assert members.exists()
    assert all(p.membership.party_org.path.startswith(branch.path) for p in members)
    assert not selectors.people(secretary).filter(unit__code__startswith=of.PLANT_ADMIN_UNIT).exists()
    assert users["viewer"].person and users["cy_admin"].person.unit.path.startswith(cyt.path)


def test_it_loads_on_new_years_day_when_every_reform_step_shares_that_date(db, settings):
    settings.RONGHE_TODAY = "2027-01-01"
    assert load_demo(size="small").loaded
    changes = OrgChange.objects.filter(effective_date__year=2027)
    assert set(changes.values_list("effective_date", flat=True)) == {dt.date(2027, 1, 1)}
    assert Unit.objects.get(code="LH-RLZY").abolished_on == dt.date(2027, 1, 1)
    assert selectors.states_as_of(Unit, dt.date(2026, 12, 31))[Unit.objects.get(code="LH-ZZB").pk]["name"] == "党委组织部"
