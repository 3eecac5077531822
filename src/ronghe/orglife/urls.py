from django.urls import path

from ronghe.orglife import views

urlpatterns = [
    path("", views.matrix, name="orglife_matrix"),
    path("matrix/rows/", views.matrix_rows, name="orglife_matrix_rows"),
    path("records/", views.record_list, name="orglife_record_list"),
    path("records/export.xlsx", views.record_export, name="orglife_record_export"),
    path("records/new/", views.record_create, name="orglife_record_create"),
    path("records/<int:record_id>/", views.record_detail, name="orglife_record_detail"),
    path("records/<int:record_id>/edit/", views.record_edit, name="orglife_record_edit"),
    path("records/<int:record_id>/delete/", views.record_delete, name="orglife_record_delete"),
    path("records/<int:record_id>/photos/", views.photo_add, name="orglife_photo_add"),
    path("photos/<int:photo_id>/", views.photo, name="orglife_photo"),
    path("photos/<int:photo_id>/remove/", views.photo_remove, name="orglife_photo_remove"),
    path("stats/", views.stats, name="orglife_stats"),
    path("gaps/", views.gap_list, name="orglife_gaps"),
    path("gaps/export.xlsx", views.gap_export, name="orglife_gap_export"),
    path("gaps/notice.docx", views.notice_docx, name="orglife_notice_docx"),
    path("gaps/notice.pdf", views.notice_pdf, name="orglife_notice_pdf"),
    path("rules/", views.rule_list, name="orglife_rules"),
    path("rules/<int:rule_id>/", views.rule_edit, name="orglife_rule_edit"),
]
