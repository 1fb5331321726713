"""Geography, parties, candidacies, results and the national scoreboard."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils import timezone

from results import colours
from results.links import page_url
from results.naming import constituency_slug, former_slug, normalise_name
from results.search import Found, best_of, ranked
from results.text import PlainText


class NaturalKeyQuerySet(models.QuerySet):
    """A queryset whose model is looked up by a unique `slug` in fixtures."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


@dataclass(frozen=True)
class RegisteredParty:
    """A party on the Electoral Commission's register that candidates stood for, by the
    name their candidacy printed; parties on this site may each gather several (Green
    Party: Green, Scottish Green Party, Green Party Northern Ireland)."""

    name: str
    ec_id: str  # PP53
    adjunct_ec_id: str  # a joint description's second party (PP119, Co-operative), or ""


class PartyQuerySet(NaturalKeyQuerySet):
    def registered_parties(self):
        """{party pk: [RegisteredParty]} for these parties, most candidacies first: the
        registered parties their candidates stood for, as the Library's file names them.
        A party whose candidates have no Electoral Commission id (independents, the
        Speaker, or candidates from the seed documents) has none. One query."""
        rows = (
            Candidacy.objects.filter(party__in=self)
            .exclude(ec_party_id="")
            .values_list("party_id", "party_label", "ec_party_id", "ec_adjunct_party_id")
            .annotate(candidacies=Count("pk"))
            .order_by("party_id", "-candidacies", "party_label", "ec_party_id")
        )
        registered = {}
        for party_id, name, ec_id, adjunct_ec_id, _ in rows:
            registered.setdefault(party_id, []).append(RegisteredParty(name, ec_id, adjunct_ec_id))
        return registered

    def with_ec_id(self, ec_id):
        """The party whose candidates stood for the registered party `ec_id` (PP130, case
        forgiven), or None. An adjunct id (PP119) names no party of its own."""
        ec_id = (ec_id or "").strip().upper()
        if not ec_id:
            return None
        stood = Candidacy.objects.filter(party=OuterRef("pk"), ec_party_id=ec_id)
        return self.filter(Exists(stood)).first()

    def with_former_slug(self, slug):
        """The party whose address was `slug` before it was made from its name, or None."""
        return self.filter(former_slug=slug).first() if slug else None

    def current_slugs(self, slugs):
        """{former slug: slug now} for those of `slugs` that are former addresses."""
        return dict(self.filter(former_slug__in=slugs).values_list("former_slug", "slug"))

    def search(self, query, limit=None):
        """Parties that match the query (results.search), best first, as a Found of at
        most `limit`: by the words of their name, or by their abbreviation or another
        name taken whole (`lab` is Labour's; `lib dem` the Liberal Democrats'). One
        query: parties are few, so every one is read and matched here."""
        parties = {party.pk: party for party in self}
        by_name = ranked(query, [(pk, normalise_name(p.name)) for pk, p in parties.items()])
        labels = [
            (pk, normalise_name(label))
            for pk, party in parties.items()
            for label in [party.short_name, *party.aliases]
        ]
        matches = best_of(by_name, ranked(query, labels, whole=True))
        return Found.of(matches, parties, limit)


class ElectionQuerySet(NaturalKeyQuerySet):
    def current(self):
        """The most recent election, or None."""
        return self.order_by("-polling_day").first()


class Election(PlainText, models.Model):
    """A general election; the site covers one, but fixtures name it."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    polling_day = models.DateField()
    total_seats = models.PositiveSmallIntegerField(default=650)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-polling_day"]

    def __str__(self):
        return self.name

    @property
    def seats_for_majority(self):
        return self.total_seats // 2 + 1

    def natural_key(self):
        return (self.slug,)


class Party(PlainText, models.Model):
    """A party as readers know it; `aliases` are the labels documents print for it.

    Independents share one Party row, but each independent candidate stands alone:
    nothing merges two independents in one seat or treats them as one team.
    """

    UNKNOWN_COLOUR = colours.GREY
    SPEAKER = "speaker"  # the Speaker's slug: his seat has no swing (results.arithmetic)

    slug = models.SlugField(unique=True)  # from its name: results.naming.party_slug
    former_slug = models.SlugField(
        blank=True,
        help_text="The address it had before its slug was made from its name: links to it "
        "redirect here.",
    )
    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=12, help_text="Abbreviation, e.g. LAB.")
    colour = models.CharField(max_length=7, default=UNKNOWN_COLOUR, help_text="Hex, e.g. #E4003B.")
    aliases = models.JSONField(default=list, blank=True)
    is_independent = models.BooleanField(default=False)
    counted_with = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="On the national scoreboard, count this party's seats with that party's "
        "(the Speaker with the party he was elected for).",
    )

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="party_colour_is_hex"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("pages:party-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    def stood_as(self):
        """The registered parties its candidates stood for, most candidacies first
        (PartyQuerySet.registered_parties): one query."""
        return Party.objects.filter(pk=self.pk).registered_parties().get(self.pk, [])

    @classmethod
    def speaker_stands(cls, *slugs):
        """Whether the Speaker is among a seat's winner and runner-up (their parties'
        `slugs`): then it has no swing (results.arithmetic.swing)."""
        return cls.SPEAKER in slugs


class Region(PlainText, models.Model):
    """An English region or one of the other three nations, as the Library files group seats."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    ons_code = models.CharField(max_length=9, unique=True)
    nation = models.CharField(max_length=20)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("pages:region-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


class County(PlainText, models.Model):
    """A county as the seed documents define it (a live page covers one)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("pages:county-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


class SearchName:
    """For a model with a `name` and a `search_name`: the name in the form searches
    compare (results.naming.normalise_name), set on every save, and by
    `with_search_name()` for rows written in bulk, which skip save()."""

    def with_search_name(self):
        self.search_name = normalise_name(self.name)
        return self

    def save(self, *args, **kwargs):
        self.with_search_name()
        if kwargs.get("update_fields") and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


class ConstituencyQuerySet(NaturalKeyQuerySet):
    def with_result(self):
        """Constituencies with their result, winner and parties, in one query."""
        return self.select_related(
            "county",
            "notional_winner",
            "result__winner__party",
            "result__gained_from",
        )

    def detail(self, slug, parties=None):
        """The constituency `slug` with its county and result, and its candidates
        with their parties, most votes first, as `candidates`: the result's winner is
        taken from among them, and who last changed the result and when
        (`with_last_change`). None if there is no such seat. Two queries.

        `parties`, {pk: Party}, if given, are each candidate's party, not read with them
        (one who stands for a party not among them has it read on its own)."""
        seat = next(
            iter(
                self.select_related("county", "result__gained_from")
                .with_last_change()
                .filter(slug=slug)
            ),
            None,
        )
        if seat is None:
            return None
        candidates = seat.candidacies.order_by("-votes", "name")
        if parties:
            seat.candidates = list(candidates)
            for candidacy in seat.candidates:
                if candidacy.party_id in parties:
                    candidacy.party = parties[candidacy.party_id]
        else:
            seat.candidates = list(candidates.select_related("party"))
        result = getattr(seat, "result", None)
        winner = result and next(
            (candidacy for candidacy in seat.candidates if candidacy.pk == result.winner_id), None
        )
        if winner is not None:
            result.winner = winner  # read with the others: no query of its own
        return seat

    def with_last_change(self):
        """Each with who last changed its result and when, `result_changed_by` and
        `result_changed_at` (its latest revision's; None with none), in the same query:
        a result the desk entered names them as its source."""
        latest = ResultRevision.objects.filter(result__constituency=models.OuterRef("pk")).order_by(
            "-changed_at", "-id"
        )
        return self.annotate(
            result_changed_by=models.Subquery(latest.values("changed_by_name")[:1]),
            result_changed_at=models.Subquery(latest.values("changed_at")[:1]),
        )

    def with_former_slug(self, slug):
        """The constituency whose address was `slug` before apostrophes joined, or None
        (one query, of the few names with an apostrophe)."""
        named = self.filter(Q(name__contains="'") | Q(name__contains="\u2019"))
        return next((seat for seat in named if former_slug(seat.name) == slug), None)

    def search(self, query, limit=None):
        """Constituencies that match the query (results.search), best first, with their
        county, as a Found of at most `limit`. Two queries, whatever the matches: every
        name, then the rows of those shown."""
        names = self.order_by("name").values_list("pk", "search_name")
        matches = ranked(query, names)
        shown = [match.id for match in matches[:limit]]
        return Found.of(matches, self.select_related("county").in_bulk(shown), limit)

    def for_list(self):
        """Constituencies with their region, result and its last change (with_last_change),
        in one query."""
        return self.with_result().select_related("region").with_last_change()

    def table_rows(self, at=None):
        """Constituencies as the table of every seat shows them: plain values, named as
        its columns are, in one query, without building a model for each row; each
        seat's result as it stood `at` a moment (None: now), none if declared later."""
        result = "result__"

        def then(name, output_field=None):
            value = models.F(result + name)
            if at is None:
                return value
            declared = models.Q(result__declared_at__lte=at)
            return models.Case(models.When(declared, then=value), output_field=output_field)

        return self.values(
            "slug",
            "name",
            region_name=models.F("region__name"),
            winner=then("winner__name", models.CharField()),
            party_name=then("winner__party__name", models.CharField()),
            party_colour=then("winner__party__colour", models.CharField()),
            outcome=then("outcome", models.CharField()),
            gained_from_name=then("gained_from__name", models.CharField()),
            majority=then("majority", models.IntegerField()),
            # For sorting by: the majority as a share of the valid votes.
            majority_share=models.ExpressionWrapper(
                then("majority", models.IntegerField())
                * models.Value(100.0)
                / NullIf(models.F(result + "valid_votes"), 0),
                output_field=models.FloatField(),
            ),
            share=then("winner__share", models.DecimalField()),
            turnout=then("turnout", models.DecimalField()),
            declared_at=then("declared_at", models.DateTimeField()),
            declared_at_approximate=then("declared_at_approximate", models.BooleanField()),
        )

    def figures(self):
        """Every seat's name, region, result and figures as plain values, in one query:
        for the map of every seat and the lists of the night, which would spend more on
        building 650 models than on anything else. Unordered: pages.seats puts them in
        name order itself, as Python orders names."""
        runner_up = Candidacy.objects.filter(constituency=models.OuterRef("pk")).order_by(
            "-votes", "name"
        )[1:2]
        return (
            self.order_by()
            .annotate(
                runner_up_change=models.Subquery(runner_up.values("share_change")),
                runner_up_party=models.Subquery(runner_up.values("party__name")),
                runner_up_party_slug=models.Subquery(runner_up.values("party__slug")),
            )
            .values(
                "slug",
                "name",
                "ons_code",
                "region__slug",
                "region__name",
                "region__nation",
                "county__slug",
                "county__name",
                "notional_valid_votes",
                "notional_electorate",
                "result__declared_at",
                "result__declared_at_approximate",
                "result__recorded_at",
                "result__outcome",
                "result__majority",
                "result__valid_votes",
                "result__electorate",
                "result__turnout",
                "result__winner",
                "result__winner__name",
                "result__winner__party__slug",
                "result__winner__party__name",
                "result__winner__party__short_name",
                "result__winner__party__colour",
                "result__winner__share_change",
                "result__corrected_at",
                "result__gained_from__slug",
                "result__gained_from__name",
                "result__gained_from__short_name",
                "result__gained_from__colour",
                "runner_up_change",
                "runner_up_party",
                "runner_up_party_slug",
            )
        )

    def sitting_mps(self):
        """(slug, candidacy pk, name, party, party's short name) of each MP at the
        dissolution standing again in these seats; a seat with none once, with Nones."""
        sitting = models.FilteredRelation("candidacies", condition=Q(candidacies__sitting_mp=True))
        return (
            self.annotate(mp=sitting)
            .order_by("name", "mp__name")
            .values_list("slug", "mp__pk", "mp__name", "mp__party__name", "mp__party__short_name")
        )


class Constituency(SearchName, PlainText, models.Model):
    """A Westminster constituency on the 2024 boundaries."""

    slug = models.SlugField(unique=True, max_length=120)
    name = models.CharField(max_length=120)
    search_name = models.CharField(
        max_length=120, db_index=True, editable=False, help_text="The name, normalised."
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="constituencies"
    )
    ons_code = models.CharField(max_length=9, null=True, blank=True, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="constituencies"
    )
    profile = models.TextField(blank=True)
    notional_electorate = models.PositiveIntegerField(
        null=True, blank=True, help_text="Electorate of the 2019 notional result."
    )
    notional_valid_votes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Valid votes of the 2019 notional result."
    )
    notional_winner = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Winner of the 2019 result notionally recast on the 2024 boundaries.",
    )

    objects = ConstituencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = constituency_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_url("pages:constituency-detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


class NotionalVoteQuerySet(models.QuerySet):
    def for_download(self):
        """Every seat's 2019 notional votes with the seat's and party's names as plain
        values, by seat and votes (every other candidate's together have no party)."""
        return self.order_by("constituency__name", "-votes", "party__name").values(
            "constituency__ons_code",
            "constituency__name",
            "constituency__notional_valid_votes",
            "party__name",
            "votes",
        )


class NotionalVote(models.Model):
    """A party's votes in a seat at the 2019 election, recast on the 2024 boundaries
    (Rallings & Thrasher): what each change in share is measured against. Every other
    candidate's votes together are one row with no party."""

    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="notional_votes"
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    votes = models.PositiveIntegerField()

    objects = NotionalVoteQuerySet.as_manager()

    class Meta:
        ordering = ["constituency", "-votes"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "party"], name="notional_vote_unique_party_per_seat"
            ),
        ]

    def __str__(self):
        return f"{self.constituency}: {self.party or 'others'} {self.votes} (2019 notional)"


class Declaration(Constituency):
    """A constituency as the results desk sees it: its candidates' votes and its result."""

    class Meta:
        proxy = True
        verbose_name = "declaration"
        verbose_name_plural = "declarations"


class CandidacyQuerySet(models.QuerySet):
    def get_by_natural_key(self, constituency_slug, name, party_slug):
        return self.get(constituency__slug=constituency_slug, name=name, party__slug=party_slug)

    def with_elected(self):
        """Each candidacy with `elected`: whether it won its seat."""
        return self.annotate(
            elected=models.ExpressionWrapper(
                Q(constituency__result__winner=models.F("pk")), output_field=models.BooleanField()
            )
        )

    def search(self, query, limit=None):
        """Candidates whose names match the query (results.search) by whole words or
        their start, or a word misspelt, best first and of those as good, MPs first,
        with their seat and party, as a Found of at most `limit`. Two queries, whatever
        the matches: every name, then the rows of those shown."""
        names = self.with_elected().order_by("-elected", "name").values_list("pk", "search_name")
        matches = ranked(query, names)
        shown = [match.id for match in matches[:limit]]
        rows = self.with_elected().select_related("constituency", "party").in_bulk(shown)
        return Found.of(matches, rows, limit)

    def for_download(self):
        """Every candidacy with its seat and party as plain values, by seat and votes."""
        return self.order_by("constituency__name", "-votes", "name").values(
            "id",
            "constituency__slug",
            "constituency__ons_code",
            "constituency__name",
            "constituency__region__name",
            "constituency__region__nation",
            "constituency__result__winner",
            "name",
            "dc_person_id",
            "mnis_id",
            "party__name",
            "party__short_name",
            "party_label",
            "ec_party_id",
            "ec_adjunct_party_id",
            "votes",
            "share",
            "share_change",
            "sitting_mp",
        )


def ballot_name(name):
    """The key of a candidate's place on the ballot paper, which lists candidates by
    surname, then forenames: the last word of the name is taken as the surname
    (`Rosie Wrighting` is `wrighting rosie`), case and accents forgiven."""
    # Split before normalising, which makes a hyphen a space: Elnaugh-Love is one word.
    *forenames, surname = name.split() or [""]
    return normalise_name(" ".join([surname, *forenames]))


class Candidacy(SearchName, PlainText, models.Model):
    """One candidate standing in one constituency, with their count."""

    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="candidacies"
    )
    name = models.CharField(max_length=150)
    search_name = models.CharField(
        max_length=150, db_index=True, editable=False, help_text="The name, normalised."
    )
    ballot_name = models.CharField(
        max_length=150,
        blank=True,
        editable=False,
        help_text="Surname, then forenames, normalised: the order of the ballot paper.",
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="candidacies")
    party_label = models.CharField(
        max_length=100, blank=True, help_text="The party as the source document printed it."
    )
    votes = models.PositiveIntegerField()
    share = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text="Percentage of valid votes, computed from the votes.",
    )
    share_change = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Change in share since the 2019 notional result, in points; empty if unknown.",
    )
    sitting_mp = models.BooleanField(
        default=False,
        help_text="An MP at the dissolution, standing again (the Library's 'Sitting MP').",
    )
    # The ids others know the candidate by, where the Library's candidate file gives them.
    dc_person_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="Democracy Club's id of the person."
    )
    mnis_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Parliament's Members' Names Information Service id, for an MP or former MP.",
    )
    ec_party_id = models.CharField(
        max_length=10,
        blank=True,
        help_text="The Electoral Commission's id of the registered party stood for (PP53); "
        "empty for an independent. The registered party's name is `party_label`.",
    )
    ec_adjunct_party_id = models.CharField(
        max_length=10,
        blank=True,
        help_text="The Electoral Commission's id of the party of a joint description "
        "(PP119, the Co-operative Party, for Labour and Co-operative).",
    )

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        ordering = ["constituency", "-votes", "name"]
        verbose_name_plural = "candidacies"
        constraints = [
            # Two candidates may share a name (Mid Buckinghamshire had two Greg Smiths,
            # Conservative and Green), but not a name and a party.
            models.UniqueConstraint(
                fields=["constituency", "name", "party"],
                name="candidacy_unique_name_and_party_per_constituency",
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100), name="candidacy_share_is_percentage"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.party.short_name}), {self.constituency}"

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ballot_name"}
        super().save(*args, **kwargs)

    @property
    def registered_party(self):
        return self.registered_party_of(
            self.party_label, self.ec_party_id, self.ec_adjunct_party_id
        )

    @staticmethod
    def registered_party_of(party_label, ec_party_id, ec_adjunct_party_id):
        """The registered party stood for, as the source named it, or None where the
        source gives no Electoral Commission id (an independent, the seed documents)."""
        if not ec_party_id:
            return None
        return RegisteredParty(party_label, ec_party_id, ec_adjunct_party_id)

    def with_search_name(self):
        # Rows written in bulk call this too (results.imports), so both keys of
        # the name are kept wherever the name is.
        self.ballot_name = ballot_name(self.name)
        return super().with_search_name()

    def natural_key(self):
        return (*self.constituency.natural_key(), self.name, *self.party.natural_key())

    natural_key.dependencies = ["results.constituency", "results.party"]


class Outcome(models.TextChoices):
    """Whether the seat changed hands.

    Measured against the 2019 result notionally recast on the 2024 boundaries, not
    against by-elections since: Wellingborough and Rushden is a Labour GAIN although
    Labour won the Wellingborough by-election in February 2024.
    """

    GAIN = "GAIN", "Gain"
    HOLD = "HOLD", "Hold"


def verdict_in_words(party, outcome, gained_from=None):
    """`Labour gain from Conservative`, `Labour gain` (from whom unknown), `Labour hold`."""
    if outcome == Outcome.HOLD:
        return f"{party} hold"
    return f"{party} gain from {gained_from}" if gained_from else f"{party} gain"


def verdict_in_short(party, outcome, gained_from=None):
    """`LAB GAIN FROM CON`, `LAB GAIN` (from whom unknown) or `CON HOLD`, from the parties'
    short names."""
    return verdict_in_words(party, outcome, gained_from).upper()


class ResultSource(models.TextChoices):
    """Where a result came from. Each import leaves alone the results of a source that
    ranks above its own: the results desk, then the national results file, then the
    seed documents."""

    SEED = "seed", "Seed document"
    NATIONAL = "national", "National results file"
    DESK = "desk", "Results desk"


class ResultQuerySet(models.QuerySet):
    def get_by_natural_key(self, constituency_slug):
        return self.get(constituency__slug=constituency_slug)

    def with_parties(self):
        return self.select_related("constituency", "winner__party", "gained_from")

    def declared_by(self, moment):
        """Results declared at or before a moment (those with no time are left out)."""
        return self.filter(declared_at__lte=moment)

    def latest_first(self):
        """Declared results, most recent first; those without a time last, by name."""
        return self.with_parties().order_by(
            models.F("declared_at").desc(nulls_last=True),
            "-recorded_at",
            "constituency__name",
        )

    def party_tally(self, party):
        """{"won", "gained", "lost"}: how many of these results a party won, won as gains,
        and lost as the 2019 notional holder (one query)."""
        won = Q(winner__party=party)
        return self.aggregate(
            won=models.Count("pk", filter=won),
            gained=models.Count("pk", filter=won & Q(gained_from__isnull=False)),
            lost=models.Count("pk", filter=~won & Q(gained_from=party)),
        )

    def counted_with(self, party):
        """Results the national scoreboard counts with a party they were not won by (the
        Speaker's, with Labour)."""
        return self.with_parties().filter(winner__party__counted_with=party)

    def sources(self):
        """[{"source", "label", "source_edition", "count"}]: how many results came from
        each source and edition, most first (one query)."""
        labels = dict(ResultSource.choices)
        counted = (
            self.order_by()
            .values("source", "source_edition")
            .annotate(count=models.Count("pk"))
            .order_by("-count", "source", "source_edition")
        )
        return [{**row, "label": labels.get(row["source"], row["source"])} for row in counted]

    def corrections(self):
        """Each result corrected after its declaration: (seat, when), oldest first."""
        return list(
            self.filter(corrected_at__isnull=False)
            .order_by("corrected_at", "constituency__name")
            .values_list("constituency__name", "corrected_at")
        )

    def won_or_lost_by(self, party):
        """Results a party won, or lost as the 2019 notional holder."""
        return (
            self.with_parties()
            .filter(Q(winner__party=party) | Q(gained_from=party))
            .order_by("constituency__name")
        )


class Result(models.Model):
    """A declared result. Winner, majority and shares follow from the candidacies."""

    constituency = models.OneToOneField(
        Constituency, on_delete=models.CASCADE, related_name="result"
    )
    winner = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=4, choices=Outcome)
    gained_from = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    majority = models.PositiveIntegerField()
    turnout = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percentage."
    )
    electorate = models.PositiveIntegerField(null=True, blank=True)
    valid_votes = models.PositiveIntegerField(null=True, blank=True)
    invalid_votes = models.PositiveIntegerField(null=True, blank=True)
    label = models.CharField(
        max_length=60, blank=True, help_text="The Library's own words: 'Lab gain from Con'."
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=ResultSource)
    source_document = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When it was first stored.")
    updated_at = models.DateTimeField(auto_now=True)
    corrected_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the results desk last corrected a declared result; shown to readers.",
    )
    # Provenance: `source` and `source_document` say where the figures came from; the
    # desk's changes are in the revisions, with who made them and when.
    source_line = models.PositiveIntegerField(
        null=True, blank=True, help_text="The line of the source document the figures are on."
    )
    source_edition = models.CharField(
        max_length=60,
        blank=True,
        help_text="The edition of the source document: 'updated 12 September 2024'.",
    )
    declared_at_approximate = models.BooleanField(
        default=False, help_text="The source gives the declaration time only roughly."
    )
    discrepancies = models.JSONField(
        default=list,
        blank=True,
        help_text="Where another source gave a figure differently: [{field, value, source, "
        "line}], beside the figure shown, which is this result's own.",
    )

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["constituency"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=Outcome.GAIN) | Q(gained_from__isnull=True),
                name="result_hold_has_no_gained_from",
            ),
            models.CheckConstraint(
                condition=Q(turnout__isnull=True) | (Q(turnout__gte=0) & Q(turnout__lte=100)),
                name="result_turnout_is_percentage",
            ),
        ]

    def __str__(self):
        return f"{self.constituency}: {self.verdict}"

    @property
    def verdict_in_words(self):
        return verdict_in_words(
            self.winner.party.name, self.outcome, self.gained_from and self.gained_from.name
        )

    @property
    def verdict(self):
        return verdict_in_short(
            self.winner.party.short_name,
            self.outcome,
            self.gained_from and self.gained_from.short_name,
        )

    def natural_key(self):
        return self.constituency.natural_key()

    natural_key.dependencies = ["results.constituency", "results.candidacy"]


class PublishedScoreboardQuerySet(models.QuerySet):
    def get_by_natural_key(self, election_slug):
        return self.get(election__slug=election_slug)

    def with_tallies(self):
        """Scoreboards with their lines and parties (two queries in all)."""
        return self.select_related("election").prefetch_related(
            models.Prefetch("tallies", queryset=PublishedTally.objects.select_related("party"))
        )

    def latest(self):
        """The scoreboard of the most recent election, or None."""
        return self.with_tallies().order_by("-election__polling_day").first()


class PublishedScoreboard(models.Model):
    """The national scoreboard as a source document printed it (not computed)."""

    election = models.OneToOneField(
        Election, on_delete=models.CASCADE, related_name="published_scoreboard"
    )
    seats_for_majority = models.PositiveSmallIntegerField()
    seats_to_go = models.PositiveSmallIntegerField()
    source_document = models.CharField(max_length=200, blank=True)

    objects = PublishedScoreboardQuerySet.as_manager()

    class Meta:
        ordering = ["election"]

    def __str__(self):
        return f"Scoreboard for {self.election}"

    def natural_key(self):
        return self.election.natural_key()

    natural_key.dependencies = ["results.election"]


class PublishedTallyQuerySet(models.QuerySet):
    def get_by_natural_key(self, election_slug, label):
        return self.get(scoreboard__election__slug=election_slug, label=label)


class SeatsLine(models.Model):
    """A line of seats for a party, as a document or a broadcast gives it: its place,
    its label, the party (none for "Others") and the seats."""

    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the 'Others' line.",
    )
    seats = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True


class PublishedTally(SeatsLine):
    """One line of a published scoreboard: `Labour: 412 seats, 211 seats gained`."""

    scoreboard = models.ForeignKey(
        PublishedScoreboard, on_delete=models.CASCADE, related_name="tallies"
    )
    change = models.SmallIntegerField(help_text="Seats gained (+) or lost (-) since 2019.")

    objects = PublishedTallyQuerySet.as_manager()

    class Meta:
        ordering = ["scoreboard", "position"]
        verbose_name_plural = "published tallies"
        constraints = [
            models.UniqueConstraint(
                fields=["scoreboard", "label"], name="published_tally_unique_label"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.seats}"

    def natural_key(self):
        return (*self.scoreboard.natural_key(), self.label)

    natural_key.dependencies = ["results.publishedscoreboard"]


class ExitPoll(models.Model):
    """The broadcasters' exit poll as announced when polls close: seats per party, for
    the country. It is a poll, never a result: pages label it so."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="exit_poll")
    published_at = models.DateTimeField(help_text="When it was announced (22:00 on polling day).")
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who made it, e.g. Ipsos for BBC, ITV News and Sky News.",
    )

    class Meta:
        ordering = ["election"]

    def __str__(self):
        return f"Exit poll for {self.election}"

    def get_absolute_url(self):
        # The poll is shown on the home page from when it was announced.
        return page_url("pages:home")


class ExitPollLineQuerySet(models.QuerySet):
    def published_by(self, moment=None):
        """The lines of the current election's exit poll published by `moment` (now if
        None), in their order, each with its poll, election and party: one query."""
        latest = (
            ExitPoll.objects.filter(published_at__lte=moment or timezone.now())
            .order_by("-election__polling_day", "-published_at")
            .values("pk")[:1]
        )
        return (
            self.filter(exit_poll=models.Subquery(latest))
            .select_related("exit_poll__election", "party")
            .order_by("position")
        )


class ExitPollLine(SeatsLine):
    """One line of an exit poll: `Labour 410`. `party` is empty for the 'Others' line."""

    exit_poll = models.ForeignKey(ExitPoll, on_delete=models.CASCADE, related_name="lines")

    objects = ExitPollLineQuerySet.as_manager()

    class Meta:
        ordering = ["exit_poll", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["exit_poll", "label"], name="exit_poll_line_unique_label"
            ),
            models.UniqueConstraint(
                fields=["exit_poll", "party"], name="exit_poll_line_unique_party"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.seats}"


class ResultRevision(models.Model):
    """One change to a result: who made it, when, and the figures before and after."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="revisions")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_by_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="Who made the change, kept when their account is deleted.",
    )
    confirmed_by_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="With double entry: the desk member whose own entry agreed, or the "
        "supervisor who published one entry alone.",
    )
    source = models.CharField(max_length=10, choices=ResultSource)
    before = models.JSONField(null=True, blank=True, help_text="Empty for a first declaration.")
    after = models.JSONField()
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why, in the results desk's words: a correction's reason, or why the "
        "desk chose the verdict itself (a seat with no 2019 notional result).",
    )

    class Meta:
        ordering = ["result", "-changed_at", "-id"]

    def __str__(self):
        return f"{self.result.constituency} changed {self.changed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.changed_by is not None and not self.changed_by_name:
            self.changed_by_name = person_name(self.changed_by)
        super().save(*args, **kwargs)

    @property
    def who(self):
        """Who made the change, in words: `dana`, `dana; confirmed by dan` (double
        entry), `sue, a supervisor, alone`, or the source."""
        who = self.changed_by_name or self.get_source_display()
        if not self.confirmed_by_name:
            return who
        if self.confirmed_by_name == who:
            return f"{who}, a supervisor, alone"
        return f"{who}; confirmed by {self.confirmed_by_name}"


def person_name(user):
    """A user as the audit trail names them: the full name, else the username."""
    return user.get_full_name() or user.get_username()


def content_changes(before, after):
    """The names of what differs between two contents a revision keeps (dicts), in
    their order; every name when there was nothing before."""
    before = before or {}
    return [name for name, value in (after or {}).items() if before.get(name) != value]


def changes_in_words(before, after):
    """Each change between two contents, in words: `the title was “A”, is now “B”`."""

    def shown(value):
        if isinstance(value, list):
            return "; ".join(shown(item) for item in value) or "nothing"
        return f"“{value}”" if isinstance(value, str) else str(value)

    before = before or {}
    return [
        f"the {name.replace('_', ' ')} was {shown(before.get(name, ''))}, "
        f"is now {shown(after[name])}"
        for name in content_changes(before, after)
    ]


class EditRecord(models.Model):
    """One edit of a page's own content, whatever made it (the admin, an import): who and
    when, kept after the person's account is deleted."""

    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_by_name = models.CharField(
        max_length=150, blank=True, help_text="Who, kept after their account is deleted."
    )
    source_document = models.CharField(
        max_length=200, blank=True, help_text="The document an import read."
    )

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]

    @property
    def who(self):
        """The person, else the import."""
        return self.changed_by_name or f"an import of {self.source_document or 'a document'}"


class ScoreboardRevision(EditRecord):
    """One change to the published scoreboard, whatever made it (the admin, an import):
    who, when, and its figures and lines before and after. The history outlives the
    scoreboard (its election's name is kept) and the person (their name is kept)."""

    scoreboard = models.ForeignKey(
        PublishedScoreboard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
    )
    election_name = models.CharField(
        max_length=100, help_text="The scoreboard's election, kept after it is deleted."
    )
    before = models.JSONField(
        null=True, blank=True, help_text="Empty when the scoreboard was first written."
    )
    after = models.JSONField(help_text="The scoreboard after this change.")

    def __str__(self):
        return f"{self.election_name} scoreboard changed {self.changed_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("admin:results_scoreboardrevision_change", args=[self.pk])


def scoreboard_content(scoreboard):
    """What a revision keeps of a published scoreboard: its figures and its lines
    ([label, seats, change], in order), read from the database."""
    return {
        "seats_for_majority": scoreboard.seats_for_majority,
        "seats_to_go": scoreboard.seats_to_go,
        "lines": [
            list(line)
            for line in PublishedTally.objects.filter(scoreboard=scoreboard)
            .order_by("position")
            .values_list("label", "seats", "change")
        ],
    }


class DeclarationEntryQuerySet(models.QuerySet):
    def pending(self):
        """Entries not yet published nor set aside, oldest first."""
        return self.filter(revision__isnull=True).order_by("entered_at", "pk")


class DeclarationEntry(models.Model):
    """One desk member's entry of a seat's figures, under double entry
    (settings.RESULTS_DOUBLE_ENTRY): published when a second member's own entry agrees
    on every figure, or when a supervisor publishes it alone. `figures` are the
    declaration page's figures as plain data (results.services.entry_figures)."""

    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="entries")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_by_name = models.CharField(max_length=150, blank=True)
    entered_at = models.DateTimeField(auto_now_add=True)
    figures = models.JSONField()
    # Goes with the change it was published by: an entry whose result was taken off
    # (results_clear) must never count as awaiting again.
    revision = models.ForeignKey(
        ResultRevision,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entries",
        help_text="The change that published this entry or set it aside; empty while it awaits.",
    )

    objects = DeclarationEntryQuerySet.as_manager()

    class Meta:
        ordering = ["constituency", "entered_at", "pk"]
        verbose_name_plural = "declaration entries"
        permissions = [
            ("publish_single_entry", "Can publish a result from one desk member's entry"),
        ]

    def __str__(self):
        return f"{self.constituency}: entry by {self.entered_by_name}"

    def save(self, *args, **kwargs):
        if self.entered_by is not None and not self.entered_by_name:
            self.entered_by_name = person_name(self.entered_by)
        super().save(*args, **kwargs)


class ChangeKind(models.TextChoices):
    RESULT = "result", "Result"
    POST = "post", "Post"


class ChangeAction(models.TextChoices):
    DECLARED = "declared", "Declared"
    CORRECTED = "corrected", "Corrected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    PUBLISHED = "published", "Published"
    EDITED = "edited", "Edited"
    REMOVED = "removed", "Removed"


class ChangeCounter(models.Model):
    """The number of the last change recorded: one row, updated in each transaction that
    records a change and held until it commits, so changes commit in number order."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.value} changes"


class ChangeRecordQuerySet(models.QuerySet):
    def after(self, number):
        """The changes numbered after `number` (None: from the first), oldest first."""
        return self.filter(number__gt=number or 0).order_by("number")


class ChangeRecord(models.Model):
    """A change readers could see, numbered in the order it committed: a result declared,
    corrected or withdrawn (`object_id` is its constituency's), or a live-blog post
    shown, edited or removed (`object_id` is the post's)."""

    number = models.PositiveBigIntegerField(primary_key=True)
    kind = models.CharField(max_length=10, choices=ChangeKind)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=ChangeAction)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["kind", "object_id"], name="change_record_object")]

    def __str__(self):
        return f"{self.number}: {self.kind} {self.object_id} {self.action}"
