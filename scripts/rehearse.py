#!/usr/bin/env python
"""The whole night replayed end to end, as the acceptance test of the newsroom's site.

    make rehearse                          # every seat (650)
    scripts/rehearse.py --seats 30         # a short version (make test runs it)
    scripts/rehearse.py --every 3          # a post every 3 declarations (5 by default)

From an empty database prepared the README's way (migrate, import_seeds, the nominations),
with rehearse_night's clearing taking off the seeds' seven results, the site is served by
gunicorn with debug off on 127.0.0.1. At 22:00 the results desk types the broadcasters'
exit poll into its admin form; then it declares each seat through the admin's form in the
order the Library recorded, typing every candidate's votes, the electorate and the time
(and confirming where the form asks); an editor publishes a post on the county's live
page every few declarations. Readers hold the home page, a county, a
region, a seat and the API's scoreboard open and poll them as the live scripts do. After
every declaration each page is compared with an oracle worked out from the House of
Commons Library's files and the exit poll's alone (scripts/rehearsal/oracle.py). Each
disagreement is printed; the exit status is 1 if there was any. See docs/rehearsal.md.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rehearsal.night import DATA, rehearse  # noqa: E402
from rehearsal.oracle import TOTAL_SEATS  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seats", type=int, default=TOTAL_SEATS, help="declare only the first N")
    parser.add_argument(
        "--every", type=int, default=5, help="a post every K declarations (0: none)"
    )
    parser.add_argument("--data", type=Path, default=DATA, help="the Library's files")
    parser.add_argument("--county", default="derbyshire", help="the county page held open")
    parser.add_argument("--region", default="north-east", help="the region page held open")
    parser.add_argument("--seat", default="erewash", help="the seat page held open")
    parser.add_argument("--keep", action="store_true", help="keep the database and server log")
    args = parser.parse_args()
    if not 0 <= args.seats <= TOTAL_SEATS:
        parser.error(f"--seats must be from 0 to {TOTAL_SEATS}")

    def say(line):
        print(line, flush=True)

    summary, _, figures = rehearse(
        data=args.data,
        seats=args.seats,
        every=args.every,
        county=args.county,
        region=args.region,
        seat=args.seat,
        keep=args.keep,
        say=say,
    )
    say(
        f"Prepared in {figures['prepared_s']:.0f} s; the night in {figures['replayed_s']:.0f} s: "
        f"{figures['requests']:,} requests, {figures['posts']} posts, "
        f"{figures['confirmations']} confirmation steps; the desk "
        f"{figures['desk_s_per_seat']:.2f} s a seat, the readers' polls "
        f"{figures['readers_s_per_step']:.2f} s a step, the editor "
        f"{figures['editor_s_per_post']:.2f} s a post"
    )
    say(summary)
    return 1 if " 0 disagreements" not in summary else 0


if __name__ == "__main__":
    sys.exit(main())
