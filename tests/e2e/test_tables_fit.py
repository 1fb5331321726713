"""Issue 30, "clipped tables": every table on every reader page, at 320, 375 and 1280 px,
either fits its box or scrolls in a region a keyboard can reach, that is named, and that
shows it has more; its caption stays whole; no page is wider than the screen."""

from liveblog.models import Post
from tests.e2e.conftest import NATIONAL_PAGES, axe_violations

PAGES = [
    "/",
    "/?at=03:00",
    "/constituencies/",
    "/constituencies/?nation=scotland&outcome=gain&sort=-majority",
    "/constituencies/kettering/",
    "/constituencies/chorley/",
    "/constituencies/leicester-south/",
    "/regions/",
    "/regions/london/",
    "/regions/north-west/",
    "/parties/",
    "/parties/labour/",
    "/parties/reform-uk/",
    "/parties/green-party/",
    "/counties/northamptonshire/",
    "/counties/leicestershire-and-rutland/",
    "/lists/closest-results/",
    "/lists/biggest-swings/",
    "/lists/defeated-mps/",
    "/search/?q=north",
    "/data/",
]
WIDTHS = (320, 375, 1280)
# Tables that must fit, not scroll: (address, width, the start of the caption).
FITS = [
    *[("/", width, "Seats and votes: every party") for width in WIDTHS],
    ("/regions/london/", 1280, "Seats and votes in London"),
    ("/regions/north-west/", 1280, "Seats and votes in North West"),
]
SCROLLING = """() => [...document.querySelectorAll(".table-scroll")]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => box.querySelector("caption").textContent.trim())"""

# For each table: the nearest box that clips or scrolls it; what a reader cannot reach
# or read there.
PROBLEMS = """() => {
  const found = [];
  const clips = el => getComputedStyle(el).overflowX !== "visible";
  for (const table of document.querySelectorAll("table")) {
    if (!table.getClientRects().length) continue;  // not shown at this width
    const name = (table.caption ? table.caption.textContent : table.className).trim().slice(0, 50);
    let box = table.parentElement;
    while (box !== document.body && !clips(box)) box = box.parentElement;
    const scrolls = box !== document.body && box.scrollWidth > box.clientWidth + 1;
    for (let el = table.parentElement; el !== document.body; el = el.parentElement) {
      const style = getComputedStyle(el).overflowX;
      if ((style === "hidden" || style === "clip") && el.scrollWidth > el.clientWidth + 1)
        found.push([name, "cut off by a box that hides what overflows"]);
    }
    if (!scrolls) {
      if (table.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        found.push([name, "wider than the screen"]);
      continue;
    }
    if (box.tabIndex < 0) found.push([name, "scrolls, but a keyboard cannot reach it"]);
    const named = box.getAttribute("aria-labelledby") || box.getAttribute("aria-label");
    if (box.getAttribute("role") !== "region" || !named)
      found.push([name, "scrolls, but is not a named region"]);
    if (!getComputedStyle(box).backgroundImage.includes("gradient"))
      found.push([name, "scrolls, with no shadow to show there is more"]);
    if (table.caption) {
      const inside = () => {
        const c = table.caption.getBoundingClientRect(), b = box.getBoundingClientRect();
        return c.left >= b.left - 1 && c.right <= b.right + 1;
      };
      if (!inside()) found.push([name, "its caption is cut"]);
      box.scrollLeft = box.scrollWidth;
      if (!inside()) found.push([name, "its caption scrolls away"]);
      box.scrollLeft = 0;
    }
  }
  return found;
}"""


def test_every_table_fits_or_scrolls_visibly(national_site, page):
    post = Post.objects.get(title="Labour gain Loughborough").get_absolute_url()
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for address in [*PAGES, post]:
            response = page.goto(national_site + address)
            assert response.status == 200, address
            problems = page.evaluate(PROBLEMS)
            scrolling = page.evaluate(SCROLLING)
            for fitting in (fits for at, wide, fits in FITS if (at, wide) == (address, width)):
                if any(caption.startswith(fitting) for caption in scrolling):
                    problems.append([fitting, "scrolls, where it should fit"])
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                problems.append(["page", f"{wide} px wide"])
            # axe at the two widths of the other browser tests, but on the pages
            # test_national_pages.py has checked already.
            if width != 320 and address not in NATIONAL_PAGES.values():
                problems += [[rule, ", ".join(t)] for rule, t in axe_violations(page)]
            if problems:
                found[f"{address} at {width}"] = problems
    assert found == {}, "\n".join(f"{where}: {problems}" for where, problems in found.items())
