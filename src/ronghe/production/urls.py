from django.urls import path

# importers_projects registers the measures importer: the registry discovers modules named `importers` only.
from ronghe.production import importers_projects, views  # noqa: F401

urlpatterns = [
    path("", views.production_home, name="production_home"),
    path("units/<str:code>/", views.production_dashboard, name="production_dashboard"),
    path("units/<str:code>/steps/", views.production_steps, name="production_steps"),
    path("units/<str:code>/periods/", views.production_units, name="production_units"),
    path("units/<str:code>/measures/", views.production_measure_summary, name="production_measure_summary"),
    path("units/<str:code>/new-wells/", views.production_new_wells, name="production_new_wells"),
    path("groups/", views.production_groups, name="production_groups"),
    path("groups/new/", views.production_groups_new, name="production_groups_new"),
    path("groups/<int:group_id>/", views.production_group_detail, name="production_group_detail"),
    path("groups/<int:group_id>/edit/", views.production_group_edit, name="production_group_edit"),
    path("groups/<int:group_id>/delete/", views.production_group_delete, name="production_group_delete"),
    path("measures/", views.production_measures, name="production_measures"),
    path("measures/new/", views.production_measures_new, name="production_measures_new"),
    path("measures/<int:measure_id>/edit/", views.production_measure_edit, name="production_measure_edit"),
    path("measures/<int:measure_id>/delete/", views.production_measure_delete, name="production_measure_delete"),
]
