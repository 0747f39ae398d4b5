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

// Storefront filters: on a wide screen the filter drawer is simply open beside the products; on a
// phone it waits behind "Filters (n)" and opens over the page. An htmx swap of the results keeps
// whether it was open, and "Show N products" closes it.
(function () {
  var wide = window.matchMedia("(min-width: 48rem)");
  var wasOpen = null;
  function setUp() {
    var drawer = document.getElementById("filter-drawer");
    if (drawer) { drawer.open = wide.matches || wasOpen === true; }
  }
  function closeDrawer() {
    var drawer = document.getElementById("filter-drawer");
    if (!drawer || wide.matches || !drawer.open) { return; }
    drawer.open = false;
    var products = document.getElementById("products");
    if (products) { products.focus(); }
  }
  document.addEventListener("DOMContentLoaded", setUp);
  wide.addEventListener("change", setUp);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { closeDrawer(); } });
  // A swap replaces (or, with hx-preserve, moves) the focused field, which blurs it: give the
  // focus back to the field of the same id, with its caret, so the keyboard stays where it was.
  var typing = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var drawer = document.getElementById("filter-drawer");
    wasOpen = drawer ? drawer.open && !wide.matches : null;
    var active = document.activeElement;
    typing = active && active.id && active !== document.body
      ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null;
  });
  function refocus() {
    var field = typing && document.getElementById(typing.id);
    if (field && document.activeElement !== field) {
      field.focus();
      try { field.setSelectionRange(typing.start, typing.end); } catch (e) { /* not a text field */ }
    }
  }
  document.addEventListener("htmx:afterSwap", refocus);
  document.addEventListener("htmx:afterSettle", function () { setUp(); refocus(); wasOpen = null; typing = null; });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-close-drawer]")) { closeDrawer(); }
  });

  // The price range applies when the keyboard leaves it (or on Enter), not on each field's
  // change: typing "20", Tab, "100" sends one request with both, never one that re-renders the
  // form under the second field.
  function priceValues(block) {
    return Array.prototype.map.call(block.querySelectorAll("input"), function (i) { return i.value; }).join("|");
  }
  function markApplied() {
    var block = document.getElementById("price-range");
    if (block) { block.setAttribute("data-applied", priceValues(block)); }
  }
  document.addEventListener("DOMContentLoaded", markApplied);
  document.addEventListener("htmx:afterSettle", markApplied);
  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest("#price-range")) { event.stopPropagation(); }
  }, true);
  document.addEventListener("focusout", function (event) {
    var block = event.target.closest && event.target.closest("#price-range");
    if (!block || (event.relatedTarget && block.contains(event.relatedTarget))) { return; }
    if (priceValues(block) === block.getAttribute("data-applied")) { return; }
    var form = block.closest("form");
    if (form && window.htmx) { window.htmx.trigger(form, "change"); }
  });
})();

// Storefront header menu: open beside the brand on a wide screen, behind "Menu" on a phone.
// Dropdowns are <details>: Enter/Space toggle them; Escape closes the open one (focus back on it),
// opening one closes the others, and a click elsewhere closes them.
(function () {
  var wide = window.matchMedia("(min-width: 48rem)");
  function setUp() {
    var drawer = document.getElementById("menu-drawer");
    if (drawer) { drawer.open = wide.matches; }
  }
  function closeDropdowns(except) {
    document.querySelectorAll(".menu-dropdown[open]").forEach(function (d) { if (d !== except) { d.open = false; } });
  }
  document.addEventListener("DOMContentLoaded", setUp);
  wide.addEventListener("change", setUp);
  document.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("menu-dropdown") && event.target.open) {
      closeDropdowns(event.target);
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = event.target.closest && event.target.closest(".menu-dropdown[open]");
    if (open) { open.open = false; open.querySelector("summary").focus(); return; }
    var drawer = document.getElementById("menu-drawer");
    if (drawer && drawer.open && !wide.matches && drawer.contains(event.target)) {
      drawer.open = false; drawer.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest(".menu-dropdown"))) { closeDropdowns(null); }
  });
})();

// Search-as-you-type: htmx fills #shop-suggestions (never the input) 250 ms after typing stops.
// The input is an ARIA combobox: arrows move through the options (aria-activedescendant), Enter
// opens the chosen one, Escape closes the list; without a chosen option Enter submits the search.
(function () {
  function parts() {
    var input = document.getElementById("shop-q");
    var list = document.getElementById("shop-suggestions");
    return input && list ? { input: input, list: list } : null;
  }
  function options(list) { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
  function setActive(p, index) {
    var all = options(p.list);
    all.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (index >= 0 && all[index]) { p.input.setAttribute("aria-activedescendant", all[index].id); }
    else { p.input.removeAttribute("aria-activedescendant"); }
  }
  function show(p, open) {
    open = open && options(p.list).length > 0;
    p.list.hidden = !open;
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { setActive(p, -1); }
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var p = parts();
    if (!p || event.target !== p.list) { return; }
    setActive(p, -1);
    show(p, document.activeElement === p.input && p.input.value.trim() !== "");
  });
  document.addEventListener("keydown", function (event) {
    var p = parts();
    if (!p || event.target !== p.input) { return; }
    var all = options(p.list);
    var current = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) { return; }
      event.preventDefault();
      show(p, true);
      var next = event.key === "ArrowDown" ? current + 1 : current - 1;
      if (next >= all.length) { next = 0; }
      if (next < -1) { next = all.length - 1; }
      setActive(p, next);
    } else if (event.key === "Escape" && !p.list.hidden) {
      event.preventDefault();
      show(p, false);
    } else if (event.key === "Enter" && current >= 0 && !p.list.hidden) {
      event.preventDefault();
      window.location.assign(all[current].href);
    }
  });
  document.addEventListener("input", function (event) {
    var p = parts();
    if (p && event.target === p.input && p.input.value.trim() === "") { show(p, false); }
  });
  document.addEventListener("focusout", function (event) {
    var p = parts();
    if (!p || event.target !== p.input) { return; }
    if (event.relatedTarget && p.list.contains(event.relatedTarget)) { return; }
    show(p, false);
  });
})();
