// Live progress of a newsletter: polls the JSON endpoint until everything is done.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var text = document.getElementById("progress-text");
  var status = document.getElementById("newsletter-status");
  var labels = {concept: "Concept", gepland: "Gepland", bezig: "Wordt verstuurd", verstuurd: "Verstuurd"};
  function poll() {
    fetch(box.dataset.progressUrl, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (p) {
        bar.value = p.percent;
        bar.textContent = p.percent + "%";
        text.textContent = p.percent + "% klaar: " + p.sent + " verstuurd, " + p.failed +
          " mislukt, " + p.skipped + " overgeslagen, " + p.pending + " wachten nog.";
        if (status && labels[p.status]) { status.textContent = labels[p.status]; }
        if (p.status !== "verstuurd") { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
});
