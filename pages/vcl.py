"""Varnish's rules for query strings (config/varnish/parameters.vcl), made from the
URLconf: on each reader page, the query parameters it reads (pages.http_cache) are kept
and any other is stripped before the page is looked up, so that `?utm_source=x` costs no
render and no cache entry. `manage.py varnish_parameters` writes the file; a test checks
it is the one the URLconf makes."""

import re
from collections import defaultdict

from django.urls import URLPattern, URLResolver, get_resolver

PATH = "config/varnish/parameters.vcl"
HEADER = """# Made by `manage.py varnish_parameters` from the URLconf (pages.vcl): do not edit.
# On each reader page, keep the query parameters it reads; strip any other.
"""


def reader_routes(patterns=None, prefix=""):
    """(regex of the path, the parameters it reads) for every reader page."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            yield from reader_routes(entry.url_patterns, regex)
        elif isinstance(entry, URLPattern) and hasattr(entry.callback, "reads"):
            # Groups unnamed: a name may be in a VCL alternation once only.
            yield re.sub(r"\(\?P<\w+>", "(?:", regex.removesuffix(r"\Z")), entry.callback.reads


def parameters_vcl():
    by_reads = defaultdict(list)
    for regex, reads in reader_routes():
        by_reads[tuple(sorted(reads))].append(regex)
    rules = []
    for reads, regexes in sorted(by_reads.items()):
        paths = "|".join(sorted(regexes))
        if reads:
            kept = "|".join(reads)
            action = f'regsuball(req.url, "(?<=[?&])(?!(?:{kept})=)[^&]*&?", "")'
        else:
            action = r'regsub(req.url, "\?.*$", "")'
        rules.append(
            f'if (req.url ~ "^/(?:{paths})(?:\\?|$)") {{\n        set req.url = {action};\n    }}'
        )
    body = " els".join(rules)
    return (
        f"{HEADER}\nsub strip_parameters {{\n    {body} else {{\n"
        '        set req.url = regsub(req.url, "\\?.*$", "");\n    }\n'
        '    set req.url = regsub(req.url, "[?&]+$", "");\n}\n'
    )
