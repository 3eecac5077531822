from django.urls import path

from ronghe.tasks import views

urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("board/", views.task_board, name="task_board"),
    path("stats/", views.task_stats, name="task_stats"),
    path("stats/bulletin/", views.task_bulletin, name="task_bulletin"),
    path("stats/bulletin/docx/", views.task_bulletin_docx, name="task_bulletin_docx"),
    path("stats/bulletin/pdf/", views.task_bulletin_pdf, name="task_bulletin_pdf"),
    path("people/", views.people_options, name="task_people_options"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/chart/", views.plan_chart, name="plan_chart"),
    path("plans/<int:plan_id>/tasks/new/", views.task_create, name="plan_task_create"),
    path("<int:task_id>/", views.task_detail, name="task_detail"),
    path("<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("<int:task_id>/chases/<int:chase_id>/notice/", views.task_chase_notice, name="task_chase_notice"),
    *[path(f"<int:task_id>/{step}/", views.task_step, {"step": step}, name=f"task_{step}") for step in views.STEPS],
]
