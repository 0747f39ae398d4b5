// Checkout: a live countdown for the stock hold (the page says the end time without JavaScript).
document.addEventListener("DOMContentLoaded", function () {
  var clock = document.querySelector("[data-hold-countdown]");
  if (!clock) { return; }
  var end = Date.parse(clock.getAttribute("datetime"));
  var out = document.createElement("span");
  out.setAttribute("aria-hidden", "true");
  clock.parentNode.appendChild(out);
  var tick = function () {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    out.textContent = left > 0 ? " (" + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + " left)" : " (expired: items may sell out)";
    if (left > 0) { window.setTimeout(tick, 1000); }
  };
  tick();
});
