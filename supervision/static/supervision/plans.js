// County plans: the print button of the printable plan (no inline scripts under the content-security policy).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
