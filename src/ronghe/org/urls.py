from django.urls import path

from ronghe.org import views
from ronghe.org.views import PARTY_ORGS, UNITS


def tree_urls(prefix, tree, name):
    """The same pages for both trees: /units/… and /party-orgs/…"""
    t = {"tree": tree}
    return [
        path(f"{prefix}/", views.tree_page, t, name=f"{name}_tree"),
        path(f"{prefix}/list/", views.list_page, t, name=f"{name}_list"),
        path(f"{prefix}/changes/", views.changes_page, t, name=f"{name}_changes"),
        path(f"{prefix}/new/", views.create_page, t, name=f"{name}_create"),
        path(f"{prefix}/<str:code>/", views.detail_page, t, name=f"{name}_detail"),
        path(f"{prefix}/<str:code>/children/", views.tree_children, t, name=f"{name}_children"),
        path(f"{prefix}/<str:code>/leaders/", views.position_add, t, name=f"{name}_position_add"),
        *[path(f"{prefix}/<str:code>/{action}/", views.action_page, {**t, "action": action}, name=f"{name}_{action}")
          for action in views.NODE_ACTIONS],
    ]


urlpatterns = [
    path("", views.home, name="home"),
    *tree_urls("units", UNITS, "unit"),
    *tree_urls("party-orgs", PARTY_ORGS, "party_org"),
    path("positions/<int:pk>/remove/", views.position_remove, name="position_remove"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<str:employee_no>/", views.person_detail, name="person_detail"),
    path("people/<str:employee_no>/edit/", views.person_edit, name="person_edit"),
]
