"""Images editors upload: what is accepted, the file that is kept, and its renditions.

Only JPEG, PNG, WebP and GIF, at most MAX_BYTES and MAX_SIDE pixels a side, each checked
from the file's own header (never its name or the browser's content type) before the
picture is decoded. What is stored is not the upload but a new file Pillow wrote from
the decoded picture, in the same format: no EXIF, XMP or comments (where a photo was
taken, the camera's owner), and nothing but the picture in the file.

Renditions: on upload, the picture is also written at RENDITION_WIDTHS (those narrower
than it, and its own width up to the widest), in WebP and in JPEG for browsers without
WebP (PNG where the picture has transparency), so that a phone fetches 480 pixels, not
the photographer's 6,000. An animation is kept as it is, with no renditions. Every file
is named from a hash of its content (`posts/<hash>.jpg`, `posts/r/<hash>-480.webp`): a
name never changes what it holds, so it may be cached for ever (config.media).
"""

import hashlib
import io

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 8000
# Every frame of an animation is decoded: in all, no more pixels than one largest photo.
MAX_PIXELS = MAX_SIDE * MAX_SIDE
# Pillow's name for each format, and the extension a stored file gets.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
KIND_MESSAGE = "Upload a JPEG, PNG, WebP or GIF image."
RENDITION_WIDTHS = (480, 960, 1600)
RENDITIONS_FOLDER = "posts/r"
HASH_LENGTH = 20
WEBP, JPEG, PNG = "image/webp", "image/jpeg", "image/png"
LIMITS = (
    f"JPEG, PNG, WebP or GIF, at most {MAX_BYTES // (1024 * 1024)} MB and {MAX_SIDE:,} "
    "pixels on each side."
)


def checked_image(upload):
    """The upload opened with Pillow, its header read but not its picture; raises
    ValidationError naming the limit it breaks. (Closing the image closes the upload.)"""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"The image is {upload.size / (1024 * 1024):.1f} MB: the most is "
            f"{MAX_BYTES // (1024 * 1024)} MB.",
            code="too_large",
        )
    upload.seek(0)
    try:
        # Only the accepted formats are tried: Pillow opens nothing else (EPS, PSD, PDF).
        image = Image.open(upload, formats=list(FORMATS))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(KIND_MESSAGE, code="kind") from None
    except Image.DecompressionBombError:
        # Pillow refuses a header claiming over twice its own limit before we see the size.
        raise ValidationError(
            f"The image is far larger than {MAX_SIDE:,} × {MAX_SIDE:,} pixels: the most is "
            f"{MAX_SIDE:,} on each side.",
            code="too_big",
        ) from None
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ValidationError(
            f"The image is {width:,} × {height:,} pixels: the most is {MAX_SIDE:,} on each side.",
            code="too_big",
        )
    frames = getattr(image, "n_frames", 1)
    if frames * width * height > MAX_PIXELS:
        raise ValidationError(
            f"The animation is {frames:,} frames of {width:,} × {height:,} pixels: the most "
            f"is {MAX_PIXELS // 1_000_000:,} million pixels in all.",
            code="too_many_frames",
        )
    return image


def reencoded(upload):
    """A new file of the upload's picture, written by Pillow without metadata, named
    for its format; raises ValidationError if the upload breaks a limit or is no
    picture Pillow can decode."""
    with checked_image(upload) as image:
        image_format = image.format
        try:
            frames = [picture_only(frame) for frame in ImageSequence.Iterator(image)]
            if len(frames) == 1:
                # A photo's orientation is metadata too: apply it, then drop it.
                frames = [picture_only(ImageOps.exif_transpose(frames[0]))]
            output = io.BytesIO()
            frames[0].save(output, image_format, **save_options(image, image_format, frames))
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise ValidationError(KIND_MESSAGE, code="kind") from None
    content = output.getvalue()
    return ContentFile(content, name=f"{content_hash(content)}.{FORMATS[image_format]}")


def content_hash(content):
    return hashlib.sha256(content).hexdigest()[:HASH_LENGTH]


def stored(upload, storage=None):
    """The file to keep for an upload (see `reencoded`) and its renditions, which are
    written to the storage here: ({"<type>": [[width, name], ...]}) narrowest first.
    Raises ValidationError as `reencoded` does."""
    picture = reencoded(upload)
    return picture, renditions_write(picture, storage or default_storage)


def renditions_write(picture, storage):
    picture.seek(0)
    with Image.open(picture) as image:
        if getattr(image, "n_frames", 1) > 1:
            return {}  # an animation: resizing would keep one frame of it
        image.load()
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        colour = image.convert("RGBA" if transparent else "RGB")
    fallback = PNG if transparent else JPEG
    widths = sorted({width for width in RENDITION_WIDTHS if width < colour.width})
    widths.append(min(colour.width, RENDITION_WIDTHS[-1]))
    widths = sorted(set(widths))
    written = {WEBP: [], fallback: []}
    for width in widths:
        height = max(1, round(colour.height * width / colour.width))
        resized = colour if width == colour.width else colour.resize((width, height), Image.LANCZOS)
        for media_type in (WEBP, fallback):
            output = io.BytesIO()
            if media_type == WEBP:
                resized.save(output, "WEBP", quality=80, method=4)
            elif media_type == JPEG:
                resized.save(output, "JPEG", quality=82, optimize=True, progressive=True)
            else:
                resized.save(output, "PNG", optimize=True)
            content = output.getvalue()
            extension = {WEBP: "webp", JPEG: "jpg", PNG: "png"}[media_type]
            name = f"{RENDITIONS_FOLDER}/{content_hash(content)}-{width}.{extension}"
            if not storage.exists(name):
                name = storage.save(name, ContentFile(content))
            written[media_type].append([width, name])
    return written


def sources(renditions, storage=None):
    """[(type, srcset)] for a <picture>: WebP first, then the fallback; empty if none."""
    storage = storage or default_storage
    return [
        (
            media_type,
            ", ".join(f"{storage.url(name)} {width}w" for width, name in files),
        )
        for media_type, files in sorted(renditions.items(), key=lambda item: item[0] != WEBP)
        if files
    ]


def largest(renditions, storage=None):
    """The URL of the widest fallback rendition (the <img>'s own src), or None."""
    storage = storage or default_storage
    for media_type, files in renditions.items():
        if media_type != WEBP and files:
            return storage.url(files[-1][1])
    return None


def picture_only(frame):
    """A decoded copy of a frame that carries nothing but its pixels (and which colour
    is transparent): no EXIF, XMP, comments or text chunks."""
    copy = frame.copy()
    copy.info = {key: frame.info[key] for key in ("transparency",) if key in frame.info}
    return copy


def save_options(image, image_format, frames):
    """How Pillow writes each format: the picture only (its colour profile kept, so
    colours look as shot), every frame of an animation."""
    options = {}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if image_format == "JPEG":
        options.update(quality=90, optimize=True)
    elif image_format == "PNG":
        options.update(optimize=True)
    elif image_format == "WEBP":
        options.update(quality=90)
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], loop=image.info.get("loop", 0))
        if "duration" in image.info:
            options["duration"] = image.info["duration"]
    return options


KEPT_SALT = "liveblog.uploads.kept"


def kept(upload, field):
    """Store an upload that passed its checks at once, as `field` (the Block's image)
    would on save, so that a form refused for another reason need not ask for it again.
    Returns a signed token naming it for the form to send back, and what it says. A
    form never sent back leaves the file in storage (see liveblog.admin)."""
    picture, renditions = stored(upload, field.storage)
    with Image.open(picture) as image:
        width, height = image.size
    picture.seek(0)
    name = field.storage.save(field.generate_filename(None, picture.name), picture)
    facts = {
        "name": name,
        "renditions": renditions,
        "original": upload.name,
        "width": width,
        "height": height,
    }
    return signing.dumps(facts, salt=KEPT_SALT), facts


def kept_facts(token):
    """What a kept upload's token says (see `kept`), or None if it is not ours."""
    try:
        return signing.loads(token, salt=KEPT_SALT)
    except signing.BadSignature:
        return None


class ImageUploadField(forms.ImageField):
    """The admin's image input: the limits above, with a message that names them."""

    default_error_messages = {"invalid_image": KIND_MESSAGE}
    # The file's name proves nothing (its header is read) and the stored one is ours.
    default_validators = []

    def to_python(self, data):
        if data in self.empty_values:
            return None
        checked_image(data)
        data.seek(0)
        return super().to_python(data)
