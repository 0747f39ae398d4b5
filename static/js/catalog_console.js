// Catalog console: drag product images into a new order. The arrows beside each image do the same
// without JavaScript; this only posts the whole order after a drop.
document.addEventListener("DOMContentLoaded", function () {
  var list = document.querySelector("[data-image-order]");
  if (!list) { return; }
  var status = document.getElementById("image-order-status");
  var dragged = null;
  var save = function () {
    var ids = Array.prototype.map.call(list.querySelectorAll("[data-image-id]"), function (item) {
      return item.getAttribute("data-image-id");
    });
    var body = new URLSearchParams({ order: ids.join(",") });
    fetch(list.getAttribute("data-image-order"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": document.body.getAttribute("data-csrf-token"), "X-Requested-With": "fetch" },
    }).then(function (response) {
      if (status) { status.textContent = response.ok ? "Image order saved." : "The order could not be saved; reload the page."; }
      list.setAttribute("data-saved", response.ok ? "yes" : "no");
    });
  };
  list.querySelectorAll("[data-image-id]").forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-image-id"));
    });
    item.addEventListener("dragend", function () { item.classList.remove("dragging"); dragged = null; });
    item.addEventListener("dragover", function (event) { event.preventDefault(); });
    item.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || dragged === item) { return; }
      var rect = item.getBoundingClientRect();
      var after = event.clientY > rect.top + rect.height / 2;
      list.insertBefore(dragged, after ? item.nextSibling : item);
      save();
    });
  });
});
