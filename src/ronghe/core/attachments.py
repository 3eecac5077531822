"""Files attached to business objects (a coordination request, a production problem): one
abstract model, one check of an upload, and one way each to store, delete and serve a file.
Uploads come through pages and through the API, which has no form, so the services check
them again with the same function the forms use."""
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ronghe.core.scoping import ScopedQuerySet

MAX_BYTES = 20 * 1024 * 1024


class Attachment(models.Model):
    """A file attached to something. A subclass adds the foreign key to its owner, the scope
    lookups through it, and `file`: a FileField whose `upload_to` names the module's own folder
    (so each module's migrations keep pointing at its own function)."""
    name = models.CharField(gettext_lazy("file name"), max_length=200)
    size = models.PositiveIntegerField(gettext_lazy("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("uploaded by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]
        verbose_name = gettext_lazy("attachment")
        verbose_name_plural = gettext_lazy("attachments")

    def __str__(self):
        return self.name


def check_upload(upload) -> None:
    """The validator of upload fields, and the services' own check of the same rule."""
    if upload and upload.size > MAX_BYTES:
        raise ValidationError(_("A file may be at most %(mb)d MB.") % {"mb": MAX_BYTES // 2**20})


def store(attachment: Attachment, upload, name="") -> dict:
    """Check `upload`, save it as `attachment`'s file (named `name`, else after the upload) and
    save the row; the facts an audit entry records: file name, size and SHA-256."""
    try:
        check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    name = (name or getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment.name, attachment.size = name, upload.size
    attachment.file.save(name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    return {"file": name, "size": upload.size, "sha256": digest.hexdigest()}


def delete_with_file(obj, field="file") -> None:
    """Delete the row now and its stored file once the transaction commits, so that a rolled
    back deletion keeps both."""
    stored = getattr(obj, field)
    name, storage = stored.name, stored.storage
    obj.delete()
    transaction.on_commit(lambda: storage.delete(name))


def serve(stored, download_name=None) -> FileResponse:
    """A stored file as the response: a download named `download_name`, or shown in the page
    without one. A file missing from storage answers 404, like a row that does not exist."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=download_name is not None, filename=download_name or "")
