from ronghe.core.tabular.command import ImportCommand


class Command(ImportCommand):
    help = ("Import wells (油井) from FILE (xlsx, xls or csv; columns 井号*, 单位编码*, 井别, 状态, 投产日期, 设计日期, "
            "完钻日期, 区块): new 井号 create wells, known ones update them; one line per error and exit 1 on bad input.")
    kind = "wells"
