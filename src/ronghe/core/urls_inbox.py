from django.urls import path

from ronghe.core.notifications import views

urlpatterns = [
    path("", views.inbox_list, name="inbox_list"),
    path("read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("channels/", views.webhook_channel_list, name="webhook_channel_list"),
    path("channels/new/", views.webhook_channel_create, name="webhook_channel_create"),
    path("channels/<int:pk>/", views.webhook_channel_edit, name="webhook_channel_edit"),
    path("channels/<int:pk>/test/", views.webhook_channel_test, name="webhook_channel_test"),
]
