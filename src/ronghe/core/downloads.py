"""Files the pages hand out (spreadsheets, Word and PDF documents): their media types and the
response that carries one."""
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
MEDIA_TYPES = {"xlsx": XLSX, "docx": DOCX, "pdf": PDF}


def download(content: bytes, filename: str, *, inline=False) -> HttpResponse:
    """`content` as a file named `filename` (ASCII; its ending gives the media type), saved by the
    browser or, `inline`, shown in it."""
    response = HttpResponse(content, content_type=MEDIA_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
