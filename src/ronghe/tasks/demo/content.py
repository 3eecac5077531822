"""The reform leading group's two master plans as in the report: 三项制度改革总方案 with 19 key
tasks and “油公司”模式改革总方案 with 13, owned by the reform office (改革办); ten sub-plans
(子方案) led by the Organisation Department (党委组织部) under key tasks of the first. Plain
data: unit codes of the demo oilfield (org.demo.oilfield) and the profile each task follows."""
from dataclasses import dataclass

from ronghe.tasks.demo.timelines import Profile as P
from ronghe.tasks.rules import Cycle

REFORM_OFFICE = "LH-GGB"
ORGANISATION_DEPT = "LH-ZZB"
THREE_SYSTEMS = "三项制度改革总方案"
OIL_COMPANY = "“油公司”模式改革总方案"
GENERIC_NODES = ("完成调研摸底和实施方案", "全面组织实施", "总结评估、巩固成果")


@dataclass(frozen=True)
class SubTask:
    name: str
    lead: str
    profile: P
    nodes: tuple[str, str, str] = GENERIC_NODES


@dataclass(frozen=True)
class SubPlan:
    name: str
    tasks: tuple[SubTask, ...]


@dataclass(frozen=True)
class KeyTask:
    name: str
    lead: str                      # the lead unit's code; its 分管领导 leads the task
    co: tuple[str, ...]            # co-operating units
    profile: P
    goal: str
    measures: str
    nodes: tuple[str, str, str]
    responsible: str = ""          # the unit whose head is responsible; the lead unit by default
    cycle: Cycle = Cycle.MONTHLY
    sub_plan: SubPlan | None = None
    children: tuple[SubTask, ...] = ()


@dataclass(frozen=True)
class MasterPlan:
    name: str
    description: str
    tasks: tuple[KeyTask, ...]


def _sub(name, *tasks):
    return SubPlan(name, tuple(SubTask(*t) for t in tasks))


THREE_SYSTEMS_PLAN = MasterPlan(THREE_SYSTEMS, "深化劳动、人事、分配三项制度改革，经公司深化改革领导小组审议印发。", (
    KeyTask("优化机关机构设置，推进机关大部制改革", "LH-ZZB", ("LH-GGB", "LH-QGFG"), P.CLOSED,
            "机关处室整合为大部制，机构数量压减20%以上", "制定机关机构改革方案，分批整合职能相近处室，同步调整党组织设置",
            ("完成机构改革方案审批", "完成处室整合和人员划转", "完成新“三定”规定印发"),
            sub_plan=_sub("机关机构改革实施方案",
                          ("人力资源部并入党委组织部", "LH-ZZB-01", P.CLOSED),
                          ("市场管理处并入企管法规部", "LH-ZZB-02", P.DONE_ON_TIME),
                          ("设备处并入生产运行处", "LH-ZZB-02", P.DONE_ON_TIME))),
    KeyTask("压减二级单位机构和科级机构", "LH-ZZB", ("LH-GGB", "LH-RLZY-01"), P.ON_TRACK,
            "二级单位机关科室压减30%，科级机构压减101个", "科室整合、作业区合并，超编人员分流安置",
            ("完成机构压减测算", "完成科室整合", "完成作业区整合"), cycle=Cycle.HALF_MONTHLY,
            sub_plan=_sub("二级单位机构压减实施方案",
                          ("采油厂机关科室整合", "LH-ZZB-01", P.DONE_ON_TIME),
                          ("兴隆台采油厂作业区整合", "XLT", P.ON_TRACK),
                          ("茨榆坨采油厂作业区整合", "CYT", P.LAGGING),
                          ("曙光采油厂作业区整合", "SG", P.ON_TRACK))),
    KeyTask("核定管理人员编制，制定新“五定”方案", "LH-ZZB", ("LH-GGB", "LH-CWC"), P.DONE_ON_TIME,
            "定职能、定机构、定编制、定职数、定员，管理人员编制压减420个", "逐单位核定编制，印发新“五定”方案",
            ("完成编制测算", "完成方案征求意见", "印发新“五定”方案"),
            sub_plan=_sub("新“五定”方案编制工作方案",
                          ("机关部门“五定”", "LH-ZZB-01", P.DONE_ON_TIME),
                          ("二级单位“五定”", "LH-ZZB-02", P.DONE_ON_TIME),
                          ("基层单位定员标准修订", "LH-RLZY-01", P.CLOSED))),
    KeyTask("推行经理层成员任期制和契约化管理", "LH-ZZB", ("LH-QGFG", "LH-CWC"), P.LAGGING,
            "二级单位经理层成员任期制和契约化管理全覆盖", "签订岗位聘任协议和经营业绩责任书，刚性考核、刚性兑现",
            ("印发任期制和契约化管理办法", "完成“两书”签订", "完成年度考核兑现"), responsible="LH-ZZB-02",
            sub_plan=_sub("经理层成员任期制和契约化管理实施方案",
                          ("制定经营业绩考核指标体系", "LH-ZZB-02", P.DONE_ON_TIME),
                          ("签订岗位聘任协议和业绩责任书", "LH-ZZB-02", P.LAGGING),
                          ("开展任期考核和薪酬兑现", "LH-RLZY-02", P.NOT_STARTED))),
    KeyTask("推进管理人员竞争上岗、末等调整和不胜任退出", "LH-ZZB", ("LH-JWB",), P.ON_TRACK,
            "管理人员能上能下，末等调整和不胜任退出比例不低于3%", "全面推行竞争上岗，年度考核末位调整",
            ("印发管理人员退出办法", "完成竞争上岗", "完成末等调整"), responsible="LH-ZZB-02",
            sub_plan=_sub("管理人员竞争上岗实施方案",
                          ("机关管理岗位竞争上岗", "LH-ZZB-02", P.DONE_ON_TIME),
                          ("二级单位中层岗位竞争上岗", "LH-ZZB-02", P.ON_TRACK),
                          ("末等调整和不胜任退出", "LH-ZZB-02", P.MILESTONE_SOON))),
    KeyTask("开展职业经理人制度试点", "LH-ZZB", ("LH-QGFG",), P.UNACKNOWLEDGED,
            "选择2家单位开展职业经理人试点", "市场化选聘，契约化管理，差异化薪酬",
            ("确定试点单位", "完成市场化选聘", "形成试点经验"), responsible="LH-ZZB-02"),
    KeyTask("深化专业技术岗位序列改革", "LH-ZZB", ("LH-KJXX",), P.EXTENDED,
            "建立独立的专业技术岗位序列，打通技术人员晋升通道", "设置技术专家岗位，实行聘期考核",
            ("印发岗位序列改革方案", "完成首批技术专家选聘", "完成聘期考核"),
            sub_plan=_sub("专业技术岗位序列改革实施方案",
                          ("制定专业技术岗位设置标准", "LH-ZZB-02", P.DONE_ON_TIME),
                          ("首批技术专家选聘", "LH-ZZB-02", P.ON_TRACK),
                          ("技术专家聘期考核办法", "LH-RLZY-02", P.DRAFT))),
    KeyTask("拓宽技能人才成长通道，推行技能专家评聘", "LH-ZZB", ("LH-GH",), P.DUE_SOON,
            "建立首席技师、技能专家评聘机制", "开展技能等级认定，评聘技能专家",
            ("印发技能专家评聘办法", "完成技能等级认定", "完成技能专家评聘"), responsible="LH-RLZY-03",
            sub_plan=_sub("技能人才评聘实施方案",
                          ("技能等级自主认定", "LH-RLZY-03", P.DONE_ON_TIME),
                          ("技能专家评聘", "LH-RLZY-03", P.DUE_SOON),
                          ("技能大师工作室建设", "SG", P.ON_TRACK))),
    KeyTask("严控用工总量，推进减员增效", "LH-ZZB", ("LH-CWC", "LH-JHC"), P.REPORT_LATE,
            "用工总量较上年净减少5%", "严控新增用工，盘活存量，推进减员增效",
            ("下达用工总量控制计划", "完成富余人员摸底", "完成年度减员目标"), responsible="LH-RLZY-01",
            sub_plan=_sub("用工总量控制实施方案",
                          ("下达各单位用工总量控制指标", "LH-RLZY-01", P.DONE_ON_TIME),
                          ("兴隆台采油厂减员增效", "XLT", P.REPORT_LATE),
                          ("茨榆坨采油厂减员增效", "CYT", P.ON_TRACK))),
    KeyTask("推进富余人员内部市场化配置", "LH-ZZB", ("LH-QGFG", "LH-GH"), P.BLOCKED,
            "建立内部人力资源市场，富余人员转岗率达到80%", "搭建内部人才市场，开展转岗培训，推进跨单位调剂",
            ("建立内部人力资源市场", "完成首批转岗培训", "完成跨单位调剂"), responsible="LH-RLZY-01",
            sub_plan=_sub("富余人员转岗安置实施方案",
                          ("搭建内部人才交流平台", "LH-RLZY-01", P.ON_TRACK),
                          ("开展转岗培训", "LH-RLZY-03", P.BLOCKED),
                          ("跨单位劳务输出", "CYT", P.UNACKNOWLEDGED))),
    KeyTask("规范劳务派遣和业务外包用工", "LH-QGFG", ("LH-ZZB",), P.IGNORED,
            "劳务派遣用工比例控制在10%以内", "清理规范劳务派遣，业务外包合同化管理",
            ("完成用工清理", "完成合同规范", "建立常态化监管"), cycle=Cycle.QUARTERLY),
    KeyTask("深化工资总额决定机制改革", "LH-CWC", ("LH-ZZB", "LH-JHC"), P.MILESTONE_MISSED,
            "工资总额与效益效率同向联动", "实行工资总额预算管理，效益联动、效率调节",
            ("印发工资总额管理办法", "完成工资总额预算分解", "完成清算兑现")),
    KeyTask("完善全员绩效考核体系", "LH-ZZB", ("LH-QGFG", "LH-CWC"), P.ON_TRACK,
            "全员绩效考核覆盖率100%", "分层分类设置考核指标，考核结果与薪酬、岗位挂钩",
            ("印发全员绩效考核办法", "完成考核系统上线", "完成年度考核"), responsible="LH-RLZY-02",
            sub_plan=_sub("全员绩效考核实施方案",
                          ("制定分层分类考核指标", "LH-RLZY-02", P.DONE_ON_TIME),
                          ("绩效考核信息系统上线", "LH-KJXX-02", P.ON_TRACK),
                          ("考核结果应用", "LH-RLZY-02", P.ON_TRACK))),
    KeyTask("推进薪酬分配向一线和关键岗位倾斜", "LH-ZZB", ("LH-CWC",), P.SILENT,
            "一线员工收入增幅高于机关", "调整岗位工资结构，设立关键岗位津贴",
            ("完成薪酬结构调整方案", "落实一线津贴", "完成年度兑现"), responsible="LH-RLZY-02"),
    KeyTask("实施科技成果转化中长期激励", "LH-KJXX", ("LH-CWC", "LH-ZZB"), P.FAR_BEHIND,
            "科技成果转化项目激励全覆盖", "实施项目收益分红和岗位分红",
            ("印发激励实施办法", "完成首批项目评审", "完成激励兑现")),
    KeyTask("健全干部监督和容错纠错机制", "LH-JWB", ("LH-ZZB",), P.DONE_LATE,
            "为担当者担当，为干事者撑腰", "制定容错纠错实施细则，建立澄清正名机制",
            ("完成调研", "印发实施细则", "组织宣贯")),
    KeyTask("构建分层分类员工培训体系", "LH-ZZB", ("LH-KJXX",), P.SUBMITTED,
            "员工年度培训覆盖率95%以上", "分层分类开展培训，建设网络培训平台",
            ("印发培训体系建设方案", "网络培训平台上线", "完成年度培训计划"), responsible="LH-RLZY-03"),
    KeyTask("建设人力资源共享服务平台", "LH-KJXX", ("LH-ZZB", "LH-CWC"), P.OVERDUE,
            "人事、薪酬、社保业务线上集中办理", "建设人力资源共享服务中心和信息平台",
            ("完成需求调研", "完成平台开发", "平台上线运行"), responsible="LH-KJXX-02"),
    KeyTask("加强改革宣传和思想政治工作", "LH-XCB", ("LH-GH", "LH-TW"), P.MILESTONE_SOON,
            "凝聚改革共识，营造良好改革氛围", "开展形势任务教育，宣传改革典型，做好思想疏导",
            ("制定宣传工作方案", "开展形势任务教育", "总结推广改革典型")),
))

OIL_COMPANY_PLAN = MasterPlan(OIL_COMPANY, "推进“油公司”模式改革，做强油气主营业务，经公司深化改革领导小组审议印发。", (
    KeyTask("推进油气主营业务归核化发展", "LH-QGFG", ("LH-JHC", "LH-KFC"), P.ON_TRACK,
            "主营业务资产占比提高到85%", "剥离非主营业务，优化资产结构",
            ("完成业务梳理", "完成非主营业务剥离方案", "完成资产划转")),
    KeyTask("推进采油厂机关科室整合", "LH-GGB", ("LH-ZZB", "LH-QGFG"), P.DONE_ON_TIME,
            "采油厂机关科室压减30%", "企管法规科并入经营管理科，推行大科室制",
            ("完成整合方案", "完成科室整合", "完成人员定岗")),
    KeyTask("推进作业区“油公司”模式管理改革", "LH-SCYX", ("LH-KFC", "LH-ZZB"), P.ON_TRACK,
            "作业区管理层级压减为“厂—作业区—班站”三级", "推行作业区扁平化管理，整合作业区",
            ("完成试点方案", "完成试点作业区改革", "全面推广"), cycle=Cycle.HALF_MONTHLY,
            children=(SubTask("兴隆台采油厂作业区改革试点", "XLT", P.ON_TRACK),
                      SubTask("茨榆坨采油厂作业区改革试点", "CYT", P.RETURNED),
                      SubTask("曙光采油厂作业区改革试点", "SG", P.LAGGING))),
    KeyTask("推进车辆系统专业化重组", "LH-SCYX", ("LH-ZZB", "LH-CWC"), P.CLOSED,
            "组建车辆服务中心，各采油厂车辆管理站整体划转", "成立车辆服务中心，统一调度、集中管理",
            ("成立车辆服务中心", "完成车辆管理站划转", "完成运行机制建设")),
    KeyTask("推进矿区服务业务专业化移交", "LH-QGFG", ("LH-ZZB", "LH-CWC"), P.DONE_LATE,
            "矿区服务业务全部移交专业化单位", "撤销采油厂矿区服务科，业务人员随业务移交",
            ("完成移交方案", "完成业务和资产移交", "完成人员安置")),
    KeyTask("推进工程技术服务市场化运作", "LH-JHC", ("LH-QGFG",), P.UNACKNOWLEDGED,
            "工程技术服务全部实行市场化定价", "建立内部市场价格体系，推行竞争性选商",
            ("完成价格体系测算", "印发内部市场管理办法", "全面推行")),
    KeyTask("推进物资供应集中采购改革", "LH-QGFG", ("LH-CWC",), P.EXTENSION_PENDING,
            "集中采购率达到95%", "整合采购渠道，推行框架协议采购",
            ("完成采购目录梳理", "完成框架协议招标", "全面推行集中采购")),
    KeyTask("推进数字化转型和智能油田建设", "LH-KJXX", ("LH-SCYX", "LH-KFC"), P.NOT_STARTED,
            "建成无人值守站200座", "推进物联网建设，实施中心站集中监控",
            ("完成建设方案", "完成首批站场改造", "完成验收")),
    KeyTask("推行生产运行“中心站”管理", "LH-SCYX", ("LH-KJXX",), P.DUE_SOON,
            "中心站管理覆盖全部采油厂", "以中心站为单元集中监控、区域巡检",
            ("完成中心站布局", "完成中心站建设", "全面运行")),
    KeyTask("深化内部模拟市场化运营", "LH-JHC", ("LH-CWC", "LH-QGFG"), P.REPORT_LATE,
            "二级单位全部实行模拟市场化核算", "建立内部结算价格，单井效益核算",
            ("完成结算价格制定", "完成单井核算系统", "全面运行")),
    KeyTask("推进亏损单位扭亏解困", "LH-QGFG", ("LH-CWC", "LH-XCB"), P.ON_TRACK,
            "亏损单位同比减亏1.2亿元", "党群部门结对帮扶，一企一策制定扭亏方案",
            ("完成结对帮扶安排", "完成扭亏解困方案", "完成年度减亏目标")),
    KeyTask("推进投资项目全生命周期管理", "LH-JHC", ("LH-CWC",), P.CANCELLED,
            "投资项目全过程闭环管理", "建立项目前期、实施、后评价全过程管理机制",
            ("完成制度修订", "完成系统改造", "全面运行")),
    KeyTask("完善“油公司”模式制度体系", "LH-QGFG", ("LH-GGB",), P.DRAFT,
            "形成与“油公司”模式相适应的制度体系", "废改立制度，编制制度汇编",
            ("完成制度梳理", "完成废改立", "印发制度汇编")),
))

MASTER_PLANS = (THREE_SYSTEMS_PLAN, OIL_COMPANY_PLAN)
