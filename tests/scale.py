"""A large, made-up data set for query-count tests (tests/test_query_counts.py) and
benchmarks (`manage.py make_scale_data`, scripts/bench.py).

650 constituencies in 50 counties, 7 candidates each with a declared result, and 2,000
posts spread over the counties' live pages, each naming seats of its county. Written
with bulk operations; every name starts with "Scale" so it cannot be mistaken for data.
"""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from liveblog.models import Block, BlockKind, LivePage, Post, PostConstituency, PostSource
from results import arithmetic
from results.models import (
    Candidacy,
    Constituency,
    County,
    Outcome,
    Party,
    Region,
    Result,
    ResultSource,
)
from results.signals import announce

PARTY_SLUGS = [
    "labour",
    "conservative",
    "liberal-democrat",
    "reform-uk",
    "green-party",
    "scottish-national-party",
    "independent",
]


def scale_data_create(*, constituencies=650, candidates=7, posts=2000, counties=50, seed=2024):
    """Create the data set; returns the counts created."""
    rng = random.Random(seed)
    parties = list(Party.objects.filter(slug__in=PARTY_SLUGS))
    regions = Region.objects.bulk_create(
        Region(
            name=f"Scale Region {n:02}",
            slug=f"scale-region-{n:02}",
            ons_code=f"X{n:08}",
            nation="Scaleland",
        )
        for n in range(1, 13)
    )
    county_rows = County.objects.bulk_create(
        County(name=f"Scaleshire {n:02}", slug=f"scaleshire-{n:02}") for n in range(1, counties + 1)
    )
    seats = []
    for index in range(constituencies):
        county = county_rows[index % counties]
        name = f"{county.name} Division {index // counties + 1}"
        seats.append(
            Constituency(
                name=name,
                slug=slugify(name),
                county=county,
                region=regions[index % len(regions)],
                notional_winner=rng.choice(parties),
                profile=f"{name} is a made-up seat for testing at scale.",
            ).with_search_name()
        )
    seats = Constituency.objects.bulk_create(seats)

    candidacy_rows = []
    for seat in seats:
        votes = sorted((rng.randint(100, 25000) for _ in range(candidates)), reverse=True)
        total = sum(votes)
        for position, count in enumerate(votes):
            name = f"Scale Candidate {seat.pk}-{position}"
            candidacy_rows.append(
                Candidacy(
                    constituency=seat,
                    name=name,
                    party=parties[(seat.pk + position) % len(parties)],
                    party_label="",
                    votes=count,
                    share=arithmetic.share(count, total),
                ).with_search_name()
            )
    candidacy_rows = Candidacy.objects.bulk_create(candidacy_rows)

    # Spread over election night, so that replays (`?at=`) find some of everything.
    polls_close = datetime(2024, 7, 4, 22, 0, tzinfo=ZoneInfo("Europe/London"))
    results = []
    for index, seat in enumerate(seats):
        first, second = candidacy_rows[index * candidates : index * candidates + 2]
        gain = first.party_id != seat.notional_winner_id
        results.append(
            Result(
                constituency=seat,
                winner=first,
                outcome=Outcome.GAIN if gain else Outcome.HOLD,
                gained_from_id=seat.notional_winner_id if gain else None,
                majority=arithmetic.majority([first.votes, second.votes]),
                source=ResultSource.DESK,
                declared_at=polls_close + timedelta(minutes=60 + index),
            )
        )
    Result.objects.bulk_create(results)

    pages = LivePage.objects.bulk_create(
        LivePage(county=county, title=f"{county.name}: live", summary=["Made-up coverage."])
        for county in county_rows
    )
    post_rows = [
        Post(
            live_page=pages[index % counties],
            title=f"Scale post {index}",
            published_at=polls_close + timedelta(seconds=30 * index),
            breaking=index % 10 == 0,
            byline_name="Scale Reporter",
            byline_role="Testing desk",
            source=PostSource.NEWSROOM,
        )
        for index in range(posts)
    ]
    post_rows = Post.objects.bulk_create(post_rows)
    seats_by_county = {}
    for seat in seats:
        seats_by_county.setdefault(seat.county_id, []).append(seat)
    blocks = []
    links = []
    for post in post_rows:
        named = rng.sample(seats_by_county[post.live_page.county_id], 2)
        blocks += [
            Block(
                post=post,
                position=0,
                kind=BlockKind.PARAGRAPH,
                text=f"The count in {named[0].name} and {named[1].name} goes on.",
            ),
            Block(post=post, position=1, kind=BlockKind.LIST, text="First point\nSecond point"),
            Block(
                post=post,
                position=2,
                kind=BlockKind.IMAGE,
                alt="A count hall",
                caption="Counting under way",
                credit="Scale Photos",
            ),
            Block(post=post, position=3, kind=BlockKind.PARAGRAPH, text="More to follow."),
        ]
        links += [
            PostConstituency(post=post, constituency=seat, found_by_name=True) for seat in named
        ]
    Block.objects.bulk_create(blocks)
    PostConstituency.objects.bulk_create(links)
    announce(Post, everything=True)  # written in bulk, which sends no model signals
    return {
        "counties": len(county_rows),
        "constituencies": len(seats),
        "candidacies": len(candidacy_rows),
        "posts": len(post_rows),
    }
