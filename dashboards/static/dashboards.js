/* Draws every chart of a dashboard page with plotly.js (served by the app).

   Each chart is a <div data-chart="ID"> with its figure in <script type="application/json"
   id="ID">. Points whose customdata ends in a URL (the heatmap's cells) open it on click;
   the same links are in the table under the chart for keyboard and screen-reader users. */
(function () {
  "use strict";
  var CONFIG = { displayModeBar: false, responsive: true, locale: "sv" };

  function linkOf(point) {
    var data = point && point.customdata;
    if (Array.isArray(data)) data = data[data.length - 1];
    // Texts in the figure are HTML-escaped for plotly (dashboards/charts.py): undo "&".
    return typeof data === "string" && data.charAt(0) === "/" ? data.replace(/&amp;/g, "&") : null;
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data || [], figure.layout || {}, CONFIG).then(function () {
      element.on("plotly_click", function (event) {
        var link = event && event.points && linkOf(event.points[0]);
        if (link) window.location.assign(link);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
