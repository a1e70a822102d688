from django.contrib import admin
from django.urls import include, path

from annotator.common.health import healthz, readyz

urlpatterns = [
    # Liveness and readiness for load balancers and orchestrators (docs/deploy.md).
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("frontend.urls")),
]
