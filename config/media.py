"""Serving uploaded images from the filesystem storage, in production too.

Every file the newsroom uploads is stored under a name made from its content
(liveblog.uploads): a name never holds anything else, so a browser or a CDN may keep it
for ever (`immutable`, a year). Files from before names were hashed are kept an hour.
Only files inside MEDIA_ROOT are served, by their path, with the type their name gives
and `nosniff` (SecurityMiddleware); nothing is listed. With another storage
(`MEDIA_STORAGE`, django-storages), MEDIA_URL points at it and this view is not routed.
"""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

HASHED = re.compile(r"(^|/)[0-9a-f]{20}(-\d+)?\.(jpg|png|webp|gif)$")
FOREVER = 365 * 24 * 3600
AN_HOUR = 3600
TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}


@require_safe
def media(request, path):
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        file = (root / path).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the path
        raise Http404("No such file.") from None
    if root not in file.parents or not file.is_file():
        raise Http404("No such file.")
    content_type = TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0]
    if content_type is None or not content_type.startswith("image/"):
        raise Http404("No such file.")  # only pictures were ever uploaded
    stat = file.stat()
    etag = f'"{stat.st_size:x}-{int(stat.st_mtime):x}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
        response["Content-Length"] = str(stat.st_size)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    if HASHED.search(path):
        patch_cache_control(response, public=True, max_age=FOREVER, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=AN_HOUR)
    return response
