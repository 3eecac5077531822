from django.db import connection
from django.http import JsonResponse


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # the point of a health check is to report any failure
        db = {"status": "error", "error": str(exc)[:200]}
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": db}, status=status)
