"""The organisation pages in a real browser: log in, browse and search the trees, open a unit,
switch language, read the audit; screenshots of the main pages go to docs/screenshots/."""
import re

import pytest

from ronghe.org.models import Position
from tests import factories as f

CJK_FONTS = ("Noto Sans CJK", "Source Han Sans", "PingFang", "Microsoft YaHei", "WenQuanYi")


@pytest.fixture
def richer_org(org):
    """The shared small organisation with leaders and a few more people, for fuller pages."""
    head = f.person(org.plant, name="钱厂长", post="厂长", mobile="13600001234", birth_date="1972-08-09")
    Position.objects.create(person=head, unit=org.plant, kind=Position.Kind.HEAD, title="厂长")
    secretary = f.person(org.plant, org.plant_po, name="孙书记", post="党委书记")
    Position.objects.create(person=secretary, unit=org.plant, kind=Position.Kind.IN_CHARGE, title="党委书记")
    Position.objects.create(person=secretary, party_org=org.plant_po, kind=Position.Kind.SECRETARY, title="书记")
    for i, name in enumerate(["赵一", "钱二", "孙三", "李四海", "周五", "吴六"]):
        status = "probationary" if i == 2 else None
        f.person(org.area if i % 2 else org.team, org.branch if i < 4 else None, name=name, post="采油工",
                 mobile=f"1390000{i:04d}", **({"political_status": status} if status else {}))
    return org


def outside_requests(page, base_url):
    """Collect every request the page makes to anything but the live server."""
    seen = []
    page.on("request", lambda request: None if request.url.startswith((base_url, "data:")) else seen.append(request.url))
    return seen


def platform_fonts(page, selector):
    """The fonts Chromium actually used to draw the text of `selector` (via the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_logging_in_shows_the_home_page_with_the_scope(page, live_server, richer_org, personas, screenshot):
    outside = outside_requests(page, live_server.url)
    page.goto("/")
    assert "/accounts/login/" in page.url
    screenshot(page, "login")
    page.fill("#id_username", "plantadmin")
    page.fill("#id_password", "wrong-password")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    assert page.locator(".alert-danger").is_visible()
    page.fill("#id_password", "pass-word-123")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_selector("#scope-summary")
    assert page.locator('[data-stat="units"]').inner_text() == "3"
    assert page.locator("#sidebar-nav").get_by_role("link", name="单位").is_visible()
    page.wait_for_selector("#party-org-chart canvas")
    screenshot(page, "home")
    assert outside == []


def test_chinese_text_is_drawn_with_a_cjk_font(logged_in_page, richer_org, personas):
    page = logged_in_page(personas.viewer)
    page.goto("/units/CY1/")
    fonts = platform_fonts(page, ".page-title")
    assert fonts and all(any(name in font["familyName"] for name in CJK_FONTS) for font in fonts), fonts
    brand = platform_fonts(page, ".navbar-brand .brand-zh")
    assert any(any(name in font["familyName"] for name in CJK_FONTS) for font in brand), brand


def test_browsing_the_units_tree_loads_children_once_per_expansion(logged_in_page, live_server, richer_org, personas,
                                                                   screenshot):
    page = logged_in_page(personas.viewer)
    outside = outside_requests(page, live_server.url)
    loads = []
    page.on("request", lambda request: loads.append(request.url) if "/children/" in request.url else None)
    page.goto("/units/")
    hq = page.locator("li[data-code=HQ]")
    assert hq.locator("> .tree-row .tree-name").inner_text() == "总部"
    hq.locator("> .tree-row [data-tree-toggle]").click()
    plant = page.locator("li[data-code=CY1]")
    plant.wait_for()
    counts = plant.locator("> .tree-row .tree-counts").inner_text().split()
    assert counts == ["2", "9", "6"]  # sub-units, people, Party members in 采油一厂's subtree
    plant.locator("> .tree-row [data-tree-toggle]").click()
    page.locator("li[data-code=CY1-A1]").wait_for()
    page.locator("li[data-code=CY1-A1] > .tree-row [data-tree-toggle]").click()
    page.locator("li[data-code=CY1-A1-T1]").wait_for()
    assert len(loads) == 3
    screenshot(page, "units-tree")
    # collapsing and expanding again shows the loaded children without asking the server
    plant.locator("> .tree-row [data-tree-toggle]").click()
    assert page.locator("li[data-code=CY1-A1]").is_hidden()
    plant.locator("> .tree-row [data-tree-toggle]").click()
    assert page.locator("li[data-code=CY1-A1]").is_visible()
    assert len(loads) == 3
    assert outside == []


def test_searching_the_tree_shows_matches_with_their_path(logged_in_page, richer_org, personas, screenshot):
    page = logged_in_page(personas.viewer)
    page.goto("/units/")
    page.fill("#q", "作业")
    page.press("#q", "Enter")
    results = page.locator("#search-results")
    results.wait_for()
    assert "总部 / 采油一厂" in results.inner_text()
    assert "二厂作业区" in results.inner_text()
    screenshot(page, "units-search")
    results.get_by_text("作业一区").click()
    page.wait_for_url(re.compile(r"/units/CY1-A1/$"))


def test_opening_a_unit_shows_its_leaders_people_and_history(logged_in_page, richer_org, personas, screenshot):
    page = logged_in_page(personas.plant_admin)
    page.goto("/units/")
    page.locator("li[data-code=CY1] > .tree-row .tree-name").click()
    page.wait_for_url(re.compile(r"/units/CY1/$"))
    assert page.locator(".page-title").inner_text().startswith("采油一厂")
    assert "钱厂长" in page.locator("#leaders").inner_text()
    assert "一厂党委" in page.locator("#party-orgs").inner_text()
    assert "王铁人" in page.locator("#people-card").inner_text()
    assert "13800001111" in page.locator("#people-card").inner_text()  # the plant's admin sees personal data
    screenshot(page, "unit-detail")


def test_a_viewer_sees_masked_personal_data(logged_in_page, richer_org, personas, screenshot):
    page = logged_in_page(personas.viewer)
    page.goto("/people/?unit=CY1")
    assert "138****1111" in page.locator("#people").inner_text()
    screenshot(page, "people")
    page.get_by_role("link", name="王铁人").click()
    page.locator("#mobile").wait_for()
    assert page.locator("#mobile").inner_text() == "138****1111"
    assert page.locator("#birth-date").inner_text() == "1980-**-**"
    screenshot(page, "person-detail")


def test_the_party_tree_runs_from_committee_to_group(logged_in_page, richer_org, personas, screenshot):
    page = logged_in_page(personas.viewer)
    page.goto("/party-orgs/")
    for code in ["P-ROOT", "P-CY1", "P-CY1-B1"]:
        page.locator(f"li[data-code={code}] > .tree-row [data-tree-toggle]").click()
    page.locator("li[data-code=P-CY1-B1-G1]").wait_for()
    screenshot(page, "party-orgs-tree")
    page.goto("/party-orgs/P-CY1-B1/")
    assert "赵一" in page.locator("#people-card").inner_text()
    screenshot(page, "party-org-detail")


def test_switching_to_english_and_back(logged_in_page, richer_org, personas, screenshot):
    page = logged_in_page(personas.viewer)
    page.goto("/units/CY1/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.locator("#language-switch button[value=en]").click()
    page.wait_for_selector("html[lang=en]")
    assert page.url.endswith("/units/CY1/")
    assert "Units" in page.locator("#sidebar-nav").inner_text()
    assert "采油一厂" in page.locator(".page-title").inner_text()  # data stays as written
    assert "Jan. 1, 2020" in page.locator("#history").inner_text()
    screenshot(page, "unit-detail-en")
    page.locator("#language-switch button[value=zh-hans]").click()
    page.wait_for_selector("html[lang=zh-hans]")
    assert "2020年1月1日" in page.locator("#history").inner_text()


def test_the_audit_page_lists_changes_in_scope(logged_in_page, richer_org, personas, screenshot):
    page = logged_in_page(personas.superuser)
    page.goto("/units/CY1-A1/rename/")
    page.fill("#id_name", "采油作业一区")
    page.fill("#id_reason", "机构调整")
    page.click("#node-form button[type=submit]")
    page.wait_for_url(re.compile(r"/units/CY1-A1/$"))
    assert "采油作业一区" in page.locator(".page-title").inner_text()
    page.locator("#sidebar-nav").get_by_role("link", name="审计记录").click()
    page.wait_for_url(re.compile(r"/audit/$"))
    first = page.locator("#audit-entries tbody tr").first
    assert "更名" in first.inner_text() and first.locator("[title=\"unit.rename\"]").count() == 1
    assert "作业一区" in first.locator(".diff-before").inner_text()
    assert "采油作业一区" in first.locator(".diff-after").inner_text()
    screenshot(page, "audit")
    page.select_option("#object_type", "org.person")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_url(re.compile(r"object_type=org.person"))
    assert page.locator("#audit-entries [title=\"unit.rename\"]").count() == 0


def test_a_service_error_shows_on_the_unit_form(logged_in_page, richer_org, personas, screenshot):
    page = logged_in_page(personas.plant_admin)
    page.goto("/units/CY1/")
    page.get_by_role("link", name="新建下级单位").click()
    page.wait_for_url(re.compile(r"/units/new/\?parent=CY1$"))
    page.fill("#id_code", "CY1-A1")
    page.fill("#id_name", "重复的作业区")
    page.click("#node-form button[type=submit]")
    page.locator(".invalid-feedback").first.wait_for()
    screenshot(page, "unit-form")
    page.fill("#id_code", "CY1-A2")
    page.click("#node-form button[type=submit]")
    page.wait_for_url(re.compile(r"/units/CY1-A2/$"))
    assert "重复的作业区" in page.locator(".page-title").inner_text()


def test_an_api_token_is_shown_once(logged_in_page, richer_org, personas, screenshot):
    page = logged_in_page(personas.viewer)
    page.locator("#user-menu").click()
    page.get_by_role("link", name="我的接口令牌").click()
    page.wait_for_url(re.compile(r"/accounts/tokens/$"))
    page.fill("#id_name", "月报脚本")
    page.click("#token-form button[type=submit]")
    key = page.locator(".token-once").inner_text()
    assert key.startswith("rh_")
    screenshot(page, "api-tokens")
    page.reload()
    assert page.locator(".token-once").count() == 0
    assert "月报脚本" in page.locator("#tokens").inner_text()
