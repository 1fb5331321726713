/* Live updates for a county page: poll for new posts and offer them, never push them in.
   Without this script the page works as before (reload to see new posts). */
(function () {
  "use strict";
  var live = document.querySelector("[data-updates-url]");
  if (!live || !window.fetch || !window.DOMParser) return;

  var url = live.getAttribute("data-updates-url");
  var since = live.getAttribute("data-since");
  var stream = live.querySelector("[data-stream]");
  var intervalMs = 15000;
  var etag = null;
  var waiting = null;

  var button = document.createElement("button");
  button.type = "button";
  button.className = "new-posts";
  button.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  stream.parentNode.insertBefore(button, stream);
  stream.parentNode.insertBefore(status, stream);

  function say(count) {
    var text = count === 1 ? "1 new post" : count + " new posts";
    button.textContent = "Show " + text;
    status.textContent = text;
    button.hidden = false;
  }

  function apply(html) {
    var update = new DOMParser().parseFromString(html, "text/html").querySelector("[data-update]");
    if (!update) return;
    var strip = update.querySelector("[data-strip] .strip");
    var current = document.querySelector(".strip");
    if (strip && current) current.replaceWith(strip);
    var count = parseInt(update.getAttribute("data-count"), 10) || 0;
    if (count > 0) {
      waiting = { posts: update.querySelector("[data-posts]"), newest: update.getAttribute("data-newest") };
      say(count);
    }
  }

  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url + "?since=" + encodeURIComponent(since || ""), { headers: headers, credentials: "omit" })
      .then(function (response) {
        if (response.status !== 200) return null;
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) { if (html) apply(html); })
      .catch(function () { /* offline or busy: try again later */ })
      .then(function () { window.setTimeout(poll, intervalMs); });
  }

  button.addEventListener("click", function () {
    if (!waiting) return;
    var first = waiting.posts.firstElementChild;
    while (waiting.posts.lastElementChild) {
      stream.insertBefore(waiting.posts.lastElementChild, stream.firstChild);
    }
    since = waiting.newest;
    etag = null;
    waiting = null;
    button.hidden = true;
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
