"""Fragments: parts of pages, each showing what its own tags (pages.invalidation) name,
so that a page that shows one is purged with them.

- `strip`: the national strip on every page; replayed, `strip:<moment>`;
- `county-seats:<slug>`: a county's seats and their verdicts, on each of its seat pages;
- `posts-about:<slug>`: the latest posts about a seat, on its page;
- `county-results:<slug>`: a county's tally and seats, on its own page and its updates;
- `party-figures:<slug>`: a party's votes and share, on its page;

Behind Varnish, the strip and a party's figures (INCLUDED) are ESI includes of their own
URLs (/fragments/strip/, /fragments/party-figures/<slug>/), kept once and purged alone
by a declaration, which leaves the pages that merely carry them as they are; without
Varnish (`make run`, the tests) they are rendered into the page. Every other fragment
is rendered into its page, once per change of its own tags (`kept_renders`).
- `seat-map:<slug>` (or `seat-map:<slug>:<view>:<party>`, filtered): a region's hexagons
  on the home page's map of every seat (pages.seatmap);
- `projection` (replayed, `projection:<moment>`): the seats projected from those declared.

A page asks for one with `{% fragment "strip" %}` (pages.templatetags.page_tags).
"""

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from liveblog.models import Post
from pages import invalidation
from pages.data_cache import PerVersion, PerVersionOf
from pages.seatmap import region_now
from pages.seats import (
    kept_parties,
    kept_seats,
    running_sums,
    seats_of_place,
    tallies_of_seats,
)
from results.exit_poll import ExitPollFigures
from results.models import County, Election, ExitPollLine
from results.projected import projection_at
from results.projection import MINIMUM_DECLARED
from results.scoreboard import national_scoreboard, party_standings, seats_won_by_party

# The fragments Varnish includes by ESI when it is in front, each kept once for every
# page that shows it: a declaration purges them, and leaves the pages around them be
# (the strip is on 950 pages, a party's votes and share on its page, which otherwise
# changes only with its own seats).
INCLUDED = frozenset({"strip", "party-figures"})
# What Varnish says it can do (config/varnish/site.vcl), and what a page then asks of it.
ESI_CAPABILITY = 'varnish="ESI/1.0"'
ESI_CONTROL = 'content="ESI/1.0"'
POSTS_ABOUT_A_SEAT = 10


@dataclass(frozen=True)
class Fragment:
    tags: object  # (argument) -> the tags it shows
    render: object  # (argument) -> its HTML
    # Rendered once per change of its tags; not a list of posts, which changes when a
    # post published for later comes due, with no change to announce it.
    kept: bool = True


def strip_render(at):
    moment = datetime.fromisoformat(at) if at else None
    scoreboard = scoreboard_at(moment)
    exit_poll = exit_poll_at(moment)
    if scoreboard and exit_poll and not exit_poll.leads(scoreboard.seats_declared):
        exit_poll = None  # declared seats have taken over
    return render_to_string(
        "includes/_scoreboard_strip.html", {"scoreboard": scoreboard, "exit_poll": exit_poll}
    )


def county_seats_render(slug):
    seats = seats_of_place("county", slug, None)
    return render_to_string(
        "includes/_county_seats.html",
        {"county_name": seats[0].county_name if seats else "", "seats": seats},
    )


def posts_about_render(slug):
    posts = list(Post.objects.about(slug)[:POSTS_ABOUT_A_SEAT])
    return render_to_string("includes/_posts_about.html", {"posts": posts}) if posts else ""


def county_results_render(slug):
    county = County.objects.select_related("live_page").filter(slug=slug).first()
    if county is None:  # gone since the page was kept
        return ""
    return render_to_string("includes/_county_results.html", county_results(county, None))


def county_results(county, at):
    """What a county's results show, as they stood `at` a moment (None: now)."""
    seats = seats_of_place("county", county.slug, at)
    return {
        "county": county,
        "live_page": getattr(county, "live_page", None),
        "seats": seats,
        "tally": seats_won_by_party(tallies_of_seats(seats, at), kept_parties()),
        "declared": sum(1 for seat in seats if seat.declared),
    }


# A declaration makes every party page's figures, the home page's projection and the
# API's out of date at once: each is worked out again once, not once per page.
kept_standings = PerVersion(invalidation.NATIONAL, lambda: running_sums().standings())


# Read once per change of what each rests on, not after every declaration.
kept_election = PerVersion((invalidation.SITE,), Election.objects.current)


def read_scoreboard_now():
    """The scoreboard now, from the standings' sums over every seat's tally (a
    declaration reads its own seat's again and changes the sums by it)."""
    return national_scoreboard(kept_election(), sums=running_sums())


kept_scoreboard = PerVersion(invalidation.NATIONAL, read_scoreboard_now)


def read_projection_now():
    """The projection now; none once every seat has declared, when it would be the result."""
    if all(seat.declared for seat in kept_seats()):
        return None
    return projection_at(None)


kept_projection = PerVersion(invalidation.NATIONAL, read_projection_now)


# The national figures as they stood `at` a moment; None, now: worked out once per change
# for the strip, the home page, the party pages and the API alike.


def scoreboard_at(at):
    return kept_scoreboard() if at is None else national_scoreboard(kept_election(), at)


def standings_at(at):
    return kept_standings() if at is None else party_standings(at=at)


def projected_at(at):
    return kept_projection() if at is None else projection_at(at)


def read_exit_poll(at):
    """The exit poll published by `at` (now if None), as pages show it; None if none."""
    return ExitPollFigures.of(ExitPollLine.objects.published_by(at))


# An exit poll's change bumps the nation's tag (pages.invalidation), as a declaration does.
kept_exit_poll = PerVersion(invalidation.NATIONAL, lambda: read_exit_poll(None))


def exit_poll_at(at):
    return kept_exit_poll() if at is None else read_exit_poll(at)


def party_figures_render(slug):
    standings, total = kept_standings()
    standing = next((row for row in standings if row.party.slug == slug), None)
    return render_to_string(
        "includes/_party_figures.html", {"standing": standing, "total_votes": total}
    )


def seat_map_render(argument):
    return region_now(argument) or ""  # none: the region has gone since the page was kept


def projection_render(at):
    projected = projected_at(datetime.fromisoformat(at) if at else None)
    if projected is None or not projected.is_shown:
        return ""
    return render_to_string(
        "includes/_projection.html", {"projected": projected, "minimum": MINIMUM_DECLARED}
    )


FRAGMENTS = {
    "strip": Fragment(tags=lambda at: (invalidation.STRIP,), render=strip_render),
    "county-seats": Fragment(
        tags=lambda slug: (invalidation.county(slug),), render=county_seats_render
    ),
    "posts-about": Fragment(
        tags=lambda slug: (invalidation.posts_about(slug),),
        render=posts_about_render,
        kept=False,
    ),
    "county-results": Fragment(
        tags=lambda slug: (invalidation.county(slug),), render=county_results_render
    ),
    "party-figures": Fragment(
        tags=lambda slug: (invalidation.NATION,), render=party_figures_render
    ),
    "projection": Fragment(tags=lambda at: (invalidation.NATION,), render=projection_render),
    "seat-map": Fragment(
        tags=lambda argument: (invalidation.region(argument.partition(":")[0]),),
        render=seat_map_render,
    ),
}


def split_name(name):
    kind, _, argument = name.partition(":")
    return FRAGMENTS[kind], argument


def tags_of(name):
    fragment, argument = split_name(name)
    return (invalidation.SITE, *fragment.tags(argument))


def render(name):
    fragment, argument = split_name(name)
    return fragment.render(argument)


# Each fragment rendered once per change of its own tags, for every page that has it.
kept_renders = PerVersionOf(tags_of, lambda names: {name: render(name) for name in names})


def included_at(kind, argument):
    """The address Varnish includes a fragment of INCLUDED from (pages.views.fragment):
    the strip replayed with `?at=`, a party's figures by its slug."""
    if kind != "strip":
        return f"/fragments/{kind}/{argument}/"
    return f"/fragments/strip/?{urlencode({'at': argument})}" if argument else "/fragments/strip/"


def include(request, kind, argument=""):
    """A fragment in a reader's page (one served by pages.http_cache, which sends the
    fragment's tags as the page's keys); nothing anywhere else (the admin's preview,
    error pages). Those of INCLUDED are left to Varnish to include when it is in front."""
    keys = getattr(request, "surrogate_keys", None)
    if keys is None:
        return ""
    if kind in INCLUDED and request.headers.get("Surrogate-Capability") == ESI_CAPABILITY:
        request.includes_esi = True
        return format_html('<esi:include src="{}"/>', included_at(kind, argument))
    name = f"{kind}:{argument}" if argument else kind
    keys.update(tags_of(name))
    if not split_name(name)[0].kept:
        return mark_safe(render(name))
    return mark_safe(kept_renders.get_many([name])[name])
