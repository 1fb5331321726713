/* The admin's autocomplete boxes (select2) draw a search field with no label: name it
   after the field it searches, for screen readers (WCAG 1.3.1, 4.1.2). */
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (field) {
      var container = field.closest(".select2");
      var select = container && container.previousElementSibling;
      var named = select && select.id && document.querySelector("label[for='" + select.id + "']");
      field.setAttribute("aria-label", "Search " + (named ? named.textContent.replace(/:$/, "") : "choices"));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    label(document);
    new MutationObserver(function () { label(document); }).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
