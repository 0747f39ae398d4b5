// Bazaar's small page script. Pages work without it; it only adds conveniences.
// Send the CSRF token with htmx requests (the token is on <body data-csrf-token>).
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.body.getAttribute("data-csrf-token");
  if (token) { event.detail.headers["X-CSRFToken"] = token; }
});

// After a form comes back with errors, take the keyboard (and a phone's viewport) to the first
// problem instead of leaving it off-screen below the fold.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.querySelector(
    ".field-invalid input:not([type=hidden]), .field-invalid select, .field-invalid textarea"
  );
  var target = field || document.querySelector(".form-errors");
  if (!target) { return; }
  if (!field) { target.setAttribute("tabindex", "-1"); }
  target.focus();
  target.scrollIntoView({ block: "center" });
});
