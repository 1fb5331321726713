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


@pytest.fixture
def asked(monkeypatch):
    """Every (stored source, importing source) the imports ask the rule about."""
    questions = []
    rule = imports.kept_because

    def recording(result, *, importing):
        questions.append((result.source if result else None, importing))
        return rule(result, importing=importing)

    monkeypatch.setattr(imports, "kept_because", recording)
    return questions


def test_both_imports_ask_the_one_rule(db, asked):
    call_command("import_seeds", stdout=StringIO())
    assert {importing for _, importing in asked} == {SEED}
    seeded = len(asked)
    assert seeded == Result.objects.count() == 7
    Result.objects.filter(constituency__slug="kettering").update(source=DESK)
    call_command("import_national", *import_national_arguments(national_data()), verbosity=0)
    assert (DESK, NATIONAL) in asked[seeded:]
    assert {importing for _, importing in asked[seeded:]} == {NATIONAL}
    asked.clear()
    out = StringIO()
    call_command("import_seeds", stdout=out)
    assert (DESK, SEED) in asked and (NATIONAL, SEED) in asked
    assert "  left alone: Kettering: the result was entered by the results desk" in (out.getvalue())
    assert "  left alone: Daventry: the result comes from the national results file" in (
        out.getvalue()
    )


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
