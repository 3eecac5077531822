from django.urls import path

from ronghe.meetings import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("export/", views.meeting_export, name="meeting_export"),
    path("calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("stats/", views.attendance_stats, name="meeting_stats"),
    path("feed/", views.feed_settings, name="meeting_feed_settings"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:meeting_id>/agenda/", views.meeting_agenda_add, name="meeting_agenda_add"),
    path("<int:meeting_id>/agenda/proposed/", views.meeting_agenda_all, name="meeting_agenda_all"),
    path("<int:meeting_id>/agenda/<int:item_id>/", views.meeting_item, name="meeting_item"),
    path("<int:meeting_id>/agenda/<int:item_id>/remove/", views.meeting_item_remove, name="meeting_item_remove"),
    path("<int:meeting_id>/attendance/<int:attendance_id>/", views.meeting_attendance, name="meeting_attendance"),
    path("<int:meeting_id>/invite/", views.meeting_invite, name="meeting_invite"),
    path("<int:meeting_id>/decide/", views.meeting_decide, name="meeting_decide"),
    path("<int:meeting_id>/notice/", views.meeting_notice, name="meeting_notice"),
    path("<int:meeting_id>/state/", views.meeting_state, name="meeting_state"),
    path("<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("<int:meeting_id>/minutes.docx", views.meeting_minutes_docx, name="meeting_minutes_docx"),
    path("decisions/", views.decision_list, name="meeting_decision_list"),
    path("decisions/export/", views.decision_export, name="meeting_decision_export"),
    path("decisions/<int:decision_id>/task/", views.decision_task, name="meeting_decision_task"),
    path("decisions/<int:decision_id>/close/", views.decision_close, name="meeting_decision_close"),
    path("series/", views.series_list, name="meeting_series_list"),
    path("series/new/", views.series_create, name="meeting_series_create"),
    path("series/<int:series_id>/", views.series_detail, name="meeting_series_detail"),
    path("series/<int:series_id>/edit/", views.series_edit, name="meeting_series_edit"),
    path("series/<int:series_id>/generate/", views.series_generate, name="meeting_series_generate"),
]
