from ronghe.core.tabular.command import ImportCommand


class Command(ImportCommand):
    help = ("Import unit plans (产量/利润计划) from FILE (xlsx, xls or csv; columns 单位编码*, 年度*, 月份 (0 or empty = "
            "全年), 原油计划(t), 利润计划(万元), 利润实际(万元), 新井计划(口)); one line per error and exit 1 on bad input.")
    kind = "unit_plans"
