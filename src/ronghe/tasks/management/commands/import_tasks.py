from ronghe.core.tabular.command import ImportCommand


class Command(ImportCommand):
    help = ("Import a decomposition table (重点任务分解表) from FILE (xlsx, xls or csv): tasks are created as drafts, "
            "or update the drafts of the same plan and number; one line per error and exit 1 on bad input.")
    kind = "tasks"
