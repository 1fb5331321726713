"""No input makes the site answer 500: an XML-invalid character in a post, a media path
with a NUL, a decompression bomb, an admin date filter out of range."""

import io
import struct
import zlib
from xml.etree import ElementTree as ET

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image

from liveblog.models import LivePage, Post
from results.documents import DocumentError, read_document
from results.models import Candidacy, Constituency, Party
from results.text import PlainText
from tests.conftest import staff_member
from tests.newsroom.forms import declaration_form, declaration_post, post_form
from tests.pages import text_of

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_post_title_with_a_control_character_is_refused_in_the_admin(seeded, editor_client):
    data = post_form(title="Erewash\x0bdeclares", blocks=[{"text": "Labour gain."}])
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    assert (
        "The text holds a control character (U+000B), which no page or feed can carry: "
        "remove it." in text_of(response)
    )
    assert not Post.objects.filter(title__startswith="Erewash").exists()


def test_a_control_character_written_past_the_forms_leaves_the_feed_valid(client, seeded):
    post = Post.objects.published().filter(live_page__county__slug="derbyshire").first()
    # Not NUL, which PostgreSQL refuses to store at all: U+0001, as invalid in XML.
    Post.objects.filter(pk=post.pk).update(title="Erewash\x0bdeclares\x01")
    response = client.get("/counties/derbyshire/feed/")
    assert response.status_code == 200
    titles = [
        entry.find(f"{ATOM}title").text
        for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")
    ]
    assert "Erewashdeclares" in titles


def test_a_media_path_with_a_nul_is_not_found(client, media):
    assert client.get("/media/x%00").status_code == 404
    assert client.get("/media/posts/x%00.png").status_code == 404


def bomb_png(width, height):
    """A PNG of one pixel whose header claims width × height pixels: small on disk."""
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    raw = bytearray(buffer.getvalue())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    raw[16:29] = header
    raw[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(raw)


def test_a_decompression_bomb_is_refused_naming_the_limit(seeded, editor_client, media):
    data = post_form(
        title="A picture",
        blocks=[
            {
                "kind": "image",
                "image": SimpleUploadedFile("bomb.png", bomb_png(20000, 20000), "image/png"),
                "alt": "A count hall",
                "caption": "The count",
                "credit": "Kate Linderholm/BBC",
            }
        ],
    )
    response = editor_client.post("/admin/liveblog/post/add/", data)
    assert response.status_code == 200
    assert "the most is 8,000 on each side" in text_of(response)
    assert not Post.objects.filter(title="A picture").exists()


def date_filters():
    """Every admin changelist's date fields a query string can filter on: the date
    hierarchy and the list filters, for every model the admin site registers."""
    found = []
    for model, model_admin in admin.site._registry.items():
        names = {model_admin.date_hierarchy} if model_admin.date_hierarchy else set()
        names |= {f for f in model_admin.list_filter if isinstance(f, str)}
        names |= {f.name for f in model._meta.get_fields() if isinstance(f, models.DateField)}
        for name in sorted(names):
            try:
                field = model._meta.get_field(name)
            except Exception:
                continue
            if isinstance(field, models.DateField):
                found.append((model, name))
    return found


DATE_VALUES = ["99999", "9999", "0", "-1", "10000"]


# A date in a filter is naive, as the admin's own date filters send it.
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")
def test_no_admin_date_filter_gives_a_500(client, seeded):
    client.force_login(staff_member("root", is_superuser=True))
    filters = date_filters()
    assert ("Post", "published_at") in {(m.__name__, n) for m, n in filters}
    for model, name in filters:
        address = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for value in DATE_VALUES:
            for query in (
                f"{name}__year={value}",
                f"{name}__year={value}&{name}__month=12&{name}__day=31",
                f"{name}__gte={value}-01-01",
                f"{name}__lt={value}-12-31",
            ):
                response = client.get(f"{address}?{query}")
                assert response.status_code in {200, 302}, (address, query)
                if response.status_code == 302:
                    assert response["Location"].endswith("?e=1"), (address, query)


def test_an_imported_document_with_a_control_character_is_refused(tmp_path):
    path = tmp_path / "kettering.txt"
    path.write_text("Kettering\nRosie Wrighting\x0b, Labour, 18,009\n", encoding="utf-8")
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert str(refused.value) == (
        f"{path}, line 2: holds a control character (U+000B), which no page or feed can carry"
    )


def test_a_name_with_a_control_character_is_refused_by_every_text_model(seeded):
    candidacy = Candidacy.objects.first()
    candidacy.name = "Rosie\x0cWrighting"
    with pytest.raises(ValidationError) as refused:
        candidacy.full_clean()
    assert refused.value.message_dict["name"] == [
        "The text holds a control character (U+000C), which no page or feed can carry: remove it."
    ]
    live_page = LivePage.objects.first()
    live_page.summary = ["Labour gain Erewash", "Turnout\x1f down"]
    with pytest.raises(ValidationError) as refused:
        live_page.full_clean()
    assert refused.value.message_dict["summary"] == [
        "The text holds a control character (U+001F), which no page or feed can carry: remove it."
    ]
    checked = {model.__name__ for model in apps.get_models() if issubclass(model, PlainText)}
    assert checked >= {
        "LivePage",
        "Post",
        "Block",
        "Election",
        "Party",
        "Region",
        "County",
        "Constituency",
        "Candidacy",
    }


def test_a_candidate_name_the_desk_types_with_a_control_character_is_refused(seeded, desk_client):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    data = declaration_form(
        dales,
        [("John\x0bWhitby", labour, 17759), ("Sarah Dines", conservative, 17409)],
        outcome="GAIN",
        gained_from=conservative,
        electorate="74123",
    )
    response = declaration_post(desk_client, dales, data)
    assert response.status_code == 200
    assert (
        "The text holds a control character (U+000B), which no page or feed can carry: "
        "remove it." in text_of(response)
    )
    assert not Candidacy.objects.filter(name__startswith="John").exists()
