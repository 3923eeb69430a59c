// Keeps every live clock (the header's <time class="zones"> with data-live) ticking in the
// reader's zones. The server renders the first value, so pages read right without script.
(function () {
  "use strict";
  function pad(n) { return String(n).padStart(2, "0"); }
  function format(date, zone) {
    const parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + pad(parts.hour) + ":" + parts.minute;
  }
  function tick() {
    const now = new Date();
    document.querySelectorAll(".clocks time.zones").forEach(function (clock) {
      clock.setAttribute("datetime", now.toISOString());
      clock.querySelectorAll(".zone").forEach(function (span) {
        span.querySelector(".zone-time").textContent = format(now, span.dataset.zone);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    setInterval(tick, 15000);
  });
})();
