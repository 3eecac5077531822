from django.urls import path

from ronghe.tasks import views_export

urlpatterns = [
    path("", views_export.ledger, name="task_ledger_export"),
]
