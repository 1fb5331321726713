"""Images editors upload: JPEG, PNG, WebP or GIF only, at most 10 MB and 8,000 pixels a
side, and stored as a new file Pillow wrote, with no metadata."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from liveblog.models import Block, Post
from tests.conftest import staff_member
from tests.newsroom.forms import existing_blocks, post_form
from tests.pages import text_of

pytestmark = pytest.mark.django_db

KIND = "Upload a JPEG, PNG, WebP or GIF image"


def image_bytes(image_format, size=(40, 30), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(editor_client, name, content):
    data = post_form(
        title="A picture",
        blocks=[
            {
                "kind": "image",
                "image": SimpleUploadedFile(name, content, content_type="image/png"),
                "alt": "A count hall",
                "caption": "The count",
                "credit": "Kate Linderholm/BBC",
            }
        ],
    )
    return editor_client.post("/admin/liveblog/post/add/", data)


def assert_refused(response, message, media):
    assert response.status_code == 200
    assert message in text_of(response)
    assert not Post.objects.filter(title="A picture").exists()
    assert not any(path.is_file() for path in media.rglob("*")) if media.exists() else True


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.mark.parametrize(
    "name, content",
    [
        ("count.png", PDF),
        ("count.png", image_bytes("PDF")),
        ("count.eps", image_bytes("EPS")),
        ("count.png", image_bytes("TIFF")),
        ("count.bmp", image_bytes("BMP")),
        ("count.png", b"not an image at all"),
    ],
    ids=["pdf-as-png", "pillow-pdf-as-png", "eps", "tiff-as-png", "bmp", "text"],
)
def test_only_jpeg_png_webp_and_gif_are_accepted(seeded, editor_client, media, name, content):
    response = upload(editor_client, name, content)
    assert_refused(response, f"{KIND}.", media)


def test_a_file_over_10_mb_is_refused(seeded, editor_client, media):
    # A real PNG, padded to 20 MB (Pillow reads the picture and ignores the rest).
    content = image_bytes("PNG") + b"\0" * (20 * 1024 * 1024)
    response = upload(editor_client, "count.png", content)
    assert_refused(response, "The image is 20.0 MB: the most is 10 MB.", media)


@pytest.mark.parametrize("size", [(9000, 10), (10, 9000)])
def test_an_image_over_8000_pixels_a_side_is_refused(seeded, editor_client, media, size):
    response = upload(editor_client, "count.png", image_bytes("PNG", size=size))
    width, height = size
    assert_refused(
        response,
        f"The image is {width:,} × {height:,} pixels: the most is 8,000 on each side.",
        media,
    )


@pytest.mark.parametrize(
    "image_format, extension", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")]
)
def test_an_accepted_image_is_stored_re_encoded_without_metadata(
    client, seeded, editor_client, media, image_format, extension
):
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x013B] = "Photographer's name"  # Artist
    options = {"exif": exif.tobytes()}
    if image_format == "GIF":  # no EXIF in a GIF, but a comment
        options = {"comment": b"secret description by the Photographer"}
    original = image_bytes(image_format, size=(8000, 12), **options)
    # A misleading name: the stored file is named for what it is.
    response = upload(editor_client, "count.bmp", original)
    assert response.status_code == 302, text_of(response)[:3000]

    block = Block.objects.get(post__title="A picture")
    assert block.image.name.endswith(f".{extension}")
    assert (block.image_width, block.image_height) == (8000, 12)
    stored = block.image.read()
    assert stored != original
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == image_format
        assert image.size == (8000, 12)
        assert not image.getexif()
        assert "exif" not in image.info and "comment" not in image.info
    assert b"secret description" not in stored and b"Photographer" not in stored
    # And the renditions phones and laptops are offered, made from the picture alone.
    webp, fallback = block.renditions["image/webp"], block.renditions["image/jpeg"]
    assert [width for width, _ in webp] == [width for width, _ in fallback] == [480, 960, 1600]
    for width, name in webp + fallback:
        rendition = default_storage.open(name).read()
        assert b"secret description" not in rendition and b"Photographer" not in rendition
        with Image.open(io.BytesIO(rendition)) as image:
            assert image.width == width and not image.getexif()
    page = client.get(block.post.get_absolute_url()).content.decode()
    assert f'src="/media/{fallback[-1][1]}"' in page
    assert f'<source type="image/webp" srcset="/media/{webp[0][1]} 480w, ' in page
    assert default_storage.exists(block.image.name)


def animation(frames, size):
    buffer = io.BytesIO()
    pictures = []
    for number in range(frames):
        picture = Image.new("P", size, number % 2)  # colour 0 and colour 1 in turn
        picture.putpalette([200, 30, 60, 0, 0, 0])
        pictures.append(picture)
    pictures[0].save(
        buffer,
        "GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=100,
        loop=0,
        comment=b"secret",
    )
    return buffer.getvalue()


def test_an_animation_keeps_its_frames(seeded, editor_client, media):
    response = upload(editor_client, "count.gif", animation(3, (60, 40)))
    assert response.status_code == 302, text_of(response)[:3000]
    stored = Block.objects.get(post__title="A picture").image.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.n_frames, image.size) == ("GIF", 3, (60, 40))
    assert b"secret" not in stored


def test_an_animation_of_more_pixels_than_the_largest_photo_is_refused(
    seeded, editor_client, media
):
    response = upload(editor_client, "count.gif", animation(17, (2000, 2000)))
    assert_refused(
        response,
        "The animation is 17 frames of 2,000 × 2,000 pixels: the most is 64 million pixels in all.",
        media,
    )


def test_a_photo_is_kept_when_the_form_is_refused_for_another_block(
    client, seeded, editor_client, media
):
    photo = {
        "kind": "image",
        "image": SimpleUploadedFile("count.png", image_bytes("PNG"), content_type="image/png"),
        "alt": "A count hall",
        "caption": "The count",
        "credit": "Kate Linderholm/BBC",
    }
    wrong = {"text": '<iframe src="https://example.com/live"></iframe>'}
    data = post_form(title="A picture", blocks=[photo, wrong])
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    photo_form, wrong_form = response.context["inline_admin_formsets"][0].formset.forms
    assert dict(photo_form.errors) == {}
    assert list(wrong_form.errors) == ["text"]
    assert (
        "Image: Your photo count.png is kept (40 × 30 pixels): you need not choose it "
        "again. Choose another file only to replace it."
    ) in text_of(response)

    # Saved again as the form came back (no file chosen again), with the other block put
    # right: the photo is the post's.
    again = {name: value for name, value in data.items() if name != "blocks-0-image"}
    again["blocks-0-kept_image"] = photo_form.data["blocks-0-kept_image"]
    again["blocks-1-text"] = "Live from the count: https://example.com/live"
    response = editor_client.post("/admin/liveblog/post/add/", again)
    assert response.status_code == 302, text_of(response)[:3000]
    block = Block.objects.get(post__title="A picture", kind="image")
    assert (block.image_width, block.image_height) == (40, 30)
    assert [width for width, _ in block.renditions["image/webp"]] == [40]
    page = client.get(block.post.get_absolute_url()).content.decode()
    assert f'src="/media/{block.renditions["image/jpeg"][-1][1]}"' in page
    assert 'alt="A count hall" width="40" height="30"' in page


def test_a_kept_photo_cannot_be_forged(seeded, editor_client, media):
    data = post_form(
        title="A picture",
        blocks=[
            {
                "kind": "image",
                "kept_image": "posts/elsewhere.png",
                "alt": "A count hall",
                "caption": "The count",
                "credit": "Kate Linderholm/BBC",
            }
        ],
    )
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    assert "The photo you chose before was lost: choose it again." in text_of(response)
    assert not Post.objects.filter(title="A picture").exists()


def test_a_kept_photos_name_is_shown_as_text(seeded, editor_client, media):
    name = '<img src=x onerror="alert(1)">.png'
    data = post_form(
        title="A picture",
        blocks=[
            {
                "kind": "image",
                "image": SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png"),
                "alt": "",
                "caption": "The count",
                "credit": "Kate Linderholm/BBC",
            }
        ],
    )
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert "Your photo &lt;img src=x onerror=&quot;alert(1)&quot;&gt;.png is kept" in html


def test_a_photo_chosen_on_a_stale_form_is_kept_through_the_merge(
    client, seeded, editor_client, media
):
    post = Post.objects.get(title="Queues to get in")
    data = post_form(title=post.title, **existing_blocks(post))
    data |= {
        "blocks-TOTAL_FORMS": "4",
        "blocks-3-position": "3",
        "blocks-3-kind": "image",
        "blocks-3-image": SimpleUploadedFile(
            "count.png", image_bytes("PNG"), content_type="image/png"
        ),
        "blocks-3-alt": "A count hall",
        "blocks-3-caption": "The count",
        "blocks-3-credit": "Kate Linderholm/BBC",
    }
    kate = Client()
    kate.force_login(staff_member("kate", "Editors", first_name="Kate", last_name="L"))
    theirs = post_form(title="Queues at Dronfield", **existing_blocks(post))
    assert kate.post(f"/admin/liveblog/post/{post.pk}/change/", theirs).status_code == 302

    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", data)
    assert response.status_code == 200
    message = text_of(response)
    assert "This post changed after you opened it. Nothing you typed is saved yet." in message
    assert "Image: Your photo count.png is kept (40 × 30 pixels)" in message
    form = response.context["adminform"].form
    blocks = response.context["inline_admin_formsets"][0].formset
    assert form.data["title"] == "Queues at Dronfield"
    # Sent again as it came back (no file chosen again): theirs and the photo are kept.
    again = {name: values for name, values in form.data.lists() if name != "blocks-3-image"}
    again["blocks-3-kept_image"] = blocks.forms[3].data["blocks-3-kept_image"]
    response = editor_client.post(f"/admin/liveblog/post/{post.pk}/change/", again)
    assert response.status_code == 302, text_of(response)[:3000]
    post.refresh_from_db()
    assert post.title == "Queues at Dronfield"
    photo = post.blocks.order_by("position").last()
    assert (photo.kind, photo.alt, photo.image_width) == ("image", "A count hall", 40)
