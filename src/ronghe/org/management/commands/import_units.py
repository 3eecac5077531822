from ronghe.core.tabular.command import ImportCommand


class Command(ImportCommand):
    help = "Import units from FILE (xlsx, xls or csv): one line per error and exit 1 on bad input."
    kind = "units"
