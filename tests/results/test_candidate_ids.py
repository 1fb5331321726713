"""The ids others know a candidacy by, as the Library's candidate file gives them:
Democracy Club's person id, Parliament's MNIS id and the Electoral Commission's ids of
the registered party (and of a joint description's second party)."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from results.documents import DocumentError
from results.models import Candidacy
from results.national import parse_candidates_csv
from tests.national_data import FILES, import_national_arguments, national_data

HEADER = (
    "ONS ID,Constituency name,Party name,Party abbreviation,"
    "Electoral Commission party ID,Electoral Commission adjunct party ID,"
    "Candidate first name,Candidate surname,Member MNIS ID,Votes,Share,Change,DC Person ID\n"
)
# Birmingham Edgbaston, line 341 of the Library's file, its columns as in HEADER.
PREET_GILL = (
    "E14001092,Birmingham Edgbaston,Labour and Co-operative,Lab,PP53,PP119,"
    "Preet,Gill,4603,16599,0.443492,-0.079722,19009\n"
)
# Kettering, line 2174: an independent, with no party ids and no MNIS id.
JIM_HAKEWILL = "E14001311,Kettering,Independent,Ind,,,Jim,Hakewill,,1057,0.021043,,30433\n"


def test_the_ids_of_a_labour_and_co_operative_mp():
    (gill,) = parse_candidates_csv(HEADER + PREET_GILL, "hoc.csv")
    assert (gill.party_name, gill.dc_person_id, gill.mnis_id) == (
        "Labour and Co-operative",
        19009,
        4603,
    )
    assert (gill.ec_party_id, gill.ec_adjunct_party_id) == ("PP53", "PP119")


def test_an_independent_has_no_party_ids():
    (hakewill,) = parse_candidates_csv(HEADER + JIM_HAKEWILL, "hoc.csv")
    assert (hakewill.dc_person_id, hakewill.mnis_id) == (30433, None)
    assert (hakewill.ec_party_id, hakewill.ec_adjunct_party_id) == ("", "")


def test_a_file_without_the_id_columns_still_parses():
    text = (
        "ONS ID,Constituency name,Party name,Party abbreviation,"
        "Candidate first name,Candidate surname,Votes,Share,Change\n"
        "E14001092,Birmingham Edgbaston,Labour and Co-operative,Lab,"
        "Preet,Gill,16599,0.443492,-0.079722\n"
    )
    (gill,) = parse_candidates_csv(text, "hoc.csv")
    assert (gill.dc_person_id, gill.mnis_id, gill.ec_party_id, gill.ec_adjunct_party_id) == (
        None,
        None,
        "",
        "",
    )


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (",19009\n", ",19009a\n", "DC Person ID '19009a' is not a whole number"),
        (",19009\n", ",1.5\n", "DC Person ID '1.5' is not a whole number"),
        (",19009\n", ",-7\n", "DC Person ID '-7' is not a whole number"),
        (",19009\n", ',"19,009"\n', "DC Person ID '19,009' is not a whole number"),
        (",19009\n", ",12345678901\n", "DC Person ID 12345678901 is too large for an id"),
        (",4603,", ",MP4603,", "Member MNIS ID 'MP4603' is not a whole number"),
        (
            ",PP53,PP119,",
            ",53,PP119,",
            "Electoral Commission party ID '53' is not an Electoral Commission id like PP53",
        ),
        (
            ",PP53,PP119,",
            ",pp53,PP119,",
            "Electoral Commission party ID 'pp53' is not an Electoral Commission id like PP53",
        ),
        (
            ",PP53,PP119,",
            ",PP53,PP,",
            "Electoral Commission adjunct party ID 'PP' is not an Electoral Commission id "
            "like PP53",
        ),
    ],
)
def test_a_bad_id_names_the_file_line_and_column(replace, by, message):
    with pytest.raises(DocumentError) as raised:
        parse_candidates_csv(HEADER + PREET_GILL + PREET_GILL.replace(replace, by), "hoc.csv")
    assert str(raised.value) == f"hoc.csv, line 3: {message}"


# The Library's file, imported, against the file itself read by the csv module.


def library_rows():
    folder = national_data()
    with open(folder / FILES["candidates"], encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def whole(value):
    return int(value) if value else None


def ids_in_the_file(rows):
    """{DC person id: (MNIS id, registered party, its id, adjunct id)} as the file has them."""
    return {
        int(row["DC Person ID"]): (
            whole(row["Member MNIS ID"]),
            row["Party name"],
            row["Electoral Commission party ID"],
            row["Electoral Commission adjunct party ID"],
        )
        for row in rows
    }


def stored_ids():
    return {
        dc_person_id: (mnis_id, label, ec_party_id, adjunct)
        for dc_person_id, mnis_id, label, ec_party_id, adjunct in Candidacy.objects.values_list(
            "dc_person_id", "mnis_id", "party_label", "ec_party_id", "ec_adjunct_party_id"
        )
    }


def registered(**lookup):
    return Candidacy.objects.filter(**lookup).values_list("party__slug", flat=True)


@pytest.mark.django_db
def test_every_candidacy_has_the_library_files_ids(every_seat):
    rows = library_rows()
    assert Candidacy.objects.count() == len(rows) == 4515
    with_dc_id = sum(bool(row["DC Person ID"]) for row in rows)
    assert Candidacy.objects.exclude(dc_person_id=None).count() == with_dc_id == 4515
    with_mnis_id = sum(bool(row["Member MNIS ID"]) for row in rows)
    assert Candidacy.objects.exclude(mnis_id=None).count() == with_mnis_id == 885
    assert stored_ids() == ids_in_the_file(rows)


@pytest.mark.django_db
def test_registered_parties_are_kept_beside_the_display_party(every_seat):
    rows = library_rows()

    def in_the_file(name, ec_party_id, adjunct=""):
        return sum(
            (
                row["Party name"],
                row["Electoral Commission party ID"],
                row["Electoral Commission adjunct party ID"],
            )
            == (name, ec_party_id, adjunct)
            for row in rows
        )

    co_op = registered(
        party_label="Labour and Co-operative", ec_party_id="PP53", ec_adjunct_party_id="PP119"
    )
    assert list(co_op) == ["labour"] * in_the_file("Labour and Co-operative", "PP53", "PP119")
    assert len(co_op) == 49
    for label, ec_party_id, count in [
        ("Green", "PP63", 574),
        ("Scottish Green Party", "PP130", 44),
        ("Green Party Northern Ireland", "PP305", 11),
    ]:
        stood = registered(party_label=label, ec_party_id=ec_party_id, ec_adjunct_party_id="")
        assert (
            list(stood)
            == ["green-party"] * in_the_file(label, ec_party_id)
            == (["green-party"] * count)
        )


@pytest.mark.django_db
def test_a_second_import_keeps_every_candidacys_id(every_seat):
    before = dict(Candidacy.objects.values_list("dc_person_id", "pk"))
    out = StringIO()
    call_command("import_national", *import_national_arguments(national_data()), stdout=out)
    assert dict(Candidacy.objects.values_list("dc_person_id", "pk")) == before
    assert "unchanged 12 regions, 650 constituencies, 4515 candidacies" in out.getvalue()
    assert stored_ids() == ids_in_the_file(library_rows())


@pytest.mark.django_db
def test_the_nominations_carry_the_ids_too(db):
    out = StringIO()
    call_command(
        "import_national",
        *import_national_arguments(national_data(), "candidates"),
        "--no-results",
        stdout=out,
    )
    assert stored_ids() == ids_in_the_file(library_rows())
    before = dict(Candidacy.objects.values_list("dc_person_id", "pk"))
    call_command(
        "import_national",
        *import_national_arguments(national_data(), "candidates"),
        "--no-results",
        stdout=out,
    )
    assert dict(Candidacy.objects.values_list("dc_person_id", "pk")) == before


@pytest.mark.django_db
def test_a_candidate_who_changes_party_in_the_file_keeps_their_id(every_seat, tmp_path):
    """Matched by Democracy Club's person id: Jim Hakewill, an independent in Kettering,
    relabelled in a corrected file, is the same candidacy, not a new one."""
    folder = national_data()
    hakewill = Candidacy.objects.get(name="Jim Hakewill")
    text = (folder / FILES["candidates"]).read_text(encoding="utf-8")
    old = "Kettering,,East Midlands,England,County,Independent,Ind,,8,,Jim,Hakewill"
    assert old in text
    copy = tmp_path / FILES["candidates"]
    copy.write_text(
        text.replace(old, old.replace("Independent,Ind,,", "Kettering First,KF,PP99999,")),
        encoding="utf-8",
    )
    arguments = import_national_arguments(folder)
    arguments[arguments.index("--candidates") + 1] = str(copy)
    call_command("import_national", *arguments, verbosity=0)
    relabelled = Candidacy.objects.select_related("party").get(name="Jim Hakewill")
    assert (relabelled.pk, relabelled.party.name, relabelled.ec_party_id) == (
        hakewill.pk,
        "Kettering First",
        "PP99999",
    )
    assert Candidacy.objects.count() == 4515


def candidacy_ids_by_pk():
    return {
        pk: rest
        for pk, *rest in Candidacy.objects.values_list(
            "pk", "dc_person_id", "mnis_id", "party_label", "ec_party_id", "ec_adjunct_party_id"
        )
    }


@pytest.mark.django_db
def test_a_seed_page_keeps_every_candidacy_and_its_ids(db):
    """The Library's nominations, then the seed pages' results: each candidacy a seed
    page names under another spelling is the same candidacy, with its ids and the
    registered party it stood for."""
    call_command(
        "import_national",
        *import_national_arguments(national_data(), "constituencies", "candidates"),
        "--no-results",
        verbosity=0,
    )
    before = candidacy_ids_by_pk()
    call_command("import_seeds", verbosity=0)
    assert candidacy_ids_by_pk() == before
    # Kettering's seed page, line 37: "Jehad Aburamadan - Alliance for Democracy and
    # Freedom - 62 (0.12%)"; the Library spells him Abduramadan.
    respelt = Candidacy.objects.get(dc_person_id=32311)
    assert (respelt.name, respelt.votes, respelt.ec_party_id) == (
        "Jehad Abduramadan",
        62,
        "PP10288",
    )
    # The seed pages label Conservatives `Conservatives`, the Library `Conservative`.
    assert not Candidacy.objects.filter(party_label="Conservatives").exists()


@pytest.mark.django_db
def test_the_desks_seats_get_the_library_ids_and_keep_their_figures(seeded, desk):
    from tests.test_provenance_pages import desk_corrects_kettering

    desk_corrects_kettering(desk)
    kettering = Candidacy.objects.filter(constituency__slug="kettering")
    before = {c.pk: (c.name, c.votes, c.share, c.party_id) for c in kettering}
    out = StringIO()
    call_command("import_national", *import_national_arguments(national_data()), stdout=out)
    assert "left alone: Kettering: the result was entered by the results desk" in out.getvalue()
    after = Candidacy.objects.filter(constituency__slug="kettering").order_by("-votes")
    assert {c.pk: (c.name, c.votes, c.share, c.party_id) for c in after} == before
    # The desk's figures (ten more for the winner) and the seed's spellings, the
    # Library's ids (Kettering, lines 2172 to 2179 of its candidates file).
    assert [(c.name, c.votes, c.dc_person_id, c.mnis_id, c.ec_party_id) for c in after] == [
        ("Rosie Wrighting", 18019, 84777, 5331, "PP53"),
        ("Philip Hollobone", 14189, 1768, 1537, "PP52"),
        ("Crispian Besley", 8468, 117396, None, "PP7931"),
        ("Emily Fedorowycz", 7004, 80495, None, "PP63"),
        ("Sarah Ryan", 1357, 40205, None, "PP90"),
        ("Jim Hakewill", 1057, 30433, None, ""),
        ("Matthew Murphy", 85, 115896, None, "PP243"),
        ("Jehad Aburamadan", 62, 32311, None, "PP10288"),
    ]
