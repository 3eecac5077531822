from ronghe.core.tabular.command import ImportCommand


class Command(ImportCommand):
    help = ("Register coordination requests (协调事项登记表) from FILE (xlsx, xls or csv): requests raised before the "
            "system, with their answers where they had one; one line per error and exit 1 on bad input.")
    kind = "coordination_requests"
