from ronghe.core.tabular.command import ImportCommand


class Command(ImportCommand):
    help = ("Import Party-member carriers (载体台账) from FILE (xlsx, xls or csv): 载体名称*, 载体类型*, 单位编码*, "
            "党组织编码*, 负责人工号*, 成员工号, 类别, 是否生产相关, 承诺, 设立日期. A row naming a stored carrier of the "
            "same unit updates it; one line per error and exit 1 on bad input, nothing written.")
    kind = "carriers"
