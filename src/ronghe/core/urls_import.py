from django.urls import path

from ronghe.core import views_import

urlpatterns = [
    path("", views_import.index, name="import_index"),
    path("errors/<uuid:token>.xlsx", views_import.error_file, name="import_error_file"),
    path("<slug:kind>/", views_import.upload, name="import_upload"),
    path("<slug:kind>/template.xlsx", views_import.template, name="import_template"),
]
