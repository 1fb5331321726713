vcl 4.1;

# Varnish in front of the site (scripts/varnish-up starts it, scripts/serve in production).
#
# Django says what each response shows and for how long: `Cache-Control` with a long
# `s-maxage` (this cache's TTL) and a short `max-age` (browsers'), and `Surrogate-Key`
# with the keys of what the page shows. After a change commits Django sends
# `PURGE /` with `xkey-purge: key1 key2 ...` to every node in HTTP_CACHES: each object
# carrying one of those keys is soft-purged, so readers get the previous page for at
# most 2 s while one request fetches the new one. The national strip is an ESI include
# with its own key, so a declaration re-renders the strip and the pages whose bodies
# changed, not every page.

import std;
import var;
import xkey;

# `backend default` and its health probe: scripts/varnish-up writes this file into
# Varnish's work folder, which comes first in vcl_path; config/varnish/backend.vcl is
# the default (127.0.0.1:8001, as `make serve` runs gunicorn).
include "backend.vcl";
# `sub strip_parameters`, made from Django's URLconf by `manage.py varnish_parameters`.
include "parameters.vcl";
# `sub check_host`: scripts/varnish-up writes it from DJANGO_ALLOWED_HOSTS into the work
# folder; config/varnish/hosts.vcl is the default (loopback names).
include "hosts.vcl";

# Who may purge: the app servers, on this machine.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        # For vcl_backend_response: a fetch under way now may miss this purge.
        var.global_set("purged-at", "" + std.time2real(now, 0));
        set req.http.X-Purged = xkey.softpurge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }

    # Set only by vcl_synth below, when a fetch failed and we try the stale copy.
    if (req.restarts == 0) {
        unset req.http.X-Stale-If-Error;
    }
    if (!req.http.Host) {
        return (synth(400, "Bad Request"));
    }
    # One object per site, whatever case the client writes the host in.
    set req.http.Host = std.tolower(req.http.Host);
    # A host the site does not serve gets 400 here, as Django would answer it: never a
    # page kept for a real host, never a fetch, never an object of its own.
    call check_host;
    # Part of the hash: only the two values Django knows, so that no client can make
    # copies of every page with invented values.
    if (req.http.X-Forwarded-Proto && req.http.X-Forwarded-Proto !~ "^https?$") {
        unset req.http.X-Forwarded-Proto;
    }
    # Only this cache says it can assemble ESI, never a client.
    unset req.http.Surrogate-Capability;
    set req.http.Surrogate-Capability = {"varnish="ESI/1.0""};

    # The admin (the newsroom and the results desk) goes to Django as sent, cookies
    # and all, and is never kept.
    if (req.url ~ "^/admin") {
        return (pass);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Reader pages are the same for everyone: a cookie or credentials must not make a
    # private copy, nor let a client walk past the cache to the origin.
    unset req.http.Cookie;
    unset req.http.Authorization;
    # Keep only the query parameters the page reads, in one order: `?utm_source=x`
    # or `?b=1&a=2` is the same object as the page without it or with `?a=2&b=1`.
    call strip_parameters;
    set req.url = std.querysort(req.url);

    # Soft-purged objects stay in grace (24 h, see vcl_backend_response). While the
    # origin is healthy, a stale page is served only within 2 s of its purge, while
    # one request fetches the new one; after that a reader waits for the fresh page
    # rather than see an old one. While the origin is sick (the probe notices within
    # about 2 s), or a fetch just failed, the whole grace applies: readers get the
    # last pages.
    if (!req.http.X-Stale-If-Error && std.healthy(req.backend_hint)) {
        set req.grace = 2s;
    } else {
        # The whole grace (a restart keeps what the first pass set).
        set req.grace = 24h;
    }
    return (hash);
}

sub vcl_hash {
    # Behind a proxy that terminates TLS, http:// and https:// may differ (redirects).
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
    # Then the built-in: URL and Host.
}

sub vcl_miss {
    # A fetch failed and there is no stale copy to give: fetch once more, and let the
    # origin's own error through, kept by nobody.
    if (req.http.X-Stale-If-Error) {
        return (pass);
    }
}

sub vcl_backend_fetch {
    var.set_real("fetch-started", std.time2real(now, 0));
    # Varnish compresses each object once and unzips for clients that refuse gzip; the
    # origin sends it plain. Passes (the admin, forms) go as the client sent them:
    # Django's own gzip pads against BREACH on pages with secrets in them.
    if (!bereq.uncacheable) {
        unset bereq.http.Accept-Encoding;
    }
}

sub vcl_backend_response {
    # Stale-if-error: a failed fetch of a page we keep is given up, so the stale copy
    # stays; for a background fetch that is all, for a reader's fetch vcl_synth tries
    # again with the stale copy.
    if (beresp.status >= 500 && !bereq.uncacheable) {
        return (abandon);
    }

    if (beresp.http.Surrogate-Control ~ "ESI/1.0") {
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
        # The assembled page changes with its includes: a validator of the outer
        # page alone would answer 304 to a page whose strip has changed.
        unset beresp.http.ETag;
        unset beresp.http.Last-Modified;
    }
    # What vmod xkey indexes, for `PURGE` with `xkey-purge`.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # A purge that arrived while this page was being fetched found nothing to purge
    # (the page was not in the cache yet), yet the page may show what was there before
    # the change if Django read it before the change committed. Keep such a page a
    # second only: then a reader gets it while a fresh one is fetched. Any key's purge
    # counts; the cost is an early refetch of the pages fetched meanwhile. (A tenth of
    # a second made a cascade under a change a second: pages fetched across one purge
    # were fetched again across the next.)
    if (!bereq.uncacheable && beresp.ttl > 0s &&
        std.real(var.global_get("purged-at"), 0) >= var.get_real("fetch-started")) {
        std.log("fetched across a purge: kept briefly");
        set beresp.ttl = 1s;
    }
    if (!bereq.uncacheable && !beresp.http.Content-Encoding &&
        beresp.http.Content-Type ~ "^(text/|application/([-.+a-z0-9]*\+)?(json|javascript|xml)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }
    # Kept this long past its TTL or a soft purge, for the origin's bad moments
    # (stale-if-error); vcl_recv limits it to 2 s while the origin is healthy.
    set beresp.grace = 24h;
    # Then the built-in: no caching with Set-Cookie, `private`, `no-store`, or a
    # status Varnish does not cache (400 among them; 404 is kept like a page).
}

sub vcl_backend_error {
    # The origin could not be reached: give up the fetch, keeping any stale copy
    # (see vcl_backend_response). A pass gets the built-in 503.
    if (!bereq.uncacheable) {
        return (abandon);
    }
}

sub vcl_synth {
    # A reader's fetch failed (connection refused, or a 5xx): look again, with the
    # whole grace, for the last good copy.
    if (resp.status == 503 && req.restarts == 0 && !req.http.X-Stale-If-Error &&
        (req.method == "GET" || req.method == "HEAD")) {
        set req.http.X-Stale-If-Error = "1";
        return (restart);
    }
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits == 0) {
        set resp.http.X-Cache = "MISS";
    } elsif (obj.ttl <= 0s) {
        set resp.http.X-Cache = "HIT-STALE";
    } else {
        set resp.http.X-Cache = "HIT";
    }
    # A kept page is current until purged, however old the copy: counted from now,
    # a browser keeps it for its `max-age` rather than not at all once the copy is
    # older than that.
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Age = "0";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
