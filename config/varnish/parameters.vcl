# Made by `manage.py varnish_parameters` from the URLconf (pages.vcl): do not edit.
# On each reader page, keep the query parameters it reads; strip any other.

sub strip_parameters {
    if (req.url ~ "^/(?:api/v1/|api/v1/constituencies/(?:[^/]+)|api/v1/counties|api/v1/docs|api/v1/openapi\.json|api/v1/parties/(?:[^/]+)|api/v1/posts/(?:[^/]+)|api/v1/regions|counties/(?:[-a-zA-Z0-9_]+)/feed/|counties/(?:[-a-zA-Z0-9_]+)/posts/(?:[0-9]+)/|data/|data/constituencies/(?:[-a-zA-Z0-9_]+)\.csv|data/counties/(?:[-a-zA-Z0-9_]+)\.csv|data/notionals\.csv|data/parties/(?:[-a-zA-Z0-9_]+)\.csv|data/regions/(?:[-a-zA-Z0-9_]+)\.csv|data/results\.csv|data/uk\-general\-election\-2024\.zip|declarations/feed/|robots\.txt|sitemap\-(?:[-a-zA-Z0-9_]+)\.xml|sitemap\.xml)(?:\?|$)") {
        set req.url = regsub(req.url, "\?.*$", "");
    } elsif (req.url ~ "^/(?:api/v1/changes)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:after|page_size)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:api/v1/regions/(?:[^/]+)|api/v1/scoreboard|fragments/(?:[-a-zA-Z0-9_]+)/|fragments/(?:[-a-zA-Z0-9_]+)/(?:[-a-zA-Z0-9_]+)/|parties/|regions/|regions/(?:[-a-zA-Z0-9_]+)/)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:at)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:constituencies/)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:at|held|nation|outcome|page|party|region|sort)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:counties/(?:[-a-zA-Z0-9_]+)/|lists/(?:[-a-zA-Z0-9_]+)/|parties/(?:[-a-zA-Z0-9_]+)/)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:at|page)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:at|party|view)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:constituencies/(?:[-a-zA-Z0-9_]+)/)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:at|sort)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:api/v1/parties)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:ec_id)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:api/v1/constituencies)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:held|nation|ons_code|outcome|page|page_size|party|region)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:data/constituencies\.csv)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:held|nation|outcome|party|region)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:search/)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:q)=)[^&]*&?", "");
    } elsif (req.url ~ "^/(?:api/v1/counties/(?:[^/]+)/posts|api/v1/declarations|counties/(?:[-a-zA-Z0-9_]+)/updates/)(?:\?|$)") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:since)=)[^&]*&?", "");
    } else {
        set req.url = regsub(req.url, "\?.*$", "");
    }
    set req.url = regsub(req.url, "[?&]+$", "");
}
