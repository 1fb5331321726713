/* The post form's blocks, made for writing on the night:
   - each block shows only the fields of its kind (a paragraph or a list: its text; an
     image: the file, alt text, caption and credit; a result card: the card);
   - blocks move up and down with buttons, and a block added the usual way goes last:
     the hidden positions are kept in the order on screen (liveblog.admin.BlockFormSet);
   - Bold, Italic and Link buttons (and Ctrl+B, Ctrl+I, Ctrl+K) format the selected
     words, so nobody types a tag;
   - the Publish button says "Schedule for 03:00" when a later time is given.
   Without this script every field shows and the blocks keep their order. */
(function () {
  "use strict";

  var FIELDS = {
    paragraph: ["text"],
    list: ["text"],
    image: ["image", "alt", "caption", "credit"],
    result: ["card_summary"],
  };
  var ALL = ["text", "image", "alt", "caption", "credit", "card_summary"];
  var KIND_NAMES = { paragraph: "Paragraph", list: "Bulleted list", image: "Image", result: "Result card" };
  var group, status;

  function ready(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  function blocks() {
    return Array.prototype.filter.call(group.querySelectorAll(".inline-related"), function (block) {
      return !block.classList.contains("empty-form");
    });
  }

  function kindOf(block) {
    var select = block.querySelector("[data-kind]");
    return select && select.value ? select.value : "paragraph";
  }

  function say(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function showFields(block) {
    var wanted = FIELDS[kindOf(block)] || ALL;
    ALL.forEach(function (name) {
      var row = block.querySelector(".form-row.field-" + name);
      if (row) row.classList.toggle("kind-hidden", wanted.indexOf(name) < 0);
    });
  }

  function renumber() {
    var all = blocks();
    all.forEach(function (block, index) {
      var position = block.querySelector("[data-position]");
      if (position) position.value = index;
      var label = block.querySelector(".inline_label");
      if (label) label.textContent = index + 1 + ". " + (KIND_NAMES[kindOf(block)] || "");
      var up = block.querySelector('[data-move="up"]');
      var down = block.querySelector('[data-move="down"]');
      if (up) {
        up.disabled = index === 0;
        up.setAttribute("aria-label", "Move up: block " + (index + 1));
      }
      if (down) {
        down.disabled = index === all.length - 1;
        down.setAttribute("aria-label", "Move down: block " + (index + 1));
      }
    });
  }

  function move(block, direction) {
    var all = blocks();
    var index = all.indexOf(block);
    var other = all[index + (direction === "up" ? -1 : 1)];
    if (!other) return;
    if (direction === "up") other.parentNode.insertBefore(block, other);
    else other.parentNode.insertBefore(block, other.nextSibling);
    renumber();
    var button = block.querySelector('[data-move="' + direction + '"]');
    if (button && !button.disabled) button.focus();
    else block.querySelector("[data-move]:not([disabled])").focus();
    say("Moved " + direction + ": now block " + (blocks().indexOf(block) + 1) + " of " + blocks().length + ".");
  }

  // Django's inlines.js renumbers the forms in the order on screen when an added block
  // is removed; the server wants the saved blocks first, as they were sent.
  function reindex() {
    var prefix = "blocks";
    var all = blocks();
    var saved = all.filter(function (block) {
      var id = block.querySelector('input[name$="-id"]');
      return id && id.value;
    });
    saved.sort(function (a, b) { return a.getAttribute("data-index") - b.getAttribute("data-index"); });
    var added = all.filter(function (block) { return saved.indexOf(block) < 0; });
    var pattern = new RegExp("(" + prefix + "-(\\d+|__prefix__))(?=-|$)", "g");
    saved.concat(added).forEach(function (block, index) {
      var replacement = prefix + "-" + index;
      [block].concat(Array.prototype.slice.call(block.querySelectorAll("*"))).forEach(function (element) {
        ["id", "name", "for"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(pattern, replacement));
        });
      });
      block.setAttribute("data-index", index);
    });
  }

  function wrap(textarea, before, after) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var value = textarea.value;
    var chosen = value.slice(start, end);
    textarea.value = value.slice(0, start) + before + chosen + after + value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start + before.length, start + before.length + chosen.length);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function link(textarea) {
    var address = window.prompt("Link to which address? (starting https://)", "https://");
    if (!address || address === "https://") return;
    if (!/^(https?:|mailto:)/i.test(address)) address = "https://" + address;
    wrap(textarea, '<a href="' + address.replace(/"/g, "%22") + '">', "</a>");
  }

  function addToolbar(textarea) {
    if (textarea.getAttribute("data-toolbar")) return;
    textarea.setAttribute("data-toolbar", "yes");
    var bar = document.createElement("div");
    bar.className = "format-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatting");
    bar.setAttribute("aria-controls", textarea.id);
    [
      ["Bold", "<strong>", "</strong>"],
      ["Italic", "<em>", "</em>"],
      ["Link", null, null],
    ].forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = tool[0];
      button.className = "format-toolbar__" + tool[0].toLowerCase();
      button.addEventListener("click", function () {
        if (tool[1]) wrap(textarea, tool[1], tool[2]);
        else link(textarea);
      });
      bar.appendChild(button);
    });
    textarea.parentNode.insertBefore(bar, textarea);
    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey)) return;
      var key = event.key.toLowerCase();
      if (key === "b") wrap(textarea, "<strong>", "</strong>");
      else if (key === "i") wrap(textarea, "<em>", "</em>");
      else if (key === "k") link(textarea);
      else return;
      event.preventDefault();
    });
  }

  function prepare(block) {
    if (block.getAttribute("data-prepared")) return;
    block.setAttribute("data-prepared", "yes");
    var heading = block.querySelector("h3");
    var moves = document.createElement("span");
    moves.className = "block-moves";
    ["up", "down"].forEach(function (direction) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "block-moves__" + direction;
      button.setAttribute("data-move", direction);
      button.textContent = direction === "up" ? "Move up" : "Move down";
      button.addEventListener("click", function () { move(block, direction); });
      moves.appendChild(button);
    });
    if (heading) heading.appendChild(moves);
    var kind = block.querySelector("[data-kind]");
    if (kind) {
      kind.addEventListener("change", function () {
        showFields(block);
        renumber();
      });
    }
    var text = block.querySelector("textarea[data-formatting]");
    if (text) addToolbar(text);
    showFields(block);
  }

  function publishLabel() {
    var button = document.querySelector("[data-publish]");
    var day = document.getElementById("id_publish_at_0");
    var time = document.getElementById("id_publish_at_1");
    if (!button || !day || !time || day.disabled) return;
    var update = function () {
      var d = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(day.value.trim());
      var t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.value.trim());
      var label = "Publish";
      if (d && t) {
        var when = new Date(+d[3], +d[2] - 1, +d[1], +t[1], +t[2], +(t[3] || 0));
        if (when.getTime() > Date.now()) label = "Schedule for " + t[1].padStart(2, "0") + ":" + t[2];
      }
      button.value = label;
    };
    day.addEventListener("input", update);
    time.addEventListener("input", update);
    day.addEventListener("change", update);
    time.addEventListener("change", update);
    update();
  }

  // The seats' autocomplete (select2) puts its "clear" button straight in a list, which
  // is no list item (WCAG 1.3.1): give it one.
  function tidySeatChoices() {
    document.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(
      function (clear) {
        var item = document.createElement("li");
        item.className = "select2-clear-item";
        clear.parentNode.insertBefore(item, clear);
        item.appendChild(clear);
      }
    );
  }

  ready(function () {
    tidySeatChoices();
    new MutationObserver(tidySeatChoices).observe(document.body, { childList: true, subtree: true });
    publishLabel();
    group = document.getElementById("blocks-group");
    if (!group) return;
    status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    group.appendChild(status);
    blocks().forEach(function (block, index) {
      block.setAttribute("data-index", index);
      prepare(block);
    });
    renumber();
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName !== "blocks") return;
      var block = event.target.closest ? event.target.closest(".inline-related") : event.target;
      var existing = blocks();
      block.setAttribute("data-index", existing.indexOf(block));
      block.removeAttribute("data-prepared");
      var copied = block.querySelector(".block-moves");
      if (copied) copied.remove();
      var bar = block.querySelector(".format-toolbar");
      if (bar) bar.remove();
      var text = block.querySelector("textarea[data-formatting]");
      if (text) text.removeAttribute("data-toolbar");
      prepare(block);
      renumber();
      var first = block.querySelector("[data-kind]");
      if (first) first.focus();
    });
    document.addEventListener("formset:removed", function (event) {
      if (event.detail && event.detail.formsetName !== "blocks") return;
      window.setTimeout(function () {
        reindex();
        renumber();
      }, 0);
    });
  });
})();
