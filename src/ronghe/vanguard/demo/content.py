"""The words of the vanguard demo: carrier names and commitments, problems and their solutions,
as a plant's Party members would write them."""
from ronghe.vanguard.models import Carrier, CarrierRecognition, Problem

K, C = Carrier.Kind, Carrier.Category

POST_THEMES = ["安全生产", "精细注水", "油井管护", "设备维护", "节能降耗", "质量标兵", "技术攻关", "巡检保产"]
OFFICE_THEMES = ["服务基层", "精准施策", "数据质量", "效益提升"]
SUPPORT_TEAM_WORDS = ("化验", "运输", "特车", "维修", "外输", "污水")
ZONES = ["东部井组", "西部井组", "南部井组", "北部井组", "中心站区"]
PROJECTS = [("稠油上产", C.PRODUCTION), ("老井挖潜", C.PRODUCTION), ("降本增效", C.BUSINESS),
            ("数字化油田建设", C.RESEARCH), ("注水提质", C.PRODUCTION), ("措施增油", C.PRODUCTION)]

COMMITMENTS = {
    K.POST: ["不让一口井带病生产", "岗位无违章、设备无隐患、质量无差错", "一岗双责，干在前、冲在前",
             "巡检到位、参数准确、处置及时", "亮身份、作表率，争当岗位标兵"],
    K.ZONE: ["责任区内油水井开井率不低于98%", "责任区内隐患当日发现当日整改", "管好每一口井、每一条线"],
    K.PROJECT: ["集中攻关、限期突破，确保措施见效", "党员带头、技术领先，打造精品工程"],
}
TARGETS = {
    K.POST: ["时率98%以上，躺井率下降10%", "全年无安全环保事故", "单井能耗下降5%"],
    K.ZONE: ["自然递减率控制在8%以内", "责任区产量完成率100%", "注水合格率95%以上"],
    K.PROJECT: ["全年措施增油5000吨", "节约成本500万元", "形成可推广技术成果2项"],
}
SECTIONS = {
    "地质": (C.RESEARCH, True), "工艺": (C.RESEARCH, True), "生产": (C.PRODUCTION, True),
    "设备": (C.PRODUCTION, True), "安全": (C.PRODUCTION, True), "经营": (C.BUSINESS, False),
    "财务": (C.BUSINESS, False), "企管": (C.BUSINESS, False),
}
REVIEW_COMMENTS = {
    "excellent": "承诺践诺到位，攻关成效突出，示范带动作用明显", "good": "作用发挥较好，完成年度目标",
    "fair": "基本完成目标，攻关成效有待提升", "poor": "作用发挥不明显，需限期整改",
}
RECOGNITIONS = [
    (CarrierRecognition.Kind.NAMED, CarrierRecognition.Level.COMPANY, "公司级共产党员示范岗"),
    (CarrierRecognition.Kind.COMMENDED, CarrierRecognition.Level.UNIT, "优秀共产党员先锋岗"),
]
CLOSE_REASONS = ["设备已列入报废计划，不再单独攻关", "并入公司级科研项目统一攻关", "经论证暂不具备实施条件"]

PROBLEMS = {
    Problem.Category.TECHNICAL: [("{well}井结蜡严重、检泵周期短", "优化热洗周期，加装防蜡器"),
                                 ("{well}井供液不足、泵效低", "调小冲次，实施间抽制度"),
                                 ("{well}井出砂导致卡泵", "实施防砂措施，下入防砂筛管")],
    Problem.Category.PROCESS: [("{area}注水压力不稳定", "调整配注方案，更换注水调节阀"),
                               ("{area}集输回压偏高", "清洗集输管线，优化掺水流程"),
                               ("{area}原油含水化验误差大", "规范取样流程，增加复检环节")],
    Problem.Category.EQUIPMENT: [("{well}井抽油机频繁停机", "调整平衡块，更换电机控制柜"),
                                 ("{area}加热炉热效率低", "清除炉管结垢，加装余热回收装置"),
                                 ("{well}井抽油杆断脱频繁", "优化杆柱组合，加装扶正器")],
    Problem.Category.MANAGEMENT: [("{area}巡检路线重复、用时长", "重新规划巡检路线，推行数字化巡检"),
                                  ("{area}材料领用流程繁琐", "推行材料定额管理，简化审批环节")],
    Problem.Category.SAFETY: [("{area}井场油气泄漏隐患", "更换密封件，增设可燃气体报警仪"),
                              ("{area}冬季管线冻堵风险", "加装伴热带，完善冬防保温措施")],
    Problem.Category.OTHER: [("{area}员工操作技能不均衡", "开展岗位练兵和师带徒活动")],
}
DESCRIPTIONS = {
    Problem.Category.TECHNICAL: "影响单井产量，月均影响产油约30吨",
    Problem.Category.PROCESS: "影响系统运行效率和生产时率",
    Problem.Category.EQUIPMENT: "设备故障率高，维修费用大，影响生产时率",
    Problem.Category.MANAGEMENT: "流程不顺，占用人力多，效率低",
    Problem.Category.SAFETY: "存在安全环保风险，需尽快整改",
    Problem.Category.OTHER: "影响班组整体工作质量",
}


def section_category(name: str) -> tuple[str, bool]:
    """The category of a plant office's carriers, and whether they are tied to production."""
    for word, found in SECTIONS.items():
        if word in name:
            return found
    return C.SERVICE, False


def problem_text(rng, category, unit_name) -> tuple[str, str]:
    template, solution = rng.choice(PROBLEMS[category])
    well = f"{rng.choice('兴曙欢锦高沈茨')}{rng.randint(1, 99)}-{rng.randint(1, 40)}"
    return template.format(well=well, area=unit_name), solution


def description(category) -> str:
    return DESCRIPTIONS[category]
