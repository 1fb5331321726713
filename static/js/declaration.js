/* The results desk's declaration page: as the votes are typed, the winner, majority,
   shares, turnout and verdict are worked out and shown before saving, by the same rules
   as results.services (shares and turnout rounded half up to two places; GAIN or HOLD
   against the 2019 notional winner). Checking works them out again on the server, which
   is what counts, and shows them for confirmation before anything is published: Enter
   in a box only checks. Without this script the page works the same. */
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  // Half up, to two places, in whole numbers only: `part` of `whole` in per cent.
  function percentage(part, whole) {
    if (!whole) return null;
    var hundredths = Math.floor((2 * part * 10000 + whole) / (2 * whole));
    return (hundredths / 100).toFixed(2);
  }

  function grouped(number) {
    return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  ready(function () {
    var output = document.getElementById("declaration-computed");
    if (!output) return;
    var parties = JSON.parse(output.getAttribute("data-parties") || "{}");
    var notional = output.getAttribute("data-notional");
    var electorate = document.querySelector("[data-electorate]");
    var form = output.closest("form");

    function rows() {
      return Array.prototype.filter.call(
        form.querySelectorAll("tr.form-row"),
        function (row) {
          var deleted = row.querySelector('input[name$="-DELETE"]');
          return !row.classList.contains("empty-form") && !(deleted && deleted.checked);
        }
      );
    }

    function update() {
      var candidates = rows().map(function (row) {
        var votes = row.querySelector("[data-votes]");
        var party = row.querySelector("[data-party]");
        var name = row.querySelector('input[name$="-name"]');
        return {
          row: row,
          typed: Boolean(votes && votes.value.trim()),
          votes: votes && /^\d+$/.test(votes.value.trim()) ? parseInt(votes.value, 10) : 0,
          party: party ? party.value : "",
          name: name ? name.value : "",
        };
      });
      var total = candidates.reduce(function (sum, c) { return sum + c.votes; }, 0);
      candidates.forEach(function (c) {
        var share = c.row.querySelector("[data-share]");
        if (share) share.textContent = total ? percentage(c.votes, total) + "%" : "";
      });
      if (!total) {
        output.textContent = "Type each candidate's votes: the winner, majority, shares and verdict follow.";
        return;
      }
      var ranked = candidates.slice().sort(function (a, b) { return b.votes - a.votes; });
      var winner = ranked[0];
      var runnerUp = ranked[1] ? ranked[1].votes : 0;
      if (ranked[1] && ranked[1].votes === winner.votes) {
        output.textContent = "Two candidates tie for first place on " + grouped(winner.votes) + " votes.";
        return;
      }
      var party = parties[winner.party] || ["?", "no party chosen"];
      var verdict;
      if (!notional) verdict = "choose the verdict below (no 2019 notional result)";
      else if (winner.party === notional) verdict = party[0] + " HOLD";
      else verdict = party[0] + " GAIN FROM " + (parties[notional] || ["?"])[0];
      var parts = [
        "Winner " + (winner.name || "?") + " (" + party[1] + ")",
        "majority " + grouped(winner.votes - runnerUp),
        verdict,
        grouped(total) + " votes",
      ];
      var voters = electorate && /^\d+$/.test(electorate.value.trim()) ? parseInt(electorate.value, 10) : 0;
      if (voters) {
        parts.push(total > voters ? "more votes than the electorate!" : "turnout " + percentage(total, voters) + "%");
      }
      // A box left empty is not a 0: the check refuses it, so say so before it does.
      var untyped = candidates.filter(function (c) { return !c.typed; }).length;
      if (untyped) {
        parts.push(untyped + (untyped === 1 ? " candidate's" : " candidates'") + " votes still to type");
      }
      output.textContent = parts.join(" · ");
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
})();
