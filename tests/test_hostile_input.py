"""No query string makes a reader's page fail: hostile values for every parameter pages
read (pages.params.PARSERS) and stray ones, on every reader URL (pages.urls), so a new
page or parameter is covered as soon as it exists; property-based, with hypothesis.
Nor does any query string make an admin list fail, for every model the admin registers,
for a superuser and each role; nor any path the media view is asked for."""

from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from liveblog.models import Post
from liveblog.roles import EDITORS, RESULTS_DESK, RESULTS_SUPERVISORS
from pages import urls as reader_urls
from pages.lists import NIGHT_LISTS
from pages.params import PARSERS
from results.models import Constituency, Region
from tests.conftest import staff_member

pytestmark = pytest.mark.django_db

PARAMETERS = sorted(PARSERS)  # at, page, q, since, sort, and any added since
STRAY = ["utm_source", "AT", "page[]", "", " ", "at\x00", "é", "a" * 300]
# Values that broke pages once, or are near the edges of what each parser reads.
EDGES = [
    "",
    " ",
    "abc",
    "1.5",
    "-1",
    "0",
    "00",
    "+1",
    "1e9",
    "nan",
    "inf",
    "\x00",
    "1\x00",
    "%00",
    str(2**63),
    str(10**40),
    "-" + str(10**40),
    "9999-12-31",
    "9999-12-31T23:59",
    "9999-12-31T23:59-05:00",
    "9999-12-31T23:59:59.999999+23:59",
    "0001-01-01",
    "0001-01-01T00:00+05:00",
    "0001-01-01T00:00-23:59",
    "2024-07-05T03:00",
    "2024-07-05T03:00Z",
    "2024-07-05T03:00+14:00",
    "2024-02-30T00:00",
    "24:00",
    "23:60",
    "03:00",
    "-votes",
    "--votes",
    "votes\x00",
    "-",
    "ü" * 50,
    "😀" * 30,
    "\u202e\u0301",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "england",
    "labour",
    "gains",
    "-majority",
    "%",
    "x" * 10_000,
]
NAME = st.sampled_from(PARAMETERS + STRAY) | st.text(max_size=20)
VALUE = st.one_of(
    st.sampled_from(EDGES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
    st.text(max_size=200),
    st.text(min_size=2000, max_size=5000),
)
# Repeated parameters, in any order; or raw bytes, percent-encoded, not valid UTF-8 at all.
QUERY = st.one_of(
    st.lists(st.tuples(NAME, VALUE), max_size=6).map(urlencode),
    st.binary(max_size=200).map(lambda raw: quote(raw, safe="=&")),
)


def sample_kwargs(pattern):
    """An address's arguments for a reader URL, on the seeded data. A page added to
    pages.urls with no arguments is covered as it is; one with arguments needs a line
    here, or this test says so."""
    if not pattern.pattern.converters:
        return {}
    post = Post.objects.published().select_related("live_page__county").first()
    samples = {
        "region-detail": {"slug": "east-midlands"},
        "county-detail": {"slug": "northamptonshire"},
        "county-feed": {"slug": "northamptonshire"},
        "county-updates": {"slug": "northamptonshire"},
        "post-detail": {"slug": post.live_page.county.slug, "pk": post.pk},
        "constituency-detail": {"slug": "kettering"},
        "party-detail": {"slug": "labour"},
        "fragment": {"kind": "strip"},
        "fragment-of": {"kind": "party-figures", "argument": "labour"},
        "night-list": {"slug": next(iter(NIGHT_LISTS))},
        "sitemap-section": {"section": "posts"},
        "constituency-csv": {"slug": "kettering"},
        "party-csv": {"slug": "labour"},
        "region-csv": {"slug": "east-midlands"},
        "county-csv": {"slug": "derbyshire"},
    }
    assert pattern.name in samples, f"add a sample address for the reader URL {pattern.name!r}"
    return samples[pattern.name]


@pytest.fixture
def with_a_region(seeded):
    """The seeds have no regions: one, with Northamptonshire's seats, for its page."""
    region = Region.objects.create(
        slug="east-midlands", name="East Midlands", ons_code="E15000004", nation="England"
    )
    Constituency.objects.filter(county__slug="northamptonshire").update(region=region)


@pytest.mark.parametrize(
    "pattern", reader_urls.urlpatterns, ids=[pattern.name for pattern in reader_urls.urlpatterns]
)
def test_no_query_string_makes_a_reader_page_fail(client, with_a_region, pattern):
    address = reverse(f"pages:{pattern.name}", kwargs=sample_kwargs(pattern))
    assert client.get(address).status_code == 200

    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=QUERY)
    @example(query="since=abc")
    @example(query="since=1.5")
    @example(query="since=%00")
    @example(query="at=9999-12-31T23:59-05:00")
    @example(query="at=0001-01-01T00:00%2B05:00")
    @example(query="page=-1&page=99999999999999999999&page=abc")
    @example(query="q=%00&q=" + "x" * 5000)
    @example(query="sort=-votes&sort=%00&sort=name")
    @example(query="at=%ff%fe&since=%c0%af")
    def no_failure(query):
        response = client.get(f"{address}?{query}")
        assert response.status_code in {200, 301, 302, 404}, (address, query)

    no_failure()


# The admin's changelists: every list filter's and date hierarchy's parameter, with the
# lookups a query string can add, and the admin's own (search, order, page, facets).
LOOKUPS = ["", "__exact", "__year", "__month", "__day", "__gte", "__lt", "__isnull", "__in"]
LOOKUPS += ["__id__exact", "__range", "__regex", "__contains"]
ADMIN_PARAMETERS = ["q", "o", "p", "e", "all", "_facets", "_popup", "_to_field"]
ADMIN_EDGES = ["99999", "9999", "10000", "0", "-1", "13", "32", "9999-12-31", "99999-01-01"]
ROLES = [None, EDITORS, RESULTS_DESK, RESULTS_SUPERVISORS]  # None: a superuser


def changelist_parameters(model, model_admin):
    names = {model_admin.date_hierarchy} - {None}
    names |= {spec for spec in model_admin.list_filter if isinstance(spec, str)}
    names |= {spec[0] for spec in model_admin.list_filter if isinstance(spec, tuple)}
    for spec in model_admin.list_filter:
        if isinstance(spec, type) and getattr(spec, "parameter_name", None):
            names.add(spec.parameter_name)
    fields = [f"{name}{lookup}" for name in sorted(names) for lookup in LOOKUPS]
    return fields + ADMIN_PARAMETERS


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


# A date in a filter is naive, as the admin's own date filters send it.
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")
@pytest.mark.parametrize(
    "model, model_admin", REGISTERED, ids=[model._meta.label for model, _ in REGISTERED]
)
def test_no_query_string_makes_an_admin_list_fail(client, seeded, model, model_admin):
    users = {
        role: staff_member(f"user{number}", role, is_superuser=role is None)
        for number, role in enumerate(ROLES)
    }
    address = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    names = st.sampled_from(changelist_parameters(model, model_admin)) | NAME
    values = st.sampled_from(ADMIN_EDGES) | VALUE
    queries = st.one_of(
        st.lists(st.tuples(names, values), max_size=4).map(urlencode),
        st.binary(max_size=100).map(lambda raw: quote(raw, safe="=&")),
    )

    @settings(
        max_examples=6,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(role=st.sampled_from(ROLES), query=queries)
    def no_failure(role, query):
        client.force_login(users[role])
        response = client.get(f"{address}?{query}")
        # 403: a role that may not see the list; 400: the admin's own refusal (_to_field).
        assert response.status_code in {200, 302, 400, 403}, (address, role, query)

    for role in ROLES:  # every date filter at a year out of range, for every role
        client.force_login(users[role])
        for name in changelist_parameters(model, model_admin):
            if name.endswith("__year"):
                response = client.get(f"{address}?{name}=99999")
                assert response.status_code in {200, 302, 403}, (address, role, name)
    no_failure()


MEDIA_EDGES = ["x%00", "%00", "x\x00.png", "../../etc/passwd", "..%2f..%2fetc%2fpasswd"]
MEDIA_EDGES += ["posts/", "posts/..", "/etc/passwd", "%ff%fe.png", "a" * 5000 + ".png"]
MEDIA_EDGES += ["posts/0123456789abcdef0123.png", "COM1.png", "x.png/", ".", "~root"]


def test_no_media_path_makes_the_media_view_fail(client, media):
    (media / "posts").mkdir(parents=True)
    (media / "posts" / "count.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert client.get("/media/posts/count.png").status_code == 200

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        path=st.one_of(
            st.sampled_from(MEDIA_EDGES),
            st.text(min_size=1, max_size=300).map(lambda text: quote(text, safe="/")),
            st.binary(min_size=1, max_size=200).map(lambda raw: quote(raw, safe="/%")),
        )
    )
    @example(path="x%00")
    @example(path="posts/count.png%00.png")
    def no_failure(path):
        response = client.get(f"/media/{path}")
        assert response.status_code in {200, 301, 304, 400, 404}, path

    no_failure()
