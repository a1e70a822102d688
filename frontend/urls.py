from django.urls import path, re_path

from frontend import views

# The app's own pages (its router draws them); everything else (api/, admin/, static/) is Django's.
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^(?:login|projects|tokens)(?:/.*)?$", views.index, name="app"),
]
