// NKI trend charts, drawn from the JSON data island the page renders (no inline script: CSP).
// Each chart has the same figures in the table beside it; the canvas only adds a picture.
(function () {
  "use strict";
  var island = document.getElementById("nki-chart-data");
  if (!island || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(island.textContent);
  // Distinguishable without colour too: each line has its own dash pattern and point shape.
  var styles = [
    { color: "#003a70", dash: [], point: "circle", width: 3 },
    { color: "#8a4b00", dash: [6, 4], point: "rect", width: 2 },
    { color: "#4d4d4d", dash: [2, 3], point: "triangle", width: 2 },
    { color: "#0a5c36", dash: [10, 3, 2, 3], point: "rectRot", width: 2 }
  ];
  data.charts.forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) {
      return;
    }
    var labels = chart.years.map(function (year) {
      return chart.breaks.indexOf(year) >= 0 ? year + " ⟂" : String(year);
    });
    var datasets = chart.series.map(function (series, index) {
      var style = styles[index % styles.length];
      return {
        label: series.label,
        data: series.data,
        borderColor: style.color,
        backgroundColor: style.color,
        borderDash: style.dash,
        borderWidth: style.width,
        pointStyle: style.point,
        pointRadius: series.main ? 4 : 3,
        spanGaps: false,
        segment: {
          // A method break: the line into that year is drawn faint, as the values are not comparable.
          borderColor: function (ctx) {
            return chart.breaks.indexOf(chart.years[ctx.p1DataIndex]) >= 0 ? "rgba(0,0,0,0.15)" : undefined;
          }
        }
      };
    });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { suggestedMin: 50, suggestedMax: 90, title: { display: true, text: "NKI" } } },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true } },
          subtitle: {
            display: chart.breaks.length > 0,
            text: "⟂ " + data.breakLabel,
            position: "bottom"
          }
        }
      }
    });
  });
})();
