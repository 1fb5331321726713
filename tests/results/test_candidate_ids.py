"""The ids others know a candidacy by, as the Library's candidate file gives them:
Democracy Club's person id, Parliament's MNIS id and the Electoral Commission's ids of
the registered party (and of a joint description's second party)."""

import pytest

from results.documents import DocumentError
from results.national import parse_candidates_csv

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
