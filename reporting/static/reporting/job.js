/* Job page: poll the small status endpoint until the job is done or failed. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-bar");
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.style.width = job.progress + "%";
        bar.textContent = job.progress + " %";
        document.getElementById("job-status").textContent = job.status_label;
        document.getElementById("job-message").textContent = job.message || "";
        if (job.status === "failed") { bar.classList.add("bg-danger"); return; }
        if (job.status === "done") {
          bar.classList.add("bg-success");
          if (job.download) {
            var link = document.getElementById("job-download");
            link.href = job.download;
            link.classList.remove("d-none");
          }
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
