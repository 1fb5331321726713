"""One rule each: which source's result an import may overwrite (desk over national over
seed), and a name's search form, however a row is written."""

from io import StringIO

import pytest
from django.core.management import call_command

from results import imports
from results.models import Candidacy, Constituency, Party, Result, ResultSource
from results.naming import normalise_name
from tests.national_data import import_national_arguments, national_data

pytestmark = pytest.mark.django_db

DESK, NATIONAL, SEED = ResultSource.DESK, ResultSource.NATIONAL, ResultSource.SEED


@pytest.mark.parametrize(
    "stored, importing, reason",
    [
        (DESK, NATIONAL, "the result was entered by the results desk"),
        (DESK, SEED, "the result was entered by the results desk"),
        (NATIONAL, SEED, "the result comes from the national results file"),
        (NATIONAL, NATIONAL, None),
        (SEED, SEED, None),
        (SEED, NATIONAL, None),
        (NATIONAL, DESK, None),
        (DESK, DESK, None),
    ],
)
def test_a_source_never_overwrites_one_above_it(stored, importing, reason):
    assert imports.kept_because(Result(source=stored), importing=importing) == reason
    assert imports.kept_because(None, importing=importing) is None


def test_both_imports_leave_alone_a_result_from_a_source_above_theirs(db):
    call_command("import_seeds", stdout=StringIO())
    assert Result.objects.filter(source=SEED).count() == 7
    # The desk has entered Kettering (its figures marked, to be seen kept).
    Result.objects.filter(constituency__slug="kettering").update(source=DESK, majority=1)
    call_command("import_national", *import_national_arguments(national_data()), verbosity=0)
    kettering = Result.objects.get(constituency__slug="kettering")
    assert (kettering.source, kettering.majority) == (DESK, 1)
    assert Result.objects.filter(source=NATIONAL).count() == 649
    daventry = Result.objects.get(constituency__slug="daventry")
    out = StringIO()
    call_command("import_seeds", stdout=out)
    assert "  left alone: Kettering: the result was entered by the results desk" in (out.getvalue())
    assert "  left alone: Daventry: the result comes from the national results file" in (
        out.getvalue()
    )
    kept = Result.objects.get(constituency__slug="daventry")
    assert (kept.source, kept.majority, kept.winner_id) == (
        NATIONAL,
        daventry.majority,
        daventry.winner_id,
    )
    assert Result.objects.get(constituency__slug="kettering").majority == 1
    assert Result.objects.filter(source=SEED).count() == 0


NAME = "Ynys Môn & St. Helier-O’Neill"


def test_a_name_has_one_search_form_however_it_is_written(db):
    party = Party.objects.create(slug="p", name="P", short_name="P")
    seat = Constituency.objects.create(name=NAME)
    candidacy = Candidacy.objects.create(constituency=seat, name=NAME, party=party, votes=1)
    assert seat.search_name == candidacy.search_name == normalise_name(NAME)
    assert seat.search_name == "ynys mon and st helier oneill"

    seat.name = candidacy.name = "Sión"
    seat.save(update_fields=["name"])
    candidacy.save(update_fields=["name"])
    seat.refresh_from_db()
    candidacy.refresh_from_db()
    assert seat.search_name == candidacy.search_name == "sion"

    # Rows written in bulk, as the national import writes them, take the same form.
    bulk = Constituency(slug="bulk", name=NAME).with_search_name()
    Constituency.objects.bulk_create([bulk])
    assert Constituency.objects.get(slug="bulk").search_name == normalise_name(NAME)


def test_the_national_import_writes_search_names_by_the_one_rule(db):
    call_command("import_national", *import_national_arguments(national_data()), verbosity=0)
    for model in (Constituency, Candidacy):
        rows = model.objects.values_list("name", "search_name")
        assert all(search_name == normalise_name(name) for name, search_name in rows)
