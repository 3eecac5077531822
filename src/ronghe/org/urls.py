from django.urls import path

from ronghe.org import views

urlpatterns = [
    path("", views.home, name="home"),
]
