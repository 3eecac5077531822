from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ronghe.core import clock
from ronghe.org.models import PartyOrg
from ronghe.orglife import selectors
from ronghe.orglife.models import Kind


class Command(BaseCommand):
    help = ("Print the 三会一课 meetings missing on a date: every requirement of the year whose month or quarter "
            "ended without its meeting, one line each (organisation code, name, meeting, period). Exits 0 "
            "whether or not any are missing; the last line counts them.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day to judge on (YYYY-MM-DD); default today")
        parser.add_argument("--year", type=int, help="the year whose periods are checked; default that of --as-of")
        parser.add_argument("--party-org", help="only this Party organisation's subtree (its code)")

    def handle(self, *args, as_of=None, year=None, party_org=None, **options):
        try:
            day = clock.parse_as_of(as_of) or clock.today()
        except clock.BadDate as exc:
            raise CommandError(str(exc)) from exc
        root = None
        if party_org:
            root = PartyOrg.objects.filter(code=party_org).first()
            if root is None:
                raise CommandError(_("No Party organisation with code “%(code)s”.") % {"code": party_org})
        found = selectors.gaps(None, year=year or day.year, as_of=day, root=root)
        for gap in found:
            self.stdout.write("\t".join([gap.org.code, gap.org.name, str(Kind(gap.cell.meeting_kind).label),
                                         gap.cell.period.key, gap.cell.period.end.isoformat()]))
        self.stdout.write(_("%(n)d missing as of %(day)s.") % {"n": len(found), "day": day.isoformat()})
