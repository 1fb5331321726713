from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pages.urls")),
]

# Uploaded images: served by Django only when debugging; in production by the web
# server or object storage in front of the site (see README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
