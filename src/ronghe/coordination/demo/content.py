"""What the coordination demo says: requests the loss-making units raise to the headquarters
departments paired with them (结对帮扶), and the clear answers (明确答复) they received."""
from dataclasses import dataclass

# (loss-making unit, the HQ department paired with it); units absent from a small demo are skipped.
PAIRS = (
    ("ZLGS", "LH-XCB"),    # 筑路公司 ← 党委宣传部
    ("YJGS", "LH-ZZB"),    # 油建公司 ← 党委组织部
    ("JXZZ", "LH-GH"),     # 机械制造公司 ← 工会
    ("HJGC", "LH-DB"),     # 环境工程公司 ← 党委办公室
    ("GCJS", "LH-TW"),     # 工程技术公司 ← 团委
)


@dataclass(frozen=True)
class Item:
    pair: int            # index into the pairs present
    to: str              # the HQ department that must answer
    category: str
    title: str
    description: str
    answer: str = ""     # empty: still open
    late: bool = False   # answered after its due date
    accepted: bool = True


ANSWERED = (
    Item(0, "LH-SCGL", "market", "申请将油区道路维修纳入内部市场优先保障",
         "筑路公司施工能力富余，请市场管理处协调将油区道路维修、井场道路新建工程优先委托公司承担。",
         "经研究，自本季度起油区道路维修工程在同等条件下优先委托筑路公司，市场管理处已下发通知，首批3项工程已签约。"),
    Item(0, "LH-CWC", "funding", "请求协调拖欠工程款结算",
         "2025年完成的5项内部工程尚未结算，影响公司资金周转，请财务处协调有关单位尽快结算。",
         "财务处已组织有关单位对账，5项工程款已于本月底前全部结算到位。"),
    Item(0, "LH-RLZY", "staffing", "申请富余人员内部转岗培训支持",
         "公司有富余人员约60人，请人力资源部支持开展转岗培训并提供岗位需求信息。",
         "人力资源部已将筑路公司纳入全油田转岗培训计划，首期培训30人，并推送了12个岗位需求。", late=True),
    Item(1, "LH-JHC", "funding", "请求调整年度投资计划中的设备更新项目",
         "油建公司部分施工设备老化严重，请计划处在年度投资计划中安排设备更新资金。",
         "计划处已在年中投资计划调整中安排设备更新资金380万元，请按程序编制实施方案。"),
    Item(1, "LH-SCGL", "market", "协调开拓外部市场资质办理",
         "公司拟参与地方管道工程投标，需办理相关施工资质，请市场管理处协调办理。",
         "市场管理处已协助完成资质申报材料审核，资质证书已于上月取得。"),
    Item(1, "LH-ZLAH", "production", "请求明确施工现场安全标准化验收标准",
         "新的施工现场安全标准化要求与公司现行做法不一致，请质量安全环保处明确验收标准。",
         "质量安全环保处已印发施工现场安全标准化验收细则，并安排专人到现场培训指导。"),
    Item(2, "LH-SBC", "equipment", "申请承接油田设备大修业务",
         "机械制造公司具备抽油机、泵类设备大修能力，请设备处协调将部分大修业务委托公司承担。",
         "设备处同意将抽油机大修业务分批委托机械制造公司，已签订年度框架协议。"),
    Item(2, "LH-QGFG", "policy", "请求明确内部关联交易定价办法",
         "内部关联交易价格长期未调整，低于成本，请企管法规部明确定价办法。",
         "企管法规部已修订内部关联交易定价办法，按成本加合理利润定价，自下月起执行。"),
    Item(3, "LH-ZLAH", "policy", "请求明确危废处置费用标准",
         "危险废物处置收费标准不统一，请质量安全环保处明确费用标准。",
         "质量安全环保处会同财务处制定了危废处置费用标准，已下发各单位执行。"),
    Item(3, "LH-KJXX", "production", "申请污水处理新工艺科研立项",
         "公司研发的污水处理新工艺需进一步试验，请科技信息处支持立项。",
         "科技信息处已将该工艺列入本年度科研项目，安排经费60万元。", accepted=False),
    Item(4, "LH-KFC", "production", "请求提供措施作业工作量计划",
         "为合理安排队伍，请开发处提前提供下季度措施作业工作量计划。",
         "开发处已按月提供措施作业工作量计划，下季度计划已发送公司。"),
    Item(4, "LH-CWC", "funding", "请求协调降低内部资金占用费率",
         "公司内部借款资金占用费率偏高，请财务处研究降低。",
         "财务处已对扭亏单位执行优惠资金占用费率，下浮20%，自本月起执行。", accepted=False),
)

OPEN = (
    Item(0, "LH-JJC", "market", "申请参与油田基建工程道路配套项目",
         "请基建处在新井场道路配套项目中征求筑路公司意见，提前沟通工程计划。"),
    Item(1, "LH-CWC", "funding", "请求协调预付工程备料款",
         "大型工程备料资金压力大，请财务处协调建设单位按合同预付备料款。"),
    Item(2, "LH-RLZY", "staffing", "申请核增技能人才岗位编制",
         "公司承接设备大修业务后技能人才不足，请人力资源部核增技能岗位编制。"),
)
# The overdue one, escalated by the scheduler to the company.
OVERDUE = Item(0, "LH-SCGL", "market", "请求协调外部市场项目结算争议",
               "地方道路项目结算存在争议，需油田层面协调，请市场管理处牵头解决。")
# Forwarded: the department it went to passes it to the one that can answer.
FORWARDED = (Item(1, "LH-JHC", "funding", "请求安排施工队伍转场费用",
                  "跨区域施工转场费用未列入计划，请协调解决。"), "LH-CWC", "转场费用归口财务处管理。")

# From demo tasks: raised by the lead unit, answered and accepted, so the task's light today is
# what the task demo gives it.
FROM_TASKS = (
    ("请求协调机构调整方案审批进度", "方案需多部门会签，请协调加快审批。",
     "已组织会签，方案于三日内完成审批。"),
    ("请求明确定员标准测算口径", "定员测算口径不统一，请明确。",
     "已下发定员标准测算口径说明，并组织专题培训。"),
)
