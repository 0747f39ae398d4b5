// Submit an AutocompleteFilter's form when a value is chosen or cleared (apps/core/admin_filters.py).
// select2 fires jQuery events only, so this listens through django.jQuery once it is there.
"use strict";
window.addEventListener("load", function () {
  if (!window.django || !window.django.jQuery) {
    return;
  }
  window.django.jQuery("select[data-autocomplete-filter]").on("change", function () {
    this.form.submit();
  });
});
