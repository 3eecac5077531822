"""The shape of the reference oilfield: which departments, plants and service units exist, what
sections and grassroots units each kind of unit has, and what their teams are called. Plain data;
the generator turns it into rows. Modelled on Liaohe Oilfield as described in the seed article;
every personal name in the demo is invented."""
from dataclasses import dataclass, field

COMPANY_CODE = "LH"
COMPANY_NAME = "辽河油田公司"
COMPANY_PARTY_CODE = "P-LH"
COMPANY_PARTY_NAME = "辽河油田公司党委"
HQ_PARTY_CODE = "P-LH-JG"
HQ_PARTY_NAME = "公司机关党委"

@dataclass(frozen=True)
class Leader:
    """A member of the company's leadership team (a person of the headquarters unit), with the
    Positions they hold on the company unit and on the company's party committee."""

    key: str
    title: str
    unit_kind: str = ""
    unit_title: str = ""
    party_kind: str = "committee_member"
    party_title: str = "党委常委"


COMPANY_LEADERS = [
    Leader("chief", "党委书记、总经理", "head", "总经理", "secretary", "党委书记"),
    Leader("deputy_secretary", "党委副书记、工会主席", party_kind="deputy_secretary", party_title="党委副书记"),
    Leader("exploration", "副总经理", "deputy", "副总经理"),
    Leader("production", "副总经理", "deputy", "副总经理"),
    Leader("engineering", "副总经理", "deputy", "副总经理"),
    Leader("business", "副总经理", "deputy", "副总经理"),
    Leader("discipline", "党委常委、纪委书记", party_title="党委常委、纪委书记"),
    Leader("finance", "总会计师", "deputy", "总会计师"),
]


@dataclass(frozen=True)
class Department:
    """A headquarters functional department (机关部门, 处级)."""

    code: str
    name: str
    in_charge: str  # key of the company leader who is its 分管领导
    sections: tuple[str, ...] = ()
    staff_post: str = "主管"
    established: str = "1999-07-01"
    party_mass: bool = False  # one of the Party and mass-organisation departments (党群部门)


HQ_DEPARTMENTS = [
    Department("DB", "党委办公室", "deputy_secretary", ("综合科", "秘书科", "督查督办科"), "政工师", party_mass=True),
    Department("ZZB", "党委组织部", "deputy_secretary", ("组织科", "干部科", "党员教育科"), "政工师", party_mass=True),
    Department("XCB", "党委宣传部", "deputy_secretary", ("宣传科", "企业文化科", "新闻中心"), "政工师",
               party_mass=True),
    Department("QGFG", "企管法规部", "business", ("企业管理科", "法律事务科", "内控科"), "经济师"),
    Department("GGB", "改革办（深化改革领导小组办公室）", "chief", ("综合协调科", "改革推进科"), "经济师",
               established="2014-03-01"),
    Department("RLZY", "人力资源部", "deputy_secretary", ("劳动组织科", "薪酬科", "培训科"), "经济师"),
    Department("CWC", "财务处", "finance", ("会计科", "资金科", "预算科"), "会计师"),
    Department("JHC", "计划处", "business", ("计划科", "投资科", "统计科"), "经济师"),
    Department("JJC", "基建处", "engineering", ("工程管理科", "造价科"), "工程师"),
    Department("WWXF", "维稳信访办", "deputy_secretary", ("信访接待科", "维稳科"), "政工师", party_mass=True),
    Department("JWB", "纪委办公室", "discipline", ("综合科", "监督检查科", "审查调查科"), "政工师",
               party_mass=True),
    Department("GH", "工会", "deputy_secretary", ("生产保障部", "女工部"), "政工师", party_mass=True),
    Department("TW", "团委", "deputy_secretary", (), "政工师", party_mass=True),
    Department("KFC", "开发处", "exploration", ("油藏管理科", "采油工程科"), "工程师"),
    Department("KTC", "勘探处", "exploration", ("勘探部署科", "储量科"), "工程师"),
    Department("SCYX", "生产运行处", "production", ("调度中心", "运行科"), "工程师"),
    Department("ZLAH", "质量安全环保处", "production", ("安全科", "环保科", "质量科"), "安全工程师"),
    Department("KJXX", "科技信息处", "exploration", ("科技科", "信息化科"), "工程师"),
    Department("SJC", "审计处", "finance", ("审计一科", "审计二科"), "审计师"),
    Department("SBC", "设备处", "engineering", ("设备科", "能源科"), "工程师", established="2003-01-01"),
    Department("SCGL", "市场管理处", "business", ("市场科", "合同科"), "经济师", established="2005-01-01"),
]


@dataclass(frozen=True)
class Grassroots:
    """A grassroots unit template (基层单位, 科级): its code suffix, name, and teams."""

    code: str
    name: str
    teams: tuple[tuple[str, str], ...]  # (code suffix, team name)


@dataclass(frozen=True)
class Secondary:
    """A secondary unit (二级单位, 处级): a production plant, an institute or a service unit."""

    code: str
    name: str
    family: str  # "plant", "institute" or "service"
    established: str = "1999-07-01"
    small: bool = False  # a 党总支 instead of a 党委
    area_prefix: str = "采油作业"  # plants: "<prefix>一区" …
    grassroots: tuple[Grassroots, ...] = field(default_factory=tuple)
    head_title: str = "厂长"


PLANT_SECTIONS = [
    ("BGS", "办公室", "主管"), ("DQK", "党群工作科", "政工师"), ("RSK", "组织人事科", "政工师"),
    ("SCK", "生产运行科", "工程师"), ("JYK", "经营管理科", "经济师"), ("CWK", "财务科", "会计师"),
    ("AQK", "质量安全环保科", "安全工程师"), ("DZS", "地质研究所", "地质工程师"),
    ("GYS", "工艺研究所", "采油工艺工程师"), ("SBK", "设备管理科", "设备工程师"),
    ("QGK", "企管法规科", "经济师"), ("KQK", "矿区服务科", "主管"),
]
# Sections that the plants' part of this year's reform merges or abolishes.
PLANT_SECTION_MERGED = ("QGK", "JYK")  # 企管法规科 → 经营管理科
PLANT_SECTION_ABOLISHED = "KQK"  # 矿区服务科: the mining-area services went to a specialised unit
SERVICE_SECTIONS = [
    ("BGS", "办公室", "主管"), ("DQK", "党群工作科", "政工师"), ("JYK", "经营计划科", "经济师"),
    ("CWK", "财务科", "会计师"), ("GCK", "工程技术科", "工程师"), ("AQK", "安全环保科", "安全工程师"),
]
INSTITUTE_SECTIONS = [
    ("BGS", "办公室", "主管"), ("DQK", "党群工作科", "政工师"), ("KYK", "科研管理科", "工程师"),
    ("JYK", "经营财务科", "经济师"),
]

PLANT_SUPPORT = (
    Grassroots("LHZ", "联合站", (("TS", "脱水班"), ("WS", "外输班"), ("HY", "化验班"), ("WSC", "污水处理班"))),
    Grassroots("ZYD", "作业大队", (("D1", "作业一队"), ("D2", "作业二队"), ("D3", "作业三队"))),
    Grassroots("CLZ", "车辆管理站", (("Y1", "运输一队"), ("TC", "特车队"))),
)
AREA_TEAMS_AFTER_PRODUCTION = (("JS", "集输班"), ("ZS", "注水班"), ("WX", "维修班"))


def _gr(code, name, *teams):
    return Grassroots(code, name, tuple(teams))


SECONDARY_UNITS = [
    Secondary("XLT", "兴隆台采油厂", "plant"),
    Secondary("SG", "曙光采油厂", "plant"),
    Secondary("HXL", "欢喜岭采油厂", "plant"),
    Secondary("JZ", "锦州采油厂", "plant"),
    Secondary("GS", "高升采油厂", "plant"),
    Secondary("SY", "沈阳采油厂", "plant"),
    Secondary("CYT", "茨榆坨采油厂", "plant"),
    Secondary("TZY", "特种油开发公司", "plant", established="2001-06-01", area_prefix="特油作业", head_title="经理"),
    Secondary("JH", "金海采油厂", "plant", established="2003-04-01"),
    Secondary("LJ", "冷家油田公司", "plant", established="2002-01-01", head_title="经理"),
    Secondary("QH", "浅海石油开发公司", "plant", established="2004-08-01", area_prefix="海上采油作业",
              head_title="经理"),
    Secondary("CQK", "储气库公司", "plant", established="2019-05-01", small=True, area_prefix="储气库作业",
              head_title="经理"),
    Secondary("KFY", "勘探开发研究院", "institute", head_title="院长", grassroots=(
        _gr("DZ", "石油地质研究所", ("K1", "课题一组"), ("K2", "课题二组")),
        _gr("DZJ", "地震解释研究所", ("K1", "课题一组"), ("K2", "课题二组")),
        _gr("YC", "油藏工程研究所", ("K1", "课题一组"), ("K2", "课题二组"), ("K3", "课题三组")),
        _gr("GH", "开发规划研究所", ("K1", "课题一组"), ("K2", "课题二组")),
        _gr("CY", "稠油开发研究所", ("K1", "课题一组"), ("K2", "课题二组")),
    )),
    Secondary("ZCY", "钻采工艺研究院", "institute", head_title="院长", grassroots=(
        _gr("ZJ", "钻井工程设计室", ("K1", "设计一组"), ("K2", "设计二组"), ("K3", "设计三组")),
        _gr("CY", "采油工艺研究室", ("K1", "课题一组"), ("K2", "课题二组")),
        _gr("YL", "压裂酸化研究室", ("K1", "课题一组"), ("K2", "课题二组")),
        _gr("XJ", "修井工艺研究室", ("K1", "课题一组"),),
    )),
    Secondary("ZLGS", "辽河筑路公司", "service", established="2000-03-01", head_title="经理", grassroots=(
        _gr("XM1", "第一工程项目部", ("SG1", "施工一队"), ("SG2", "施工二队"), ("JX", "机械班")),
        _gr("XM2", "第二工程项目部", ("SG1", "施工一队"), ("SG2", "施工二队")),
        _gr("XM3", "第三工程项目部", ("SG1", "施工一队"), ("JX", "机械班")),
        _gr("LQZ", "沥青站", ("SC", "生产班"), ("HY", "化验班")),
    )),
    Secondary("YJGS", "油建公司", "service", head_title="经理", grassroots=(
        _gr("ZED", "中俄东线项目部", ("HJ", "焊接班"), ("GG", "管工班"), ("DZ", "吊装班"), ("FF", "防腐班")),
        _gr("GDAZ", "管道安装项目部", ("HJ", "焊接班"), ("GG", "管工班"), ("DZ", "吊装班")),
        _gr("ZCJS", "站场建设项目部", ("HJ", "焊接班"), ("GG", "管工班")),
        _gr("FFBW", "防腐保温项目部", ("FF1", "防腐一班"), ("FF2", "防腐二班")),
    )),
    Secondary("YQGJ", "油气工程技术处", "service", head_title="处长", grassroots=(
        _gr("JDZ", "工程监督站", ("JD1", "监督一组"), ("JD2", "监督二组")),
        _gr("JCZ", "技术检测站", ("JC", "检测班"), ("HY", "化验班")),
        _gr("ZJZ", "造价咨询站", ("ZJ", "造价组"),),
    )),
    Secondary("GCJS", "工程技术公司", "service", head_title="经理", grassroots=(
        _gr("YL", "压裂项目部", ("YL1", "压裂一队"), ("YL2", "压裂二队")),
        _gr("SY", "试油项目部", ("SY1", "试油一队"), ("SY2", "试油二队")),
        _gr("CJ", "测井项目部", ("CJ1", "测井一队"),),
    )),
    Secondary("WZFGS", "物资分公司", "service", small=True, head_title="经理", grassroots=(
        _gr("CC", "仓储中心", ("BG1", "保管一班"), ("BG2", "保管二班")),
        _gr("PS", "配送中心", ("PS", "配送班"), ("ZX", "装卸班")),
        _gr("CG", "采购中心", ("CG", "采购组"),),
    )),
    Secondary("GDGS", "供电公司", "service", established="2001-01-01", head_title="经理", grassroots=(
        _gr("BD", "变电工区", ("BD1", "变电运维一班"), ("BD2", "变电运维二班")),
        _gr("XL", "线路工区", ("XL1", "线路一班"), ("XL2", "线路二班")),
        _gr("YX", "营销服务中心", ("CB", "抄表班"),),
    )),
    Secondary("JXZZ", "机械制造公司", "service", head_title="经理", grassroots=(
        _gr("CYJ", "抽油机分厂", ("CG", "车工班"), ("HG", "焊工班"), ("ZP", "装配班")),
        _gr("XL", "修理分厂", ("JX", "机修班"), ("DQ", "电气班")),
    )),
    Secondary("HJGC", "环境工程公司", "service", established="2012-07-01", small=True, head_title="经理",
              grassroots=(
                  _gr("WS", "污水处理站", ("YX", "运行班"), ("HY", "化验班")),
                  _gr("GF", "固废处理中心", ("CZ", "处置班"),),
              )),
]

# The units a small demo keeps: enough for every account, reform step and pairing example.
SMALL_SECONDARY = ("XLT", "CYT", "SG", "ZCY", "ZLGS", "YJGS")

# This year's specialised reorganisation of the vehicle system (车辆系统专业化重组): a new
# company-level unit takes over the plants' vehicle stations.
VEHICLE_CENTRE_CODE = "CLFW"
VEHICLE_CENTRE_NAME = "车辆服务中心"

# The demo accounts' anchors.
PLANT_ADMIN_UNIT = "CYT"
SECRETARY_PLANT = "XLT"

# Words that decide the post (岗位) of a team's workers, first match wins.
TEAM_POSTS = [
    ("采油", "采油工"), ("集输", "集输工"), ("脱水", "集输工"), ("外输", "集输工"), ("注水", "注水工"),
    ("维修", "维修电工"), ("化验", "化验工"), ("污水", "污水处理工"), ("作业", "井下作业工"),
    ("运输", "汽车驾驶员"), ("特车", "特种车辆驾驶员"), ("焊", "电焊工"), ("管工", "管道工"),
    ("吊装", "起重工"), ("防腐", "防腐工"), ("施工", "筑路工"), ("机械", "工程机械操作工"),
    ("生产", "沥青生产工"), ("课题", "工程师"), ("设计", "钻井工程师"), ("监督", "工程监督"),
    ("检测", "检测工"), ("造价", "造价工程师"), ("压裂", "压裂工"), ("试油", "试油工"), ("测井", "测井工"),
    ("保管", "物资保管员"), ("配送", "配送员"), ("装卸", "装卸工"), ("采购", "采购员"),
    ("变电", "变电运维工"), ("线路", "送电线路工"), ("抄表", "抄表核算员"), ("车工", "车工"),
    ("装配", "装配钳工"), ("机修", "机修钳工"), ("电气", "维修电工"), ("运行", "污水处理工"),
    ("处置", "环保工"),
]


def head_title(name: str) -> str:
    """The title of a unit's head, from how the unit's name ends."""
    for suffix, title in [("项目部", "项目经理"), ("办公室", "主任"), ("工会", "常务副主席"), ("团委", "书记"),
                          ("分厂", "厂长"), ("大队", "大队长"), ("公司", "经理"), ("科", "科长"), ("所", "所长"),
                          ("站", "站长"), ("队", "队长"), ("班", "班长"), ("组", "组长"), ("部", "部长"),
                          ("处", "处长"), ("办", "主任"), ("院", "院长"), ("厂", "厂长")]:
        if name.endswith(suffix):
            return title
    return "主任"


def deputy_title(title: str) -> str:
    return {"项目经理": "项目副经理", "常务副主席": "副主席", "书记": "副书记"}.get(title, "副" + title)


def team_post(team_name: str) -> str:
    for word, post in TEAM_POSTS:
        if word in team_name:
            return post
    return "操作工"
