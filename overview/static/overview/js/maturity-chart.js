// Stacked bar charts of members per maturity level and quarter. Data from a json_script element;
// the same numbers are in the tables beside the charts (the charts are decoration for sighted users).
(function () {
  "use strict";
  var source = document.getElementById("maturity-chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // The one palette (static/css/portal.css, members/palette.py): NEUTRAL, AKTIV, PROAKTIV, not
  // assessed, as on the badges and the map; the table beside the chart carries the numbers.
  var root = window.getComputedStyle(document.documentElement);
  var colours = ["--pal-3", "--pal-4", "--pal-5", "--pal-none"].map(function (name) {
    return root.getPropertyValue(name).trim();
  });
  document.querySelectorAll("canvas.maturity-chart").forEach(function (canvas) {
    var track = data.tracks[Number(canvas.dataset.trackIndex)];
    if (!track) {
      return;
    }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: track.datasets.map(function (set, i) {
          return { label: set.label, data: set.data, backgroundColor: colours[i % colours.length] };
        })
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  });
})();
