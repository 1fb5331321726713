"""An HTTP cache node that records the purges it is sent, for tests of pages.purge."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pages.purge import PURGE_HEADER, purger


class RecordingNode(ThreadingHTTPServer):
    """Answers PURGE with `statuses` in turn (then 200), recording each one's keys."""

    daemon_threads = True

    def __init__(self, statuses=()):
        super().__init__(("127.0.0.1", 0), PurgeHandler)
        self.statuses = list(statuses)
        self.received = []  # (status answered, set of keys)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self):
        self.shutdown()
        self.server_close()

    def purged(self):
        """Every key purged so far (waiting for the purges queued to be sent)."""
        purger.wait()
        return set().union(*(keys for status, keys in self.received if status == 200))


class PurgeHandler(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the method's name is http.server's
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.server.received.append((status, set(self.headers[PURGE_HEADER].split())))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass
