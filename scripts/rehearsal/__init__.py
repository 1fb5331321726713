"""The night replayed end to end (scripts/rehearse.py, `make rehearse`).

oracle   what every page should show after each declaration, from the Library's CSV files
         alone (and the seeds' manifest for the counties), importing nothing of the site
dom      a small document tree from html.parser, for reading pages as a reader sees them
clients  the desk, an editor and the readers, over HTTP as a browser would
pages    the figures each open page shows, read off its text
night    the run: declare, publish, poll, compare, report
"""
