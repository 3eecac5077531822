from django.urls import path

from ronghe.production import views_data as v

urlpatterns = [
    path("wells/", v.well_list, name="well_list"),
    path("wells/new/", v.well_create, name="well_create"),
    path("wells/<str:code>/", v.well_detail, name="well_detail"),
    path("wells/<str:code>/edit/", v.well_edit, name="well_edit"),
    path("daily/", v.daily_upload, name="daily_upload"),
    path("daily/template.xlsx", v.daily_template, name="daily_template"),
    path("daily/<int:job_id>/", v.daily_import_detail, name="daily_import_detail"),
    path("daily/<int:job_id>/progress/", v.daily_import_progress, name="daily_import_progress"),
    path("plans/", v.unit_plan_list, name="unit_plan_list"),
]
