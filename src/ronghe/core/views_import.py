"""Import pages: upload a file of any registered kind, see every error or the counts, get the
template and one's own file back with an error column. Only users with the IMPORT action
somewhere see them; the importers check each row against the user's scope."""
import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ronghe.core.scoping import IMPORT, scope_for
from ronghe.core.tabular import all_importers, importer_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_DIR = "import-errors"
SESSION_KEY = "import_error_files"
KEEP_ERROR_FILES = 24 * 3600


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (xlsx, xls or csv)"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control",
                                                                  "accept": ".xlsx,.xls,.csv"}))
    dry_run = forms.BooleanField(label=_("Validate only (write nothing)"), required=False,
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


def _require_import(request):
    if scope_for(request.user, IMPORT).empty:
        raise Http404


def _importer_class(request, kind):
    _require_import(request)
    importer_class = importer_for(kind)
    if importer_class is None:
        raise Http404
    return importer_class


def _error_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / ERROR_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep_error_file(request, content: bytes) -> str:
    """Store the annotated file for its uploader (listed in the session); old ones are removed."""
    folder = _error_dir()
    cutoff = time.time() - KEEP_ERROR_FILES
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = str(uuid.uuid4())
    (folder / f"{token}.xlsx").write_bytes(content)
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-19:], token]
    return token


def index(request):
    _require_import(request)
    return render(request, "core/import_index.html", {"importers": all_importers()})


def upload(request, kind):
    importer_class = _importer_class(request, kind)
    result = error_token = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            importer = importer_class(actor=request.user, dry_run=form.cleaned_data["dry_run"])
            result = importer.run_file(upload_file, upload_file.name)
            if result.error_file:
                error_token = _keep_error_file(request, result.error_file)
    else:
        form = UploadForm()
    return render(request, "core/import_upload.html", {
        "kind": kind, "importer": importer_class, "form": form, "result": result, "error_token": error_token,
    })


def template(request, kind):
    importer_class = _importer_class(request, kind)
    response = HttpResponse(importer_class.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


def error_file(request, token):
    _require_import(request)
    token = str(token)
    path = _error_dir() / f"{token}.xlsx"
    if token not in request.session.get(SESSION_KEY, []) or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"errors-{token[:8]}.xlsx",
                        content_type=XLSX_TYPE)
