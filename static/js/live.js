/* Live updates for a county page (pages.views.county_updates). Every so often the page
   asks what changed since the last change it applied, by number, so nothing is missed:
   - new posts are offered ("Show 2 new posts"), never pushed in: nothing moves under
     the reader until they ask;
   - a post edited (or corrected) is put right in place; one unpublished or deleted
     disappears; one pinned moves to the key posts at the top, one unpinned back to its
     place, at once, wherever it is, unless the reader is in it (focus inside: it waits
     for them to leave, looked at again every few seconds);
   - the county's results (its count of seats declared, its tally and its seats) are
     put in place as they change, unless the reader is in them (they wait likewise);
   - whatever changes above what the reader is looking at, the page scrolls by as much,
     so what they are reading stays where it is;
   - each change is announced politely to screen readers; the strip refreshes too.
   Without this script the page works as before (reload to see what is new). */
(function () {
  "use strict";
  var live = document.querySelector("[data-updates-url]");
  if (!live || !window.fetch || !window.DOMParser) return;

  var url = live.getAttribute("data-updates-url");
  var since = live.getAttribute("data-since") || "0";
  var stream = live.querySelector("[data-stream]");
  var intervalMs = 15000;
  var etag = null;
  var waiting = {}; // new posts not yet shown, by id
  var pending = {}; // changes waiting until the reader is out of the post, by id
  var results = document.querySelector('[data-live="county-results"]');
  var freshResults = null; // the county's results as last answered, not yet in place
  var WAIT_MS = 3000; // how soon a change the reader was in the way of is tried again
  var PAGE_LENGTH = 20;

  // The browser's own scroll anchoring would move the page a second time.
  document.documentElement.style.overflowAnchor = "none";

  var button = document.createElement("button");
  button.type = "button";
  button.className = "new-posts";
  button.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  stream.parentNode.insertBefore(button, stream);
  stream.parentNode.insertBefore(status, stream);

  function idOf(element) { return element.getAttribute("data-post"); }
  function titleOf(article) {
    var title = article.querySelector(".post__title");
    return title ? title.textContent.trim() : "a post";
  }
  function article(id) { return live.querySelector('article[data-post="' + id + '"]'); }
  function articles(container) {
    return Array.prototype.slice.call(container.querySelectorAll("article[data-post]"));
  }
  function readerIn(element) {
    return document.activeElement && document.activeElement !== document.body &&
      element.contains(document.activeElement);
  }
  function later(a, b) {
    // Newest first, as the page lists them: by time, then by id.
    var at = a.getAttribute("data-published") || "";
    var bt = b.getAttribute("data-published") || "";
    if (at !== bt) return Date.parse(at) > Date.parse(bt);
    return parseInt(idOf(a), 10) > parseInt(idOf(b), 10);
  }
  function imported(fresh) { return document.importNode(fresh, true); }

  function pinnedBox(create) {
    var box = live.querySelector("[data-pinned-posts]");
    if (box || !create) return box;
    box = document.createElement("div");
    box.className = "pinned";
    box.setAttribute("role", "region");
    box.setAttribute("aria-labelledby", "pinned-heading");
    box.setAttribute("data-pinned-posts", "");
    var heading = document.createElement("h3");
    heading.id = "pinned-heading";
    heading.className = "pinned__heading";
    box.appendChild(heading);
    button.parentNode.insertBefore(box, button);
    return box;
  }

  function tidyPinned() {
    var box = pinnedBox(false);
    if (!box) return;
    var count = articles(box).length;
    if (!count) box.remove();
    else box.querySelector(".pinned__heading").textContent = count === 1 ? "Key post" : "Key posts";
  }

  function dayHeading(day) {
    var heading = document.createElement("h3");
    heading.className = "date-heading";
    heading.setAttribute("data-day", day);
    var date = new Date(day + "T12:00:00Z");
    heading.textContent = date.toLocaleDateString("en-GB", {
      weekday: "long", day: "numeric", month: "long", timeZone: "Europe/London",
    });
    return heading;
  }

  // Put a post among others newest first; in the stream, under its day's heading.
  // Returns false if it belongs on an older page than this one.
  function place(post, container) {
    var older = articles(container).filter(function (other) { return later(post, other); })[0];
    if (container !== stream) {
      container.insertBefore(post, older || null);
      return true;
    }
    if (!older && articles(stream).length >= PAGE_LENGTH) return false;
    if (!articles(stream).length) {
      // "No posts yet." goes.
      Array.prototype.slice.call(stream.children).forEach(function (child) {
        if (child.tagName === "P") child.remove();
      });
    }
    var day = post.getAttribute("data-day");
    var before = older || null;
    var previous = before && before.previousElementSibling;
    if (previous && previous.classList.contains("date-heading") &&
        previous.getAttribute("data-day") !== day) {
      before = previous; // that heading is the older post's day: go above it
    }
    var above = before ? before.previousElementSibling : stream.lastElementChild;
    while (above && !above.classList.contains("date-heading")) above = above.previousElementSibling;
    if (!above || above.getAttribute("data-day") !== day) {
      stream.insertBefore(dayHeading(day), before);
    }
    stream.insertBefore(post, before);
    return true;
  }

  // Keep the first thing on screen where it is while the page changes around it.
  function steadily(change) {
    // What can be at the top of the screen: posts and headings, and whatever else the
    // page shows around them (never a box that holds posts, whose top stays put).
    var candidates = Array.prototype.slice.call(document.querySelectorAll(
      "main > *:not(.columns), .columns__side > *, .columns__main > *:not(.live), " +
      ".live > *:not([data-stream]):not([data-pinned-posts]), .pinned__heading, " +
      "article[data-post], .date-heading"
    ));
    var anchor = candidates.filter(function (element) {
      // A date heading stuck to the top of the screen stays put whatever moves.
      var position = window.getComputedStyle(element).position;
      if (position === "sticky" || position === "fixed" || position === "absolute") return false;
      return element.getBoundingClientRect().bottom > 0;
    })[0];
    var anchorId = anchor && anchor.matches("article[data-post]") ? idOf(anchor) : null;
    var top = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    var now = anchorId ? article(anchorId) : anchor;
    if (now && document.contains(now)) {
      var moved = now.getBoundingClientRect().top - top;
      if (moved) window.scrollBy(0, moved);
    }
  }

  function remove(id, said) {
    var post = article(id);
    if (!post) return;
    if (readerIn(post)) {
      var next = post.nextElementSibling;
      while (next && !next.matches("article")) next = next.nextElementSibling;
      var target = next || live.querySelector("#posts-heading");
      if (target) {
        target.setAttribute("tabindex", "-1");
        target.focus({ preventScroll: true });
      }
    }
    var heading = post.previousElementSibling;
    post.remove();
    // A day's heading with no post under it goes too.
    if (heading && heading.classList.contains("date-heading")) {
      var after = heading.nextElementSibling;
      if (!after || after.classList.contains("date-heading")) heading.remove();
    }
    said.push("A post was removed: " + titleOf(post) + ".");
  }

  // Apply one post's change; false if it has to wait (the reader is in it). A post
  // that moves (pinned, unpinned) goes at once, even on screen or above the reader:
  // `steadily` keeps what they are reading where it is.
  function change(fresh, said) {
    var id = idOf(fresh);
    var current = article(id);
    var pinned = fresh.hasAttribute("data-pinned");
    if (current) {
      if (readerIn(current)) return false;
      var inBox = !!current.closest("[data-pinned-posts]");
      if (inBox === pinned) {
        current.replaceWith(imported(fresh));
        said.push("Updated: " + titleOf(fresh) + ".");
        return true;
      }
      current.remove();
      if (!pinned) said.push("No longer a key post: " + titleOf(fresh) + ".");
    }
    if (pinned) {
      place(imported(fresh), pinnedBox(true));
      said.push("Pinned to the top: " + titleOf(fresh) + ".");
    } else if (current) {
      place(imported(fresh), stream);
    }
    return true; // a post not on this page that is not pinned: nothing to show
  }

  function offer() {
    var count = Object.keys(waiting).length;
    button.hidden = count === 0;
    if (count) button.textContent = "Show " + (count === 1 ? "1 new post" : count + " new posts");
    return count;
  }

  // The county's results put in place, if they changed; false if the reader is in them.
  function putResults(said) {
    if (!results || !freshResults) return true;
    if (freshResults.innerHTML.trim() === results.innerHTML.trim()) {
      freshResults = null;
      return true;
    }
    if (readerIn(results)) return false;
    results.replaceChildren.apply(results, Array.prototype.map.call(freshResults.childNodes, imported));
    freshResults = null;
    var says = results.querySelector("[data-live-says]");
    said.push("Results updated" + (says ? ": " + says.textContent.trim().replace(/\s+/g, " ") : "") + ".");
    return true;
  }

  // Put in place what is waiting (posts changed, the results), the page held steady.
  // Returns whether something still waits for the reader.
  function settle(said) {
    var waits = false;
    steadily(function () {
      Object.keys(pending).forEach(function (id) {
        if (change(pending[id], said)) delete pending[id];
        else waits = true;
      });
      tidyPinned();
      if (!putResults(said)) waits = true;
    });
    return waits;
  }

  function say(said) {
    if (said.length) status.textContent = said.join(" ");
  }

  function apply(html) {
    var update = new DOMParser().parseFromString(html, "text/html").querySelector("[data-update]");
    if (!update) return false;
    var strip = update.querySelector("[data-strip] .strip");
    var current = document.querySelector(".strip");
    if (strip && current) current.replaceWith(imported(strip));
    since = update.getAttribute("data-next") || since;
    freshResults = update.querySelector("[data-results]") || freshResults;

    var before = Object.keys(waiting).length;
    var removed = Array.prototype.map.call(update.querySelectorAll("[data-removed] [data-post]"), idOf);
    removed.forEach(function (id) {
      delete waiting[id];
      delete pending[id];
    });
    articles(update.querySelector("[data-posts]")).forEach(function (fresh) {
      if (article(fresh.getAttribute("data-post"))) pending[idOf(fresh)] = fresh;
      else waiting[idOf(fresh)] = fresh;
    });
    articles(update.querySelector("[data-changed]")).forEach(function (fresh) {
      if (waiting[idOf(fresh)]) waiting[idOf(fresh)] = fresh;
      else pending[idOf(fresh)] = fresh;
    });

    var said = [];
    var count = 0;
    steadily(function () {
      removed.forEach(function (id) { remove(id, said); });
      count = offer(); // the prompt appearing above the reader moves nothing either
    });
    settle(said);
    if (count > before) said.unshift(count === 1 ? "1 new post." : count + " new posts.");
    say(said);
    return update.hasAttribute("data-more");
  }

  // What waited for the reader is looked at again soon, whatever the next answer says
  // (it may be "304: nothing new").
  var retrying = false;
  function retry() {
    if (retrying) return;
    retrying = true;
    window.setTimeout(function () {
      retrying = false;
      var said = [];
      if (settle(said)) retry();
      say(said);
    }, WAIT_MS);
  }

  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    var more = false;
    fetch(url + "?since=" + encodeURIComponent(since), { headers: headers, credentials: "omit" })
      .then(function (response) {
        if (response.status !== 200) return null;
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) { if (html) more = apply(html); })
      .catch(function () { /* offline or busy: try again later */ })
      .then(function () {
        if (Object.keys(pending).length || freshResults) retry();
        window.setTimeout(poll, more ? 100 : intervalMs);
      });
  }

  button.addEventListener("click", function () {
    var posts = Object.keys(waiting).map(function (id) { return imported(waiting[id]); });
    waiting = {};
    posts.sort(function (a, b) { return later(a, b) ? -1 : 1; });
    var first = null;
    posts.forEach(function (post) {
      var shown = post.hasAttribute("data-pinned") ? place(post, pinnedBox(true)) : place(post, stream);
      if (shown && !first) first = post;
    });
    tidyPinned();
    offer();
    status.textContent = "";
    if (first) {
      // The reader asked for the new posts: take them, and keyboard focus, to the first.
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  });

  var custom = parseInt(live.getAttribute("data-poll-seconds"), 10);
  if (custom > 0) intervalMs = custom * 1000;
  window.setTimeout(poll, intervalMs);
})();
