from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import media
from pages.api import api_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    # The JSON API has a namespace of its own ("api"), which django-ninja reverses.
    path("api/v1/", include(api_urls())),
    path("", include("pages.urls")),
]

# Uploaded images from the filesystem storage, debugging or not (config.media); with
# another storage (MEDIA_STORAGE) they are at its own address.
if settings.SERVE_MEDIA and "://" not in settings.MEDIA_URL:
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.media, name="media")
    )
