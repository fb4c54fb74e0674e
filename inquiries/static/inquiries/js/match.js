// The inquiry page's match table, in the page: filters, "select matching only" / "clear", the count
// of ticked kommuner and focus on the error summary. Without JavaScript the same buttons and filters
// are a GET form the server honours (?visa=, ?lan=, ?select=).
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  var table = document.querySelector(".match-table");
  var filters = document.querySelector(".match-filters");
  if (!table || !filters) {
    return;
  }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var show = filters.querySelector("[name=visa]");
  var lan = filters.querySelector("[name=lan]");
  var count = document.querySelector("[data-match-count]");

  function box(row) {
    return row.querySelector("input[name=kommuner]");
  }

  function updateCount() {
    if (!count) {
      return;
    }
    var n = rows.filter(function (row) {
      var b = box(row);
      return b && b.checked && !b.disabled;
    }).length;
    var text = n === 1 ? count.dataset.templateOne : count.dataset.templateMany.replace("{n}", n);
    count.querySelector("strong").textContent = text;
  }

  function visible(row) {
    var cls = row.dataset.class;
    if (show.value === "match" && cls !== "match") {
      return false;
    }
    if (show.value === "near" && cls !== "match" && cls !== "near_miss") {
      return false;
    }
    return !lan.value || row.dataset.lan === lan.value;
  }

  // A hidden row's box is disabled, so it is not sent: what is shown is what can be sent, as on
  // the server's filtered page.
  function applyFilter() {
    rows.forEach(function (row) {
      var on = visible(row);
      row.hidden = !on;
      var b = box(row);
      if (b) {
        b.disabled = !on;
      }
    });
    updateCount();
  }

  show.addEventListener("change", applyFilter);
  lan.addEventListener("change", applyFilter);
  filters.addEventListener("click", function (event) {
    var button = event.target.closest("[data-match-select]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var matchingOnly = button.dataset.matchSelect === "matching";
    rows.forEach(function (row) {
      var b = box(row);
      if (b && !b.disabled) {
        b.checked = matchingOnly && row.dataset.class === "match";
      }
    });
    updateCount();
  });
  table.addEventListener("change", function (event) {
    if (event.target.name === "kommuner") {
      updateCount();
    }
  });
  filters.addEventListener("submit", function (event) {
    // Filtering happens in the page; the submit button is for browsers without JavaScript.
    if (!event.submitter || !event.submitter.dataset.matchSelect) {
      event.preventDefault();
      applyFilter();
    }
  });
})();
