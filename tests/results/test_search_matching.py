"""The matcher behind search (results.search), on plain names: no database."""

import pytest

from results.naming import normalise_name
from results.search import Found, best_of, looks_like_postcode, ranked, readable

SEATS = [
    (1, "Kettering"),
    (2, "Northampton North"),
    (3, "South Northamptonshire"),
    (4, "Southampton Itchen"),
    (5, "Bethnal Green and Stepney"),
    (6, "Greenwich and Woolwich"),
]
PEOPLE = [(1, "Bayo Alaba"), (2, "Izzy Solabarrieta"), (3, "Keir Starmer"), (4, "Ryan Kett")]


def names(pairs):
    return [(id_, normalise_name(name)) for id_, name in pairs]


def found(query, pairs, **options):
    lookup = dict(pairs)
    matches = ranked(query, names(pairs), **options)
    return [(lookup[match.id], round(match.score)) for match in matches]


def test_a_whole_word_scores_100_and_its_start_less_as_less_is_typed():
    assert found("kettering", SEATS) == [("Kettering", 100)]
    assert found("ketter", SEATS) == [("Kettering", 93)]  # 80 + 20 × 6/9
    assert found("k", SEATS) == [("Kettering", 82)]


def test_a_misspelt_word_is_forgiven_above_the_cutoff():
    # fuzz.ratio: 2 × 8 letters in common / (8 + 9) = 94.
    assert found("Kettring", SEATS) == [("Kettering", 94)]
    # Southampton is 82 for northampton: another place, not a misspelling.
    assert found("northampton", SEATS) == [
        ("Northampton North", 100),
        ("South Northamptonshire", 94),
    ]


def test_words_match_from_their_start_never_from_inside():
    assert found("lab", PEOPLE) == []
    assert found("starm", PEOPLE) == [("Keir Starmer", 94)]
    assert found("ampton", SEATS) == []


def test_short_words_are_never_taken_as_misspelt():
    # `ket` is one letter from `kett`, but three letters are matched from the start only.
    assert found("ket", PEOPLE) == [("Ryan Kett", 95)]
    assert found("kot", PEOPLE) == []


def test_every_word_typed_must_match_and_the_closest_name_comes_first():
    assert found("green", SEATS) == [
        ("Bethnal Green and Stepney", 100),
        ("Greenwich and Woolwich", 91),
    ]
    assert found("green stepney", SEATS) == [("Bethnal Green and Stepney", 100)]
    assert found("green kettering", SEATS) == []
    assert found("starmer keir", PEOPLE) == [("Keir Starmer", 100)]


@pytest.mark.parametrize("query", ["", "   ", "zzzz", "%%%", "word " * 13])
def test_nothing_is_found_for_nothing_like_a_name(query):
    assert found(query, SEATS + PEOPLE) == []


def test_a_name_taken_whole_is_not_matched_word_by_word():
    labels = [(1, "Lab"), (2, "Lib Dem"), (3, "SDLP")]
    assert found("lib dem", labels, whole=True) == [("Lib Dem", 100)]
    assert found("dem", labels, whole=True) == []
    assert found("lab", labels, whole=True) == [("Lab", 100)]


def test_an_id_named_twice_is_ranked_by_its_best():
    parties = [(1, "Labour"), (2, "Social Democratic and Labour Party")]
    by_name = ranked("lab", names(parties))
    by_label = ranked("lab", names([(1, "Lab"), (2, "SDLP")]), whole=True)
    assert [(match.id, round(match.score)) for match in best_of(by_name, by_label)] == [
        (1, 100),
        (2, 90),
    ]


def test_found_keeps_the_best_rows_and_counts_them_all():
    class Row:
        pass

    rows = {id_: Row() for id_, _ in SEATS}
    result = Found.of(ranked("north", names(SEATS)), rows, limit=1)
    assert result.shown == [rows[2]] and result.total == 2 and result.more
    assert result.shown[0].search_score == 100


@pytest.mark.parametrize(
    "text", ["NN16 8AB", "nn168ab", " nn16  8ab ", "NN16", "SW1A 1AA", "M1 1AE", "EC1A 1BB"]
)
def test_postcodes_are_recognised(text):
    assert looks_like_postcode(text)


@pytest.mark.parametrize("text", ["Kettering", "NN16 8AB 8AB", "16 8AB", "Derby North", "1234"])
def test_names_are_not_taken_for_postcodes(text):
    assert not looks_like_postcode(text)


def test_control_and_format_characters_are_dropped():
    assert readable("\x00Kette\u202ering\x07 ") == "Kettering"
    assert readable("Sinn Féin") == "Sinn Féin"
