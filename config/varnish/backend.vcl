# The origin, for `make serve` (gunicorn on 127.0.0.1:8001). scripts/varnish-up writes
# its own copy of this file, with BACKEND_HOST, BACKEND_PORT and BACKEND_HOST_HEADER,
# into Varnish's work folder, which comes first in vcl_path.
backend default {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 1s;
    # gunicorn's own timeout (config/gunicorn.py).
    .first_byte_timeout = 30s;
    # A stopped origin is known within about 2 s: two probes of the last three failed.
    # The probe names a host Django serves, over https as the TLS proxy says it is,
    # so that neither the host check nor the https redirect answers it.
    .probe = {
        .request =
            "GET /healthz HTTP/1.1"
            "Host: 127.0.0.1"
            "X-Forwarded-Proto: https"
            "Connection: close";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        # Healthy from the start: a fresh Varnish serves at once, not after a probe.
        .initial = 2;
    }
}
