"""django-filter filter sets for readers' lists."""

import django_filters
from django import forms
from django.db.models import Q

from results.models import Constituency, Outcome, Party, Region, Result

NATIONS = {
    "england": "England",
    "scotland": "Scotland",
    "wales": "Wales",
    "northern-ireland": "Northern Ireland",
}
OUTCOMES = {"gain": "Gain", "hold": "Hold", "awaiting": "Awaiting declaration"}
GAIN_OR_HOLD = frozenset({"gain", "hold"})


PARTY_FILTERS = ("party", "held")


def with_current_party_slugs(query):
    """A copy of a filter query (a QueryDict) whose parties named by a former address
    (`?party=green`) are named by their address now (`green-party`). One query, asked
    only of a query that did not validate."""
    renamed = Party.objects.current_slugs([query[name] for name in PARTY_FILTERS if name in query])
    current = query.copy()
    for name in PARTY_FILTERS:
        if query.get(name) in renamed:
            current[name] = renamed[query[name]]
    return current


def parties_with_seats():
    """Parties that won a seat or held one in 2019 (notionally): those worth a choice."""
    return Party.objects.filter(
        Q(pk__in=Result.objects.values("winner__party"))
        | Q(pk__in=Constituency.objects.values("notional_winner"))
    )


def winners_offered_by(at, chosen):
    """The choices of "Won by" replayed `at` a moment: the parties that had won a seat by
    then, and the one `chosen` (by its address), whose list is empty then, not missing."""
    won = Result.objects.filter(declared_at__lte=at).values("winner__party")
    parties = Party.objects.filter(Q(pk__in=won) | Q(slug=chosen or ""))
    return forms.ModelChoiceField(parties, to_field_name="slug", empty_label="Any party").choices


class ConstituencyFilter(django_filters.FilterSet):
    """Every seat, narrowed by nation, region, winner, 2019 holder and gain or hold.

    Its parameters are canonical page parameters (pages.params), so a list is kept once
    per choice of filters.
    """

    nation = django_filters.ChoiceFilter(
        label="Nation",
        choices=tuple(NATIONS.items()),
        method="filter_nation",
        empty_label="Every nation",
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="slug", empty_label="Every region"
    )
    party = django_filters.ModelChoiceFilter(
        label="Won by",
        field_name="result__winner__party",
        queryset=parties_with_seats(),
        to_field_name="slug",
        empty_label="Any party",
    )
    held = django_filters.ModelChoiceFilter(
        label="Held in 2019 by",
        field_name="notional_winner",
        queryset=parties_with_seats(),
        to_field_name="slug",
        empty_label="Any party",
    )
    outcome = django_filters.ChoiceFilter(
        label="Result", choices=tuple(OUTCOMES.items()), method="filter_outcome", empty_label="Any"
    )

    class Meta:
        model = Constituency
        fields = ["nation", "region", "party", "held", "outcome"]

    def __init__(self, *args, at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.at = at  # replayed: the results declared by then, the others awaiting
        if at is not None:  # nor a winner offered before its seat declared
            chosen = self.data.get("party") if self.data is not None else None
            self.form.fields["party"].widget.choices = winners_offered_by(at, chosen)

    def filter_queryset(self, queryset):
        """Won by a party, a gain or a hold: declared by the moment replayed too."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if self.at is not None and (data.get("party") or data.get("outcome") in GAIN_OR_HOLD):
            queryset = queryset.filter(result__declared_at__lte=self.at)
        return queryset

    def filter_nation(self, queryset, name, value):
        return queryset.filter(region__nation=NATIONS[value])

    def filter_outcome(self, queryset, name, value):
        if value == "awaiting" and self.at is not None:
            declared_then = Q(result__declared_at__lte=self.at)
            return queryset.exclude(declared_then)
        if value == "awaiting":
            return queryset.filter(result=None)
        return queryset.filter(result__outcome=Outcome.GAIN if value == "gain" else Outcome.HOLD)


def seats_filtered(query, seats, at=None):
    """`seats` (a queryset) under the filters of `query` (a QueryDict), on the results as
    they stood `at`; a party's former address (`?party=green`) still chooses it, as it is
    now. Check `is_valid()` before reading `qs`."""
    filterset = ConstituencyFilter(query, queryset=seats, at=at)
    if filterset.is_valid():
        return filterset
    return ConstituencyFilter(with_current_party_slugs(query), queryset=seats, at=at)
