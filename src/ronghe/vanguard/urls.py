from django.urls import path

from ronghe.vanguard import views

urlpatterns = [
    path("", views.carrier_list, name="vanguard_carrier_list"),
    path("cards/", views.carrier_cards, name="vanguard_carrier_cards"),
    path("stats/", views.stats_page, name="vanguard_stats"),
    path("carriers/new/", views.carrier_create, name="vanguard_carrier_create"),
    path("carriers/export/", views.carrier_export, name="vanguard_carrier_export"),
    path("carriers/<int:carrier_id>/", views.carrier_detail, name="vanguard_carrier_detail"),
    *[path(f"carriers/<int:carrier_id>/{action}/", views.carrier_action, {"action": action},
           name=f"vanguard_carrier_{action}") for action in views.CARRIER_ACTIONS],
    path("problems/", views.problem_list, name="vanguard_problem_list"),
    path("problems/new/", views.problem_create, name="vanguard_problem_create"),
    path("problems/carriers/", views.carrier_options, name="vanguard_carrier_options"),
    path("problems/export/", views.problem_export, name="vanguard_problem_export"),
    path("problems/<int:problem_id>/", views.problem_detail, name="vanguard_problem_detail"),
    path("problems/<int:problem_id>/edit/", views.problem_edit, name="vanguard_problem_edit"),
    path("problems/<int:problem_id>/attachments/", views.problem_attach, name="vanguard_problem_attach"),
    path("problems/<int:problem_id>/attachments/<int:attachment_id>/", views.problem_attachment,
         name="vanguard_problem_attachment"),
    path("problems/<int:problem_id>/attachments/<int:attachment_id>/delete/", views.problem_attachment_delete,
         name="vanguard_problem_attachment_delete"),
    *[path(f"problems/<int:problem_id>/{step}/", views.problem_step, {"step": step},
           name=f"vanguard_problem_{step}") for step in views.PROBLEM_STEPS],
]
