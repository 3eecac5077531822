"""Daily production uploads run in the background: the page stores the file and a
ProductionImport row, a worker thread of the web process imports it (daily_import) and writes
its progress to that row, which the page polls. The web request returns at once whatever the
size of the file.

A job whose process died mid-import (a restart, a kill) would stay "running" for ever: while a
job runs, a heartbeat thread of its process touches its stored file, and a job that has not
finished and whose file has not been touched for STALE_AFTER is marked failed (expire_stale, by
the scheduled `expire_production_imports` and whenever the upload pages show jobs). Nothing of
it was written: its transaction died with the process."""
import datetime as dt
import logging
import os
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
UNFINISHED = (S.QUEUED, S.VALIDATING, S.WRITING, S.TOTALS)
HEARTBEAT_SECONDS = 30.0
# Ten heartbeats missed: the worker is gone, not merely slow.
STALE_AFTER = dt.timedelta(minutes=5)


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
    """Writes a job's progress. On PostgreSQL the import's transaction is open from the start
    (its COPY holds the connection while the file is checked), so the update goes through a
    connection of its own; on SQLite the file is checked outside any transaction, so the ORM's
    autocommit update is seen at once, and while writing (one writer at a time) the bar waits
    for the end."""

    def __init__(self, pk):
        self.pk = pk
        self.side = None

    def __call__(self, status, done, total):
        if connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection("default")
            with self.side.cursor() as cursor:
                cursor.execute("UPDATE production_productionimport SET status = %s, rows_done = %s, rows_total = %s "
                               "WHERE id = %s", [status, done, total, self.pk])
        elif status == S.VALIDATING:
            _update(self.pk, status=status, rows_done=done, rows_total=total)

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


class _Heartbeat:
    """Touches the job's stored file every HEARTBEAT_SECONDS while the job runs, whatever it is
    doing (a merge of millions of rows reports no progress for a while): a thread of the
    worker's own process, so the beats stop when that process dies."""

    def __init__(self, path: Path):
        self.path = path
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{path.name}", daemon=True)

    def _beat(self):
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            try:
                os.utime(self.path)
            except FileNotFoundError:
                return

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


def expire_stale(actor=None) -> int:
    """Mark failed every unfinished job (of `actor` when given) whose heartbeat stopped more than
    STALE_AFTER ago, and delete its stored file; returns how many."""
    now = timezone.now()
    limit = now - STALE_AFTER
    found = ProductionImport.objects.filter(status__in=UNFINISHED, started_at__lt=limit)
    if actor is not None:
        found = found.filter(actor=actor)
    expired = 0
    for job in found.only("pk", "status", "stored_as", "language"):
        path = upload_dir() / job.stored_as if job.stored_as else None
        try:
            beat = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) if path else None
        except FileNotFoundError:
            beat = None
        if beat is not None and beat >= limit:
            continue
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = _("The import stopped: its worker has given no sign of life for %(minutes)d minutes (the "
                        "server was probably restarted). Nothing was written; upload the file again.") % {
                "minutes": int(STALE_AFTER.total_seconds() // 60)}
        # Only if it is still where it was: a job that ends meanwhile keeps its own result.
        if ProductionImport.objects.filter(pk=job.pk, status=job.status).update(
                status=S.FAILED, message=message, finished_at=now):
            expired += 1
            if path is not None:
                path.unlink(missing_ok=True)
    return expired


def run_job(pk: int) -> ProductionImport:
    job = ProductionImport.objects.select_related("actor").get(pk=pk)
    if job.status != S.QUEUED:
        return job
    path = upload_dir() / job.stored_as
    progress = _Progress(pk)
    _update(pk, status=S.VALIDATING)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE), _Heartbeat(path):
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
