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

// Creating a shop: the web address follows the name until the person edits it, and the preview
// shows the URL; the time zone starts at the browser's own if the field still has its default.
document.addEventListener("DOMContentLoaded", function () {
  var slug = document.querySelector("[data-slug-from]");
  var preview = document.querySelector("[data-slug-value]");
  if (slug) {
    var name = document.getElementById(slug.getAttribute("data-slug-from"));
    var edited = slug.value !== "";
    var slugify = function (text) {
      return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50).replace(/-+$/, "");
    };
    var show = function () { if (preview) { preview.textContent = slug.value || "…"; } };
    if (name) {
      name.addEventListener("input", function () { if (!edited) { slug.value = slugify(name.value); show(); } });
    }
    slug.addEventListener("input", function () { edited = slug.value !== ""; show(); });
  }
  var zone = document.querySelector("[data-browser-time-zone]");
  if (zone && zone.value === "UTC" && window.Intl) {
    var browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (browserZone) { zone.value = browserZone; }
  }
});
