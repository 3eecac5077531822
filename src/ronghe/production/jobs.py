"""Daily production uploads run in the background: the page stores the file and a
ProductionImport row, a worker thread of the web process imports it (daily_import) and writes
its progress to that row, which the page polls. The web request returns at once whatever the
size of the file."""
import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ronghe.production.daily_import import DailyImport
from ronghe.production.models import ProductionImport

log = logging.getLogger(__name__)
UPLOAD_DIR = "production-imports"
# Tests run the job in the request's own thread, inside their transaction.
BACKGROUND = True
S = ProductionImport.Status


def upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start(job: ProductionImport) -> None:
    if BACKGROUND:
        threading.Thread(target=_in_thread, args=(job.pk,), name=f"production-import-{job.pk}", daemon=True).start()
    else:
        run_job(job.pk)


def _in_thread(pk: int) -> None:
    try:
        run_job(pk)
    finally:
        connections.close_all()


class _Progress:
    """Writes a job's progress. While validating nothing else is open, so the ORM's autocommit
    update is seen at once; while writing, the import's transaction is open, so PostgreSQL gets
    the update through a connection of its own, and SQLite (one writer at a time) waits for the
    end."""

    def __init__(self, pk):
        self.pk = pk
        self.side = None

    def __call__(self, status, done, total):
        if status == S.VALIDATING:
            _update(self.pk, status=status, rows_done=done, rows_total=total)
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection("default")
            with self.side.cursor() as cursor:
                cursor.execute("UPDATE production_productionimport SET status = %s, rows_done = %s, rows_total = %s "
                               "WHERE id = %s", [status, done, total, self.pk])

    def close(self):
        if self.side is not None:
            self.side.close()


def _update(pk, attempts=50, **fields) -> None:
    """Write the job's row, waiting out a locked SQLite: in shared-cache mode (the in-memory
    database of the test server) a lock is reported at once instead of after the busy timeout,
    and a job whose row is never written would be polled for ever."""
    for attempt in range(attempts):
        try:
            ProductionImport.objects.filter(pk=pk).update(**fields)
            return
        except OperationalError:
            if connection.vendor != "sqlite" or attempt == attempts - 1:
                raise
            time.sleep(0.2)


def run_job(pk: int) -> ProductionImport:
    job = ProductionImport.objects.select_related("actor").get(pk=pk)
    if job.status != S.QUEUED:
        return job
    path = upload_dir() / job.stored_as
    progress = _Progress(pk)
    _update(pk, status=S.VALIDATING)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            importer = DailyImport(actor=job.actor, dry_run=job.dry_run, progress=progress)
            with path.open("rb") as handle:
                outcome = importer.run(handle, job.file_name)
            fields = {"rows_total": outcome.rows, "rows_done": outcome.rows, "created": outcome.created,
                      "replaced": outcome.replaced, "error_count": outcome.error_count, "sha256": outcome.sha256,
                      "errors": [[e.row, e.column, e.message] for e in outcome.errors],
                      "status": S.DONE if outcome.ok else S.FAILED}
    except Exception as exc:  # a crash must end the job, or its page would poll forever
        log.exception("daily production import %s failed", pk)
        fields = {"status": S.FAILED, "message": _("The import stopped unexpectedly: %(error)s") % {"error": exc}}
    finally:
        progress.close()
        path.unlink(missing_ok=True)
    _update(pk, finished_at=timezone.now(), **fields)
    return ProductionImport.objects.get(pk=pk)
