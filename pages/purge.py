"""Telling the HTTP caches in front of the site what changed.

A change (results.signals.content_changed) touches tags (pages.invalidation). They are
given new versions for the figures kept for renders (pages.data_cache) at once, and when
the transaction commits each node named in HTTP_CACHES is asked to soft-purge them as
surrogate keys: its readers get the previous page while one request fetches the new one.

Purges go from a thread for each node, so a write never waits for a cache, nor fails
with one. A purge a node does not take is tried again (backing off), then logged; the pages'
bounded s-maxage (pages.http_cache) catches anything missed.
"""

import atexit
import http.client
import logging
import queue
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from pages import data_cache, invalidation

log = logging.getLogger(__name__)

PURGE_HEADER = "xkey-purge"  # config/varnish/site.vcl
RETRY_SECONDS = (0.1, 0.5, 2.0)  # between attempts; then the purge is given up
TIMEOUT_SECONDS = 2
KEYS_PER_REQUEST = 200  # well inside Varnish's 8 KB for a header
EXIT_WAIT_SECONDS = 5  # a command's last purges, before its process ends


class Purger:
    """Soft purges of surrogate keys, each node's sent in order from a thread of its own
    (a node away holds up no other): keys queued while one is sent go in the next."""

    def __init__(self):
        self.queues = {}  # node: its queue of keys to purge
        self.lock = threading.Lock()

    def purge(self, keys):
        for node in settings.HTTP_CACHES if keys else ():
            with self.lock:
                if node not in self.queues:
                    self.queues[node] = queue.Queue()
                    threading.Thread(target=self.run, args=(node,), daemon=True).start()
            self.queues[node].put(frozenset(keys))

    def run(self, node):
        waiting = self.queues[node]
        while True:
            keys, taken = set(waiting.get()), 1
            while not waiting.empty():
                keys |= waiting.get()
                taken += 1
            ordered = sorted(keys)
            for start in range(0, len(ordered), KEYS_PER_REQUEST):
                purge_node(node, " ".join(ordered[start : start + KEYS_PER_REQUEST]))
            for _ in range(taken):
                waiting.task_done()

    def wait(self):
        """Until every purge queued has been sent or given up."""
        for waiting in list(self.queues.values()):
            waiting.join()


def purge_node(node, keys):
    """Send one purge to one node, trying again after each of RETRY_SECONDS."""
    address = urlsplit(node)
    for attempt, pause in enumerate((*RETRY_SECONDS, None), start=1):
        connection = http.client.HTTPConnection(
            address.hostname, address.port or 80, timeout=TIMEOUT_SECONDS
        )
        try:
            connection.request("PURGE", "/", headers={PURGE_HEADER: keys})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return True
            problem = f"answered {response.status}"
        except OSError as error:
            problem = error.strerror or str(error) or type(error).__name__
        finally:
            connection.close()
        if pause is None:
            log.error("purge of %s on %s failed %d times (%s)", keys, node, attempt, problem)
            return False
        log.warning("purge of %s on %s failed (%s); trying again", keys, node, problem)
        time.sleep(pause)


purger = Purger()


@atexit.register
def send_the_last_purges():
    done = threading.Thread(target=purger.wait, daemon=True)
    done.start()
    done.join(EXIT_WAIT_SECONDS)


def change_heard(sender, change, **kwargs):
    tags = invalidation.tags_touched(change)
    data_cache.bump(tags)
    # After the commit, so that the page fetched again shows it; the keys of a
    # transaction's many changes, queued together, go in one purge.
    transaction.on_commit(lambda: purger.purge(tags), robust=True)
