"""Stable ids in the open data: seats by ONS code, candidates by an id of their own and
the ids others know them by, parties by Electoral Commission id, in the API and the CSVs."""

import pytest

from results.models import Party, RegisteredParty

pytestmark = pytest.mark.django_db

GREEN_PARTY = [
    RegisteredParty("Green", "PP63", ""),
    RegisteredParty("Scottish Green Party", "PP130", ""),
    RegisteredParty("Green Party Northern Ireland", "PP305", ""),
]
LABOUR = [
    RegisteredParty("Labour", "PP53", ""),
    RegisteredParty("Labour and Co-operative", "PP53", "PP119"),
]


# Parties by Electoral Commission id.


def test_each_party_has_the_registered_parties_its_candidates_stood_for(
    every_seat, django_assert_num_queries
):
    with django_assert_num_queries(1):
        registered = Party.objects.registered_parties()
    by_slug = {party.slug: registered.get(party.pk, []) for party in Party.objects.all()}
    assert by_slug["green-party"] == GREEN_PARTY
    assert by_slug["labour"] == LABOUR
    # Neither an independent nor the Speaker stands for a registered party.
    assert by_slug["independent"] == by_slug["speaker"] == []


def test_a_party_found_by_an_electoral_commission_id(every_seat):
    green = Party.objects.get(slug="green-party")
    assert Party.objects.with_ec_id("PP130") == green
    assert Party.objects.with_ec_id("pp305") == green
    assert Party.objects.with_ec_id("PP53").slug == "labour"
    # The Co-operative Party stands only with Labour, under Labour's id: no party of its own.
    assert Party.objects.with_ec_id("PP119") is None
    assert Party.objects.with_ec_id("PP0") is None
    assert Party.objects.with_ec_id("") is None
