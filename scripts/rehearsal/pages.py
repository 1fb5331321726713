"""The figures each open page shows, read off what a reader sees, compared with what the
oracle expects. Each check returns its disagreements as (page, shows, expected)."""

import re
import unicodedata
from decimal import Decimal

from rehearsal.oracle import MAJORITY, TOTAL_SEATS, share


def party_key(name):
    """A party's name as compared: no accents, case, punctuation, "the" or "party"
    ("Sinn Féin" is the Library's "Sinn Fein", "Green Party" its "Green")."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9 ]", " ", name.replace("&", " and ")).split()
    if words[:1] == ["the"]:
        words = words[1:]
    if words[-1:] == ["party"]:
        words = words[:-1]
    return " ".join(words)


def same_party(shown, expected):
    """The page's name for a party is the Library's (the site may say it in full:
    "Alliance Party of Northern Ireland" for the Library's "Alliance")."""
    shown, expected = party_key(shown), party_key(expected)
    return shown == expected or shown.startswith(expected + " party ")


def number(text):
    """An integer as the site prints it: "1,234", "+12", "−3" (a minus sign), "0"."""
    text = text.strip().replace(",", "").replace("−", "-").replace("+", "")
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def signed(value):
    return f"{value:+d}".replace("-", "−") if value else "0"


def table_rows(node):
    """Each body row of the first table under `node`, as the text of its cells."""
    table = node.find("table") if node is not None else None
    if table is None:
        return []
    rows = []
    for tr in table.find_all("tr"):
        cells = [c.text() for c in tr.children if getattr(c, "tag", None) in ("td", "th")]
        if cells and tr.parent.tag != "thead":
            rows.append(cells)
    return rows


class Checker:
    """Compares the pages with the oracle after each declaration."""

    def __init__(self, night):
        self.night = night

    def home(self, document, n):
        page = "home"
        out = []
        part = document.find(data_live="scoreboard")
        if part is None:
            return [(page, "no scoreboard", "the scoreboard")]
        text = part.text()
        out += self.declared_line(page, text, n, TOTAL_SEATS, f" · {TOTAL_SEATS - n} to go")
        out += self.headline(page, text, n)
        declared = self.night.declared(n)
        out += self.party_table(page, part, declared)
        out += self.turnout(page, text, declared)
        out += self.projection(page, document.text(), n)
        return out

    def declared_line(self, page, text, declared, seats, rest=""):
        """ "N of M seats declared" (and what follows it on the home page)."""
        expected = f"{declared} of {seats} seats declared{rest}"
        found = re.search(r"\d+ of \d+ seats declared( · \d+ to go)?", text)
        shown = found.group(0) if found else "no count of seats declared"
        return [] if shown == expected else [(page, shown, expected)]

    def headline(self, page, text, n):
        rows = self.night.scoreboard(n)
        if not rows or max(r.seats for r in rows) == 0:
            expected = "No seats declared yet."
            return [] if expected in text else [(page, first_line(text, "seat"), expected)]
        leader = max(rows, key=lambda r: r.seats)
        others = TOTAL_SEATS - leader.seats
        if leader.seats >= MAJORITY and n == TOTAL_SEATS:
            expected = (
                f"{leader.label} majority of {leader.seats - others}: "
                f"{seats(leader.seats)} against {others} for all other parties."
            )
        elif leader.seats >= MAJORITY:
            expected = (
                f"{leader.label} has won a majority: {seats(leader.seats)}, a majority of "
                f"at least {leader.seats - others} with {TOTAL_SEATS - n} still to declare."
            )
        else:
            expected = (
                f"{leader.label} leads with {seats(leader.seats)}, "
                f"{MAJORITY - leader.seats} short of the {MAJORITY} needed for a majority."
            )
        found = re.search(r"^(.+?) (leads with|has won a majority:|majority of) .*$", text, re.M)
        if found and same_party(found.group(1), leader.label):
            shown = expected.replace(leader.label, found.group(1), 1)
            if found.group(0) == shown:
                return []
        return [(page, found.group(0) if found else "no headline", expected)]

    def party_table(self, page, part, declared):
        """Every party with a seat or 1% of the vote, as the table says: its own seats
        (the Speaker on his own line), their change, its votes and share. (A party that
        has only lost seats so far is in the scoreboard's lines, not here.)"""
        night = self.night
        votes, total = night.votes(declared)
        won = {}
        held = {}
        for seat in declared:
            won[night.name_of(seat.winner.party)] = won.get(night.name_of(seat.winner.party), 0) + 1
            if seat.notional:
                name = night.name_of(seat.notional)
                held[name] = held.get(name, 0) + 1
        expected = {}
        for name in set(votes) | set(won) | set(held):
            exact = votes[name] * 100 / total if total else 0
            seats_won, change = won.get(name, 0), won.get(name, 0) - held.get(name, 0)
            if seats_won or exact >= 1:
                expected[name] = (seats_won, change, votes[name], share(votes[name], total))
        borderline = {n for n in votes if total and 0.95 <= votes[n] * 100 / total < 1}
        out = []
        seen = set()
        for cells in table_rows(part):
            if len(cells) < 5 or cells[0] == "Others":
                continue
            name = next((e for e in expected if same_party(cells[0], e)), None)
            if name is None:
                if not any(same_party(cells[0], b) for b in borderline):
                    out.append((page, f"a line for {cells[0]}", "no line for it"))
                continue
            seen.add(name)
            won_, change, party_votes, party_share = expected[name]
            shown = " ".join(cells[1:5])
            want = f"{won_} {signed(change)} {party_votes:,} {party_share}%"
            if shown != want:
                out.append((page, f"{cells[0]}: {shown}", f"{name}: {want}"))
        for name in sorted(set(expected) - seen):
            won_, change, party_votes, party_share = expected[name]
            out.append(
                (
                    page,
                    f"no line for {name}",
                    f"{name}: {won_} {signed(change)} {party_votes:,} {party_share}%",
                )
            )
        return out

    def turnout(self, page, text, declared):
        if not declared:
            return []
        valid = sum(s.valid_votes for s in declared)
        electorate = sum(s.electorate for s in declared)
        expected = f"{valid:,} valid votes · turnout {share(valid, electorate)}%"
        found = re.search(r"[\d,]+ valid votes · turnout [\d.]+%", text)
        shown = found.group(0) if found else "no valid votes or turnout"
        return [] if shown == expected else [(page, shown, expected)]

    def projection(self, page, text, n):
        basis = self.night.projection_basis(n)
        found = re.search(r"Projected from (\d+) seats?", text)
        shown = f"Projected from {found.group(1)} seats" if found else "no projection"
        expected = f"Projected from {basis} seats" if basis is not None else "no projection"
        return [] if shown == expected else [(page, shown, expected)]

    def strip(self, page, document, n):
        """The national strip: the scoreboard's seats, line by line, and the seats to go."""
        strip = document.find(class_="strip")
        if strip is None:
            return [(page + " strip", "no strip", "the national strip")]
        text = strip.text()
        poll = strip.find(class_="strip__poll")
        if poll is not None:  # the exit poll's lines are checked by exit_poll_strip
            text = text.replace(poll.text(), "", 1)
        rows = self.night.scoreboard(n)  # every party with a seat, or with a loss
        shown = [int(x) for x in re.findall(r"^\S+ (\d+)$", text, re.M)]
        to_go = re.search(r"(\d+) seats? to go", text)
        out = []
        if n and shown != [r.seats for r in rows]:
            out.append(
                (page + " strip", " ".join(map(str, shown)), " ".join(str(r.seats) for r in rows))
            )
        if n < TOTAL_SEATS:
            got = f"{to_go.group(1)} seats to go" if to_go else first_line(text, "declared")
            if got != f"{TOTAL_SEATS - n} seats to go":
                out.append((page + " strip", got, f"{TOTAL_SEATS - n} seats to go"))
        elif to_go:
            out.append((page + " strip", to_go.group(0), "every seat declared"))
        return out

    def exit_poll_home(self, document, n):
        """The exit poll leads the home page, labelled a poll, until the projection is
        shown; then it is a line for comparison."""
        page = "home exit poll"
        night = self.night
        if not night.exit_poll:
            return []
        lead = document.find(data_live="exit-poll")
        beside = document.find(data_live="exit-poll-beside")
        lead_text = lead.text() if lead is not None else ""
        beside_text = beside.text() if beside is not None else ""
        leader, majority = night.exit_poll_majority()
        lines = [f"{label} {seats}" for label, seats in night.exit_poll]
        if not night.exit_poll_leads(n):
            expected = ", ".join(lines) + f". {leader} majority {majority}."
            out = [] if expected in beside_text else [(page, beside_text or "nothing", expected)]
            return out + ([(page, lead_text, "no lead")] if lead_text else [])
        out = []
        heading = "Exit poll, 22:00 · Ipsos for BBC, ITV News and Sky News"
        says = f"{leader} majority {majority}, if the poll is right."
        for expected in (heading, says):
            if expected not in lead_text.split("\n"):
                out.append((page, first_line(lead_text, "poll") or "nothing", expected))
        shown = [" ".join(cells) for cells in table_rows(lead)]
        if shown != lines:
            out.append((page, "; ".join(shown), "; ".join(lines)))
        if beside_text:
            out.append((page, beside_text, "no comparison line while the poll leads"))
        return out

    def exit_poll_strip(self, page, document, n):
        """The strip leads with the exit poll's seats, line by line, while it leads."""
        strip = document.find(class_="strip")
        poll = strip.find(class_="strip__poll") if strip is not None else None
        page += " strip"
        if not self.night.exit_poll_leads(n):
            return [] if poll is None else [(page, poll.text(), "no exit poll")]
        if poll is None:
            return [(page, "no exit poll", "the exit poll")]
        text = poll.text()
        shown = [int(x) for x in re.findall(r"^\S+ (\d+)$", text, re.M)]
        expected = [seats for _, seats in self.night.exit_poll]
        out = [] if shown == expected else [(page, str(shown), str(expected))]
        if "a poll, not a result" not in text:
            out.append((page, first_line(text, "Exit"), "labelled a poll, not a result"))
        return out

    def api(self, data, n):
        page = "/api/v1/scoreboard"
        out = []
        for key, expected in (("seats_declared", n), ("seats_to_go", TOTAL_SEATS - n)):
            if data.get(key) != expected:
                out.append(
                    (
                        page,
                        f"{key}: {data.get(key)} (source: {data.get('source')})",
                        f"{key}: {expected}",
                    )
                )
        rows = self.night.scoreboard(n)
        shown = [(r["label"], r["seats"], r["change"]) for r in data.get("seats", [])]
        want = [(r.label, r.seats, r.change) for r in rows]
        if len(shown) != len(want) or any(
            not same_party(s[0], w[0]) or s[1:] != w[1:] for s, w in zip(shown, want, strict=False)
        ):
            out.append((page, f"seats: {shown}", f"seats: {want}"))
        return out

    def area(self, page, document, part, seats, n, tally_only=False):
        """A county's or region's count of seats declared, its figures and its seats."""
        declared, tally = self.night.area(n, seats)
        text = part.text() if part is not None else ""
        out = self.declared_line(page, text, len(declared), len(seats))
        if tally_only:
            rows = {}
            for cells in table_rows(part):
                if len(cells) >= 3:
                    rows[cells[0]] = (number(cells[1]), number(cells[2]))
            for name, figures in tally.items():
                shown = next((rows.pop(k) for k in list(rows) if same_party(k, name)), None)
                if shown != figures:
                    out.append((page, f"{name}: {shown}", f"{name}: {figures}"))
            for name, figures in rows.items():
                if figures != (0, 0):
                    out.append((page, f"{name}: {figures}", f"no line for {name}"))
        else:
            out += self.party_table(page, part, declared)
            out += self.turnout(page, text, declared)
        out += self.seat_list(page, text, seats, declared)
        return out

    def seat_list(self, page, text, seats, declared):
        done = {s.ons_code for s in declared}
        out = []
        lines = text.split("\n")
        for seat in seats:
            line = next((x for x in lines if x.startswith(seat.name + " ")), None)
            if seat.ons_code in done:
                w = seat.winner
                verdict = "GAIN FROM" if seat.gain else "HOLD"
                expected = f"{seat.name}: {verdict}, {w.name}, majority {seat.majority:,}"
                ok = (
                    line is not None
                    and f" {verdict} " in line + " "
                    and f" {w.name}," in line
                    and line.endswith(f"majority {seat.majority:,}")
                )
            else:
                expected = f"{seat.name} Awaiting declaration"
                ok = line == expected
            if not ok:
                out.append((page, line or f"no line for {seat.name}", expected))
        return out

    def county(self, document, seats, n):
        part = document.find(data_live="county-results") or document
        return self.area("county", document, part, seats, n, tally_only=True) + self.strip(
            "county", document, n
        )

    def region(self, document, seats, n):
        part = document.find(data_live="region") or document
        return self.area("region", document, part, seats, n)

    def seat(self, document, seat, n):
        page = "seat"
        part = document.find(data_live="result") or document
        text = part.text()
        if seat.ons_code not in {s.ons_code for s in self.night.declared(n)}:
            return (
                []
                if "Awaiting declaration" in text
                else [(page, first_line(text, ""), "Awaiting declaration")]
            )
        w = seat.winner
        out = []
        verdict = "GAIN FROM" if seat.gain else "HOLD"
        first = text.split("\n", 1)[0]
        if f" {verdict}" not in first:
            out.append((page, first, verdict))
        turnout = share(seat.valid_votes, seat.electorate, places=2)
        for label, value in (
            ("Winner", f"{w.name}, "),
            ("Majority", f"{seat.majority:,} votes"),
            ("Electorate", f"{seat.electorate:,}"),
            ("Turnout", f"{turnout}%"),
            ("Declared", f"{seat.declared_at:%H:%M} BST"),
        ):
            found = re.search(rf"^{label}\n(.*)$", text, re.M)
            shown = found.group(1) if found else f"no {label}"
            if not shown.startswith(value):
                out.append((page, f"{label}: {shown}", f"{label}: {value}"))
        candidates = {cells[0]: cells for cells in table_rows(part) if len(cells) >= 3}
        for candidate in seat.candidates:
            cells = next((c for k, c in candidates.items() if k.startswith(candidate.name)), None)
            if cells is None or number(cells[2]) != candidate.votes:
                out.append(
                    (
                        page,
                        f"{candidate.name}: {cells[2] if cells else 'not listed'}",
                        f"{candidate.name}: {candidate.votes:,}",
                    )
                )
        return out

    def still_to_declare(self, document, n):
        """/lists/still-to-declare/, loaded afresh: how many, and no seat declared in it."""
        page = "still to declare"
        text = (document.find("main") or document).text()
        expected = f"{seats(TOTAL_SEATS - n)} still to declare."
        found = re.search(r"^\d+ seats? still to declare\.?$", text, re.M)
        out = []
        if n < TOTAL_SEATS and (found is None or found.group(0) != expected):
            out.append((page, found.group(0) if found else first_line(text, "declare"), expected))
        lines = set(text.split("\n"))
        listed = [s.name for s in self.night.declared(n) if s.name in lines]
        if listed:
            out.append((page, f"{len(listed)} declared seats listed ({listed[0]}...)", "none"))
        return out

    def seat_api(self, data, seat):
        """/api/v1/constituencies/<slug> of the seat just declared: its result as the desk
        typed it, each candidate's votes and change in share since 2019, and the swing."""
        page = "seat API"
        if data is None:
            return [(page, f"no answer for {seat.name}", "its result")]
        w = seat.winner
        out = []
        expected = {
            "declared": True,
            "outcome": "GAIN" if seat.gain else "HOLD",
            "winner": w.name,
            "majority": seat.majority,
            "electorate": seat.electorate,
            "valid_votes": seat.valid_votes,
            "declared_at": f"{seat.declared_at:%Y-%m-%dT%H:%M}",
        }
        for key, value in expected.items():
            shown = data.get(key)
            if key == "declared_at" and isinstance(shown, str):
                shown = shown[:16]
            if shown != value:
                out.append((page, f"{seat.name} {key}: {shown}", f"{key}: {value}"))
        swing = seat.swing
        if swing is not NotImplemented and decimal_or_none(data.get("swing")) != swing:
            out.append((page, f"{seat.name} swing: {data.get('swing')}", f"swing: {swing}"))
        answered = data.get("candidates", [])
        for candidate in seat.candidates:
            # By name, and by party where two share a name (Mid Buckinghamshire's Greg Smiths).
            named = [c for c in answered if name_of(c["name"]) == name_of(candidate.name)]
            if len(named) > 1:
                party = self.night.name_of(candidate.party)
                named = [c for c in named if same_party(c["party"]["name"], party)]
            c = named[0] if len(named) == 1 else None
            if c is None:
                out.append((page, f"{seat.name}: no {candidate.name}", f"{candidate.name}"))
                continue
            if c.get("votes") != candidate.votes:
                out.append(
                    (page, f"{candidate.name} votes: {c.get('votes')}", f"votes: {candidate.votes}")
                )
            change = seat.share_change(candidate)
            if change is not NotImplemented and decimal_or_none(c.get("share_change")) != change:
                out.append(
                    (
                        page,
                        f"{seat.name}, {candidate.name} share_change: {c.get('share_change')}",
                        f"share_change: {change}",
                    )
                )
        return out


def name_of(name):
    return " ".join(name.lower().split())


def decimal_or_none(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def seats(number):
    return f"{number} seat" if number == 1 else f"{number} seats"


def first_line(text, containing):
    return next((line for line in text.split("\n") if containing in line), text[:80])
