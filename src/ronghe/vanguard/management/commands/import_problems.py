from ronghe.core.tabular.command import ImportCommand


class Command(ImportCommand):
    help = ("Import the production-problem ledger (生产难题台账) from FILE (xlsx, xls or csv). A row with the 编号 of a "
            "stored problem updates it, one without registers a new problem; one line per error and exit 1 on bad "
            "input, nothing written.")
    kind = "problems"
