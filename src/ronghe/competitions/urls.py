from django.urls import path

from ronghe.competitions import views

C = "<int:competition_id>/"
urlpatterns = [
    path("", views.competition_list, name="competition_list"),
    path("export/", views.competition_list_export, name="competition_list_export"),
    path("awards/", views.competition_awards, name="competition_awards"),
    path("new/", views.competition_create, name="competition_create"),
    path(C, views.competition_detail, name="competition_detail"),
    path(C + "edit/", views.competition_edit, name="competition_edit"),
    path(C + "publish/", views.competition_publish, name="competition_publish"),
    path(C + "export/", views.competition_export, name="competition_export"),
    path(C + "notice/", views.competition_report, name="competition_report"),
    path(C + "setup/", views.competition_setup, name="competition_setup"),
    path(C + "participants/add/", views.competition_participant_add, name="competition_participant_add"),
    path(C + "participants/<int:participant_id>/", views.competition_participant, name="competition_participant"),
    path(C + "participants/<int:participant_id>/remove/", views.competition_participant_remove,
         name="competition_participant_remove"),
    path(C + "indicators/add/", views.competition_indicator_add, name="competition_indicator_add"),
    path(C + "indicators/<int:indicator_id>/remove/", views.competition_indicator_remove,
         name="competition_indicator_remove"),
    path(C + "tie-breaker/", views.competition_tie_breaker, name="competition_tie_breaker"),
    path(C + "awards/add/", views.competition_award_add, name="competition_award_add"),
    path(C + "awards/<int:award_id>/remove/", views.competition_award_remove, name="competition_award_remove"),
    path(C + "readings/", views.competition_readings, name="competition_readings"),
    path(C + "readings/template/", views.competition_readings_template, name="competition_readings_template"),
    path(C + "readings/import/", views.competition_readings_import, name="competition_readings_import"),
    path(C + "readings/<int:reading_id>/remove/", views.competition_reading_remove,
         name="competition_reading_remove"),
    path(C + "adjustments/", views.competition_adjustments, name="competition_adjustments"),
    path(C + "adjustments/<int:adjustment_id>/remove/", views.competition_adjustment_remove,
         name="competition_adjustment_remove"),
]
