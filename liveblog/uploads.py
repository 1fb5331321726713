"""Images editors upload: what is accepted, and the file that is kept.

Only JPEG, PNG, WebP and GIF, at most MAX_BYTES and MAX_SIDE pixels a side, each checked
from the file's own header (never its name or the browser's content type) before the
picture is decoded. What is stored is not the upload but a new file Pillow wrote from
the decoded picture, in the same format, named for it: no EXIF, XMP or comments (where
a photo was taken, the camera's owner), and nothing but the picture in the file.
"""

import io
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 8000
# Every frame of an animation is decoded: in all, no more pixels than one largest photo.
MAX_PIXELS = MAX_SIDE * MAX_SIDE
# Pillow's name for each format, and the extension a stored file gets.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
KIND_MESSAGE = "Upload a JPEG, PNG, WebP or GIF image."
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
    stem = slugify(Path(upload.name or "image").stem)[:80] or "image"
    return ContentFile(output.getvalue(), name=f"{stem}.{FORMATS[image_format]}")


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
