// SBA Portal's own behaviour. Loaded as a file (no inline scripts) so the CSP forbids inline code.
(function () {
  "use strict";
  // Buttons with data-confirm ask before submitting their form (e.g. dispatching to kommuner).
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // htmx sends the CSRF token from the cookie-less meta/hidden input.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });
  // A table wider than the screen scrolls sideways in its .table-responsive box: keyboard users
  // reach that scroll with Tab (WCAG 2.1.1; axe "scrollable-region-focusable").
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("htmx:afterSwap", focusableScrollers);
})();
