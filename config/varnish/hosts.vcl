# The hosts Varnish serves, for `make serve` (Django's own defaults when debugging).
# scripts/varnish-up writes its own copy of this file from DJANGO_ALLOWED_HOSTS into
# Varnish's work folder, which comes first in vcl_path.
sub check_host {
    if (req.http.Host !~ "^(?:127\.0\.0\.1|localhost|\[::1\])\.?(?::[0-9]+)?$") {
        return (synth(400, "Bad Request"));
    }
}
