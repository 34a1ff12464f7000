from django.contrib import admin
from django.urls import include, path

from prep import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("prep.accounts.urls")),
    path("practice/", include("prep.practice.urls")),
    path("admin/", admin.site.urls),
]
