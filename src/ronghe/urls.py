from django.urls import include, path

from ronghe import api
from ronghe.core import views as core_views
from ronghe.core.modules import contributions

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("ronghe.accounts.urls")),
    path("api/v1/", api.urls()),
    path("api/<path:rest>", api.unknown_endpoint, name="api_unknown"),
    path("import/", include("ronghe.core.urls_import")),
    path("inbox/", include("ronghe.core.urls_inbox")),
    path("audit/", core_views.audit_list, name="audit_list"),
    *(path(prefix, include(module)) for prefix, module in contributions("urls")),
    path("", include("ronghe.org.urls")),
]
