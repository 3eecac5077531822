"""The base of every `import_<kind> FILE` management command."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ronghe.core.tabular.registry import importer_for


class ImportCommand(BaseCommand):
    """Import FILE with the importer registered for `kind`. Exit 0 and print the counts on
    success; on any error print one line per error (row, column header, reason), write
    nothing and exit 1."""

    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx, xls or csv (UTF-8 or GBK)")
        parser.add_argument("--dry-run", action="store_true", help="validate and count; write nothing")
        parser.add_argument("--user", help="act as this user, within their scope (default: the system, "
                                           "unrestricted)")
        parser.add_argument("--sheet", help="the sheet to read (default: the first)")

    def handle(self, *args, file, dry_run=False, user=None, sheet=None, **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user, is_active=True)
            except get_user_model().DoesNotExist:
                raise CommandError(_("No active user “%(name)s”.") % {"name": user}) from None
        try:
            result = importer_for(self.kind)(actor=actor, dry_run=dry_run).run_file(file, sheet=sheet)
        except FileNotFoundError:
            raise CommandError(_("No such file: %(file)s") % {"file": file}) from None
        if not result.ok:
            for line in result.as_text_lines():
                self.stderr.write(line)
            raise CommandError(ngettext("%(n)d error; nothing was written.", "%(n)d errors; nothing was written.",
                                        len(result.errors)) % {"n": len(result.errors)})
        counts = result.counts
        summary = ngettext("%(total)d row: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
                           "%(total)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
                           counts["total"]) % counts
        if dry_run:
            summary += " " + _("(dry run: nothing was written)")
        self.stdout.write(summary)
