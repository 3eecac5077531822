from django.contrib.auth import views as auth_views
from django.urls import path

from ronghe.accounts import views

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
