// Small behaviours without inline scripts (the content-security policy forbids them).
document.addEventListener("change", function (event) {
  if (event.target.classList.contains("lang-switch")) event.target.form.submit();
});
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
