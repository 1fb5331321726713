/* Results that follow the night without a reload, on the home, region and seat pages.
   The page asks for itself again every so often (a cached page: 304 when nothing has
   changed, so the browser keeps its copy) and puts in place each part marked data-live
   that changed, except one the
   reader is working in (it waits for the next look). Changes are announced politely.
   Without this script the page is complete as it is: reload to see what is new. */
(function () {
  "use strict";
  var root = document.querySelector("[data-refresh-seconds]");
  if (!root || !document.querySelector("[data-live]") || !window.fetch || !window.DOMParser) return;

  var intervalMs = (parseInt(root.getAttribute("data-refresh-seconds"), 10) || 30) * 1000;
  var etag = null;  // of the page last applied
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  root.appendChild(status);

  function apply(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var changed = false;
    var waiting = false;
    document.querySelectorAll("[data-live]").forEach(function (part) {
      var next = fresh.querySelector('[data-live="' + part.getAttribute("data-live") + '"]');
      if (!next || next.innerHTML === part.innerHTML) return;
      if (part.contains(document.activeElement) && document.activeElement !== document.body) {
        waiting = true;
        return;
      }
      part.replaceWith(document.importNode(next, true));
      changed = true;
    });
    if (waiting) etag = null;  // ask for the whole page again next time
    if (changed) {
      var says = fresh.querySelector("[data-live-says]");
      status.textContent = "Updated" + (says ? ": " + says.textContent.trim() : "");
    }
  }

  function poll() {
    // "no-cache": the browser asks again with the ETag of its copy; unchanged, it keeps
    // the copy (304), whose ETag is the one already applied.
    fetch(window.location.href, { credentials: "omit", cache: "no-cache" })
      .then(function (response) {
        var tag = response.headers.get("ETag");
        if (response.status !== 200 || (tag && tag === etag)) return null;
        etag = tag;
        return response.text();
      })
      .then(function (html) { if (html) apply(html); })
      .catch(function () { /* offline or busy: try again later */ })
      .then(function () { window.setTimeout(poll, intervalMs); });
  }

  window.setTimeout(poll, intervalMs);
})();
