// Polls a job's status and reloads the page when it has finished, so the outcome is rendered server-side.
(function () {
  var box = document.getElementById("job");
  if (!box || box.dataset.finished) return;
  var bar = box.querySelector(".progress-bar");
  var message = box.querySelector("[data-testid=job-message]");
  var hint = box.querySelector("[data-testid=job-hint]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.style.width = job.progress + "%";
        bar.textContent = job.progress + "%";
        if (message) message.textContent = job.message || "";
        if (hint) {
          hint.textContent = job.hint || "";
          hint.classList.toggle("d-none", !job.hint);
        }
        if (job.finished) window.location.reload();
        else setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
