/* Bazaar storefront analytics: cookieless, nothing stored in the browser.
 * Sends page_view (every page), product_view (pages marked data-analytics-product), search
 * (results marked data-analytics-query, also after htmx swaps), add_to_cart (submitting a form
 * marked data-analytics-add, with its quantity) and checkout_started (arriving on the page marked
 * data-analytics-checkout from another page) with navigator.sendBeacon as
 * text/plain JSON, so no CORS preflight. The server hashes the visitor; nothing identifies you here. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon || !window.JSON) { return; }
  var endpoint = script.getAttribute("data-endpoint");
  var key = script.getAttribute("data-key");
  if (!endpoint || !key) { return; }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // A page whose address holds a secret (the guest order link's signed token) names the path to
  // report instead, so the token never reaches analytics.
  var pathOverride = document.querySelector("[data-analytics-path]");
  var pageUrl = pathOverride ? location.origin + pathOverride.getAttribute("data-analytics-path") : location.href;

  function make(type, extra) {
    var event = { event_id: uuid(), type: type, occurred_at: new Date().toISOString(), url: pageUrl };
    if (document.referrer) { event.referrer = document.referrer; }
    for (var name in extra) { if (Object.prototype.hasOwnProperty.call(extra, name)) { event[name] = extra[name]; } }
    return event;
  }

  function send(events) {
    if (!events.length) { return; }
    var body = JSON.stringify({ key: key, sent_at: new Date().toISOString(), events: events });
    navigator.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }));
  }

  function fromSamePage() {
    // Saving a checkout step reloads the checkout: that is the same checkout, not a new one.
    try { return !!document.referrer && new URL(document.referrer).pathname === location.pathname; }
    catch (e) { return false; }
  }

  function searchEvents(root) {
    var events = [];
    var nodes = root.querySelectorAll ? root.querySelectorAll("[data-analytics-query]") : [];
    if (root.hasAttribute && root.hasAttribute("data-analytics-query")) { nodes = [root].concat([].slice.call(nodes)); }
    for (var i = 0; i < nodes.length; i++) {
      var query = (nodes[i].getAttribute("data-analytics-query") || "").trim();
      if (!query) { continue; }
      var count = parseInt(nodes[i].getAttribute("data-analytics-results"), 10);
      var extra = { query: query };
      if (!isNaN(count) && count >= 0) { extra.results_count = count; }
      events.push(make("search", extra));
    }
    return events;
  }

  var first = [make("page_view", {})];
  var product = document.querySelector("[data-analytics-product]");
  if (product && product.getAttribute("data-analytics-product")) {
    first.push(make("product_view", { product: product.getAttribute("data-analytics-product") }));
  }
  if (document.querySelector("[data-analytics-checkout]") && !fromSamePage()) {
    first.push(make("checkout_started", {}));
  }
  send(first.concat(searchEvents(document)));

  // Capture phase: runs before htmx handles (and cancels) the submit of an add-to-cart form.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var product = form && form.getAttribute ? form.getAttribute("data-analytics-add") : "";
    if (!product) { return; }
    var field = form.querySelector("[name=quantity]");
    var quantity = field ? parseInt(field.value, 10) : 1;
    var extra = { product: product };
    if (quantity >= 1 && quantity <= 10000) { extra.props = { quantity: quantity }; }
    send([make("add_to_cart", extra)]);
  }, true);

  document.addEventListener("htmx:afterSettle", function (evt) {
    var target = evt.detail && evt.detail.elt;
    if (target) { send(searchEvents(target)); }
  });
})();
