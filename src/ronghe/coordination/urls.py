from django.urls import path

from ronghe.coordination import views

urlpatterns = [
    path("", views.request_list, name="coordination_list"),
    path("export/", views.request_export, name="coordination_export"),
    path("stats/", views.request_stats, name="coordination_stats"),
    path("new/", views.request_create, name="coordination_create"),
    path("<int:pk>/", views.request_detail, name="coordination_detail"),
    path("<int:pk>/edit/", views.request_edit, name="coordination_edit"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment_download, name="coordination_attachment"),
    *[path(f"<int:pk>/{step}/", views.request_step, {"step": step}, name=f"coordination_{step}")
      for step in views.STEPS],
]
