"""The people of the night, over HTTP as a browser would: the results desk declaring
through the admin's form, an editor publishing a post, and readers holding pages open and
polling them as static/js/refresh.js and static/js/live.js do."""

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from rehearsal.dom import parse


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: cookies kept, redirects not followed (a 302 after a POST is
    the answer), every request timed."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.requests = 0
        self.seconds = 0.0

    def request(self, path, data=None, headers=None):
        """(status, headers, text) of a GET, or a POST of `data` (pairs)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, answer, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, answer, text = error.code, error.headers, error.read()
        finally:
            self.requests += 1
            self.seconds += time.monotonic() - started
        return status, answer, text.decode()

    def get(self, path, etag=None):
        return self.request(path, headers={"If-None-Match": etag} if etag else {})

    def login(self, username, password):
        _, _, page = self.get("/admin/login/")
        form = Form.of(parse(page), "login-form")
        form.set("username", username)
        form.set("password", password)
        status, headers, _ = self.request("/admin/login/?next=/admin/", form.pairs())
        if status != 302:
            raise SystemExit(f"{username} could not log in to the admin (HTTP {status})")


class Form:
    """The values a browser would send from a <form>: its inputs, selects and textareas,
    less disabled ones, unticked boxes and the template rows of Django's formsets."""

    def __init__(self, node):
        self.node = node
        self.fields = []  # [name, value], in document order
        self.buttons = {}  # name: value of each submit button
        for element in node.walk():
            name = element.get("name")
            if not name or element.has("disabled") or "__prefix__" in name:
                continue
            kind = (element.get("type") or "text").lower()
            if element.tag == "input":
                if kind in ("submit", "image"):
                    self.buttons[name] = element.get("value", "")
                elif kind in ("checkbox", "radio"):
                    if element.has("checked"):
                        self.fields.append([name, element.get("value", "on")])
                elif kind not in ("file", "reset", "button"):
                    self.fields.append([name, element.get("value", "")])
            elif element.tag == "button":
                if kind == "submit":
                    self.buttons[name] = element.get("value", "")
            elif element.tag == "textarea":
                self.fields.append(
                    [name, "".join(c for c in element.children if isinstance(c, str))]
                )
            elif element.tag == "select":
                options = element.find_all("option")
                chosen = [o for o in options if o.has("selected")]
                if not chosen and options and not element.has("multiple"):
                    chosen = options[:1]
                for option in chosen:
                    self.fields.append([name, option.get("value", option.text())])

    @classmethod
    def of(cls, document, form_id=None):
        """The form with this id, or the one posting form of the page; None if none."""
        if form_id:
            node = document.find("form", id=form_id)
        else:
            forms = [f for f in document.find_all("form") if f.get("method", "").lower() == "post"]
            forms = [f for f in forms if f.get("id") != "logout-form"]
            node = forms[0] if len(forms) == 1 else None
        return cls(node) if node is not None else None

    def set(self, name, value):
        for field in self.fields:
            if field[0] == name:
                field[1] = str(value)
                return
        self.fields.append([name, str(value)])

    def value(self, name):
        return next((value for field, value in self.fields if field == name), None)

    def pairs(self, button=None):
        pairs = [tuple(field) for field in self.fields]
        if button:
            pairs.append((button, self.buttons.get(button, "")))
        return pairs


def problems_on(document):
    """What the admin said was wrong, in a line (its error notes and lists)."""
    notes = [n.text() for n in document.find_all(class_="errornote")]
    notes += [n.text() for n in document.find_all(class_="errorlist")]
    return " | ".join(" ".join(note.split()) for note in notes if note.strip())


def name_key(name):
    """A candidate's or seat's name compared without case, accents' absence or punctuation."""
    name = name.lower().replace("&", "and")
    return " ".join(re.sub(r"[^\w\s]", " ", name).split())


class Refused(Exception):
    """The admin did not take what was typed: the reason it gave."""


class Desk(Browser):
    """A member of the results desk at the declarations form."""

    def __init__(self, base):
        super().__init__(base)
        self.confirmations = 0  # confirmation pages answered (the desk's second step)
        self.seats = {}

    def find_seats(self):
        """{name key: change form path} of every seat, from the declarations list."""
        page = 1
        while True:
            status, _, text = self.get(f"/admin/results/declaration/?p={page}")
            if status != 200:
                break
            document = parse(text)
            links = [
                a
                for a in document.find_all("a")
                if re.fullmatch(r"/admin/results/declaration/\d+/change/(\?.*)?", a.get("href", ""))
            ]
            if not links:
                break
            for link in links:
                self.seats[name_key(link.text())] = link.get("href").split("?")[0]
            if not document.find("a", href=f"?p={page + 1}"):
                break
            page += 1
        return self.seats

    def declare(self, seat):
        """Type the seat's count into its form and save it, confirming where the form
        asks: every candidate's votes, the electorate and the time."""
        path = self.seats.get(name_key(seat.name))
        if path is None:
            raise Refused(f"{seat.name} is not in the declarations list")
        status, _, text = self.get(path)
        document = parse(text)
        form = Form.of(document, "declaration_form")
        if status != 200 or form is None:
            raise Refused(f"the form for {seat.name} did not open (HTTP {status})")
        for prefix, votes in self.rows_for(document, seat):
            form.set(f"{prefix}-votes", votes)
        form.set("electorate", seat.electorate)
        form.set("turnout", "")
        form.set("declared_at_0", f"{seat.declared_at:%Y-%m-%d}")
        form.set("declared_at_1", f"{seat.declared_at:%H:%M:%S}")
        status, headers, text = self.request(
            path, form.pairs("_save"), {"Referer": self.base + path}
        )
        for _ in range(3):
            if status == 302:
                return
            document = parse(text)
            step = Form.of(document)
            if step is None or "_confirm" not in step.buttons:
                break
            # The desk's second step: the page shows what will be published; confirm it.
            self.confirmations += 1
            status, headers, text = self.request(
                path, step.pairs("_confirm"), {"Referer": self.base + path}
            )
        raise Refused(f"{seat.name}: HTTP {status}: {problems_on(parse(text)) or 'not saved'}")

    def enter_exit_poll(self, lines):
        """Type the exit poll into its admin form as announced: each line's party chosen
        from the list by its name (none for Others), its label and seats; the time is
        the form's own, 22:00 on polling day."""
        path = "/admin/results/exitpoll/add/"
        status, _, text = self.get(path)
        document = parse(text)
        form = Form.of(document, "exitpoll_form")
        if status != 200 or form is None:
            raise Refused(f"the exit poll's form did not open (HTTP {status})")
        form.set("lines-TOTAL_FORMS", len(lines))
        for index, (label, seats) in enumerate(lines):
            select = document.find("select", name=f"lines-{index}-party")
            options = select.find_all("option") if select is not None else []
            chosen = [o for o in options if name_key(o.text()) == name_key(label)]
            if label != "Others" and len(chosen) != 1:
                raise Refused(f"the exit poll's form offers no single party {label!r}")
            form.set(f"lines-{index}-party", chosen[0].get("value") if chosen else "")
            form.set(f"lines-{index}-label", label)
            form.set(f"lines-{index}-seats", seats)
        status, _, text = self.request(path, form.pairs("_save"), {"Referer": self.base + path})
        if status != 302:
            raise Refused(f"exit poll: HTTP {status}: {problems_on(parse(text)) or 'not saved'}")

    def rows_for(self, document, seat):
        """(row prefix, votes) for each of the seat's candidates, found by name and party."""
        rows = []
        for votes_input in document.find_all("input", data_votes=True):
            prefix = votes_input.get("name", "").removesuffix("-votes")
            if "__prefix__" in prefix:
                continue
            name = document.find("input", name=f"{prefix}-name")
            party = document.find("select", name=f"{prefix}-party")
            chosen = party.find("option", selected=True) if party is not None else None
            rows.append(
                (
                    prefix,
                    name_key(name.get("value", "")) if name else "",
                    chosen.text() if chosen else "",
                )
            )
        typed = []
        left = list(rows)
        for candidate in seat.candidates:
            match = [r for r in left if r[1] == name_key(candidate.name)]
            if len(match) != 1:  # spelt otherwise in the nominations: the party's one row
                match = [r for r in left if party_matches(r[2], candidate)]
            if len(match) != 1:
                raise Refused(f"{seat.name}: no single row for {candidate.name}")
            left.remove(match[0])
            typed.append((match[0][0], candidate.votes))
        if left:
            raise Refused(
                f"{seat.name}: the form has a candidate the Library has not ({left[0][1]})"
            )
        return typed


def party_matches(shown, candidate):
    shown = name_key(shown)
    return bool(shown) and (
        shown == name_key(candidate.party_name) or shown.startswith(name_key(candidate.party_name))
    )


class Editor(Browser):
    """An editor publishing a short post on a county's live page from the admin's form."""

    def publish(self, county_name, title, text):
        path = "/admin/liveblog/post/add/"
        _, _, page = self.get(path)
        document = parse(page)
        form = Form.of(document, "post_form")
        live_page = document.find("select", name="live_page")
        option = next(
            (o for o in live_page.find_all("option") if o.text().startswith(county_name + ":")),
            None,
        )
        if option is None:
            raise Refused(f"no live page for {county_name}")
        form.set("live_page", option.get("value"))
        form.set("title", title)
        kinds = document.find("select", name="blocks-__prefix__-kind")
        paragraph = next(
            (o.get("value") for o in kinds.find_all("option") if "paragraph" in o.text().lower()),
            "paragraph",
        )
        form.set("blocks-TOTAL_FORMS", 1)
        form.set("blocks-0-position", 0)
        form.set("blocks-0-kind", paragraph)
        form.set("blocks-0-text", text)
        status, _, answer = self.request(
            path, form.pairs("_publish"), {"Referer": self.base + path}
        )
        if status != 302:
            raise Refused(f"post {title!r}: HTTP {status}: {problems_on(parse(answer))}")

    def publish_result_post(self, seat_name):
        """Publish the post drafted from a seat's declaration, with its own button under
        "Result posts awaiting an editor"."""
        path = "/admin/liveblog/resultpost/"
        page = 1
        while True:
            _, _, text = self.get(f"{path}?p={page}")
            document = parse(text)
            for row in document.find_all("tr"):
                cells = [c.text() for c in row.children if getattr(c, "tag", None) == "td"]
                button = row.find("button", name="publish_one")
                if seat_name in cells and button is not None:
                    form = Form.of(document, "changelist-form")
                    pairs = [*form.pairs(), ("publish_one", button.get("value"))]
                    status, _, answer = self.request(
                        f"{path}?p={page}", pairs, {"Referer": self.base + path}
                    )
                    if status != 302:
                        raise Refused(f"result post for {seat_name}: HTTP {status}")
                    return
            if not document.find("a", href=f"?p={page + 1}"):
                raise Refused(f"no result post awaiting an editor for {seat_name}")
            page += 1


class Reader(Browser):
    """A reader with one page open: what it shows now, kept up to date as its script
    would (refresh.js: the page itself with If-None-Match, each part marked data-live put
    in place; live.js: the county's updates since the last change applied, whose strip
    and results are put in place and whose new posts are offered)."""

    def __init__(self, base, path):
        super().__init__(base)
        self.path = path
        self.etag = None
        self.update_etag = None
        self.offered = set()  # new posts offered ("Show 2 new posts")
        status, headers, text = self.get(path)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
        self.etag = headers.get("ETag")
        self.document = parse(text)
        live = self.document.find(data_updates_url=True)
        self.updates = live.get("data-updates-url") if live is not None else None
        self.since = live.get("data-since", "0") if live is not None else None

    def poll(self):
        if self.updates:
            self.poll_updates()
        else:
            self.refresh()

    def refresh(self):
        status, headers, text = self.get(self.path, self.etag)
        if status != 200:
            return
        self.etag = headers.get("ETag")
        self.put_in_place(parse(text))

    def put_in_place(self, fresh):
        for part in self.document.find_all(data_live=True):
            new = fresh.find(data_live=part.get("data-live"))
            if new is not None:
                part.replace_with(new)

    def poll_updates(self):
        query = urllib.parse.urlencode({"since": self.since})
        status, headers, text = self.get(f"{self.updates}?{query}", self.update_etag)
        if status != 200:
            return
        self.update_etag = headers.get("ETag")
        update = parse(text).find(data_update=True)
        if update is None:
            return
        self.since = update.get("data-next") or self.since
        strip = update.find(data_strip=True)
        if strip is not None and strip.find(class_="strip") is not None:
            current = self.document.find(class_="strip")
            if current is not None:
                current.replace_with(strip.find(class_="strip"))
        # The county's results, put in place (the reader is never in them here).
        results = update.find(data_results=True)
        panel = self.document.find(data_live="county-results")
        if results is not None and panel is not None:
            panel.children = results.children
            for child in panel.children:
                if not isinstance(child, str):
                    child.parent = panel
        for removed in update.find_all(data_removed=True):
            for post in removed.find_all(data_post=True):
                self.offered.discard(post.get("data-post"))
        posts = update.find(data_posts=True)
        if posts is not None:
            shown = {a.get("data-post") for a in self.document.find_all("article", data_post=True)}
            for article in posts.find_all("article", data_post=True):
                if article.get("data-post") not in shown:
                    self.offered.add(article.get("data-post"))

    def text(self):
        return self.document.text()


class ApiReader(Browser):
    """A program following the open data API (an ETag kept, as a good client does)."""

    def __init__(self, base, path):
        super().__init__(base)
        self.path = path
        self.etag = None
        self.data = None
        self.poll()

    def poll(self):
        status, headers, text = self.get(self.path, self.etag)
        if status == 200:
            self.etag = headers.get("ETag")
            self.data = json.loads(text)
        elif status != 304:
            raise SystemExit(f"{self.path}: HTTP {status}")
