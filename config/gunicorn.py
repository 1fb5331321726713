"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi` (see scripts/serve).

GUNICORN_BIND      address to listen on (127.0.0.1:8000; behind a proxy that terminates TLS)
WEB_CONCURRENCY    worker processes; by default two per core plus one
GUNICORN_TIMEOUT   seconds a worker may spend on one request, headers included (30)

Varnish stands in front (scripts/varnish-up): it cuts a client that sends its headers
slowly after 5 s and refuses oversized ones, so that gunicorn's sync workers, one
request each, only ever wait on Varnish. The limits here are the last line, for a
client that reaches gunicorn directly.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Load the app once in the master, so a worker that dies is replaced in milliseconds.
preload_app = True
# A sync worker reading a request that never ends (a header line every few seconds) is
# stopped by this timeout: the arbiter kills it and starts another. Varnish's
# first_byte_timeout is the same 30 s (config/varnish/backend.vcl).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# Request line and headers: gunicorn's own defaults, said here; Varnish's (http_req_size
# 32k, http_req_hdr_len 8k, http_max_hdr 64) let nothing bigger through.
limit_request_line = 4094
limit_request_fields = 64
limit_request_field_size = 8190
graceful_timeout = 10
keepalive = 5
# Recycle workers now and then, staggered, so none grows for a whole night.
max_requests = 20000
max_requests_jitter = 2000
# No control socket (gunicorn 25.1+ opens one in $XDG_RUNTIME_DIR or ~/.gunicorn by
# default): through it anyone running as the site's user could stop the server or
# change its workers. Deploys restart gunicorn with signals instead.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def pre_fork(server, worker):
    # What the master loaded (Django, the app, its modules: most of a worker's objects)
    # is left out of every garbage collection in the workers, which would otherwise walk
    # it all each time, a pause for whoever was being served. It also keeps those pages
    # of memory shared with the master.
    gc.freeze()


def post_fork(server, worker):
    # Each worker opens its own database connections, not the master's.
    from django.db import connections

    connections.close_all()
