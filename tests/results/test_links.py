"""Addresses built from a reversed template are the addresses reverse() gives."""

import pytest
from django.urls import reverse

from results.links import page_url


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("pages:constituency-detail", {"slug": "wellingborough-and-rushden"}),
        ("pages:county-detail", {"slug": "derbyshire"}),
        ("pages:party-detail", {"slug": "sinn-fein"}),
        ("pages:region-detail", {"slug": "east-midlands"}),
        ("pages:post-detail", {"slug": "northamptonshire", "pk": 12}),
    ],
)
def test_page_url_is_what_reverse_gives(name, kwargs):
    assert page_url(name, **kwargs) == reverse(name, kwargs=kwargs)
