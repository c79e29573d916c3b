// Searchable pickers (Tom Select, vendored by scripts/vendor_static.sh) for the long lists of a form: workers,
// recipients, places and organisations. A select becomes searchable when it allows several choices or offers more
// than 15; what it offers is what the server put in it (already limited to the user's places and to the form).
(function () {
  if (typeof TomSelect === "undefined") return;
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  var text = zh ? { none: "没有匹配的选项", remove: "移除" } : { none: "No match", remove: "Remove" };
  document.querySelectorAll("form select").forEach(function (el) {
    if (el.classList.contains("lang-switch") || el.closest(".filter-form")) return;
    if (!el.multiple && el.options.length <= 15) return;
    // The select is hidden behind the picker: keep its accessible name (its label's text) on the element itself.
    var label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
    if (label && !el.getAttribute("aria-label")) el.setAttribute("aria-label", label.textContent.trim());
    new TomSelect(el, {
      plugins: el.multiple ? { remove_button: { title: text.remove } } : {},
      maxOptions: 1000,
      create: false,
      render: { no_results: function () { return '<div class="no-results">' + text.none + "</div>"; } },
    });
  });
})();
