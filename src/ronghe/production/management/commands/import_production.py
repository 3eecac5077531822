from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ronghe.production.daily_import import DailyImport
from ronghe.production.jobs import run_job


class Command(BaseCommand):
    help = ("Import daily production (日产) from FILE (csv in UTF-8 or GBK, xlsx or xls; columns 井号*, 日期*, "
            "生产时间(h), 日产液(t), 日产油(t)*, 日产气(m³), 含水(%)). All or nothing: on any error print one line per "
            "error, write nothing and exit 1. Rows for a well and date already stored replace them.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the file to import")
        parser.add_argument("--dry-run", action="store_true", help="validate and count; write nothing")
        parser.add_argument("--user", help="act as this user, within their scope (default: the system, unrestricted)")
        parser.add_argument("--sheet", help="the sheet to read (default: the first)")
        parser.add_argument("--job", type=int, help="run the upload page's queued import with this id")

    def handle(self, *args, file=None, dry_run=False, user=None, sheet=None, job=None, **options):
        if job is not None:
            run_job(job)
            return
        if not file:
            raise CommandError(_("Name the file to import."))
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user “%(name)s”.") % {"name": user})
        try:
            with open(file, "rb") as handle:
                outcome = DailyImport(actor=actor, dry_run=dry_run).run(handle, file, sheet=sheet)
        except FileNotFoundError:
            raise CommandError(_("No such file: %(file)s") % {"file": file}) from None
        if not outcome.ok:
            for line in outcome.error_lines():
                self.stderr.write(line)
            raise CommandError(ngettext("%(n)d error; nothing was written.", "%(n)d errors; nothing was written.",
                                        outcome.error_count) % {"n": outcome.error_count})
        summary = ngettext("%(total)d row: %(created)d created, %(replaced)d replaced.",
                           "%(total)d rows: %(created)d created, %(replaced)d replaced.", outcome.rows) % {
            "total": outcome.rows, "created": outcome.created, "replaced": outcome.replaced}
        if dry_run:
            summary += " " + _("(dry run: nothing was written)")
        self.stdout.write(summary)
