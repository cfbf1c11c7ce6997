// Live progress of an import (dry run or write): polls voortgang.json and moves the bar.
// Screen readers hear the state when it changes and every quarter, not every poll. When the
// job is finished the page reloads to show the result. Without JS a <meta refresh> does it.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("import-progress-box");
  if (!box) { return; }
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  var announce = document.getElementById("import-progress-announce");
  var stateText = document.getElementById("import-state");
  var busy = ["controle_bezig", "ingepland", "bezig"];
  var state = box.dataset.state;
  var quarter = -1;
  function number(n) { return Number(n).toLocaleString("nl-NL"); }
  function describe(p) {
    if (!p.total) { return "Het bestand wordt gelezen…"; }
    return number(p.done) + " van " + number(p.total) + (p.total === 1 ? " regel" : " regels");
  }
  function poll() {
    fetch(box.dataset.progressUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (p) {
        if (busy.indexOf(p.state) === -1) { window.location.reload(); return; }
        if (p.total) { bar.max = p.total; bar.value = p.done; }
        bar.textContent = p.percent + "%";
        text.textContent = describe(p);
        var nowQuarter = Math.floor(p.percent / 25);
        if (p.state !== state) {
          if (stateText) { stateText.textContent = p.state_label; }
          announce.textContent = p.state_label + ": " + describe(p);
        } else if (nowQuarter !== quarter && quarter !== -1) {
          announce.textContent = describe(p);
        }
        state = p.state;
        quarter = nowQuarter;
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
});
