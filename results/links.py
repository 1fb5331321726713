"""Addresses of pages, built without `reverse()` for each link: a page links hundreds of
seats (docs/benchmarks.md has what it saves)."""

import functools

from django.urls import get_script_prefix, reverse

# Stand-ins that each URL converter accepts and no address otherwise contains.
STAND_INS = {"slug": "zz-slug-zz", "pk": 987654321}


def page_url(name, **kwargs):
    """`reverse(name, kwargs=kwargs)` for slugs and ids, which need no quoting."""
    template = url_template(name, tuple(sorted(kwargs)), get_script_prefix())
    return template.format_map(kwargs)


@functools.cache
def url_template(name, arguments, script_prefix):
    """The address of `name` with a `{argument}` field for each argument, reversed once."""
    url = reverse(name, kwargs={argument: STAND_INS[argument] for argument in arguments})
    url = url.replace("{", "{{").replace("}", "}}")
    for argument in arguments:
        url = url.replace(str(STAND_INS[argument]), f"{{{argument}}}")
    return url
