// Bazaar's small page script. Pages work without it; it only adds conveniences.
// Send the CSRF token with htmx requests (the token is on <body data-csrf-token>).
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.body.getAttribute("data-csrf-token");
  if (token) { event.detail.headers["X-CSRFToken"] = token; }
});
