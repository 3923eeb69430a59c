// Keeps the header clock ticking in the reader's zones and in Zulu (its date-time group).
// The server renders the first value, so pages read right without script.
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
  const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
  function dtg(date) {
    return pad(date.getUTCDate()) + pad(date.getUTCHours()) + pad(date.getUTCMinutes()) + "Z" +
      MONTHS[date.getUTCMonth()] + String(date.getUTCFullYear()).slice(-2);
  }
  function tick() {
    const now = new Date();
    document.querySelectorAll(".clocks time.zones").forEach(function (clock) {
      clock.setAttribute("datetime", now.toISOString());
      clock.querySelectorAll(".zone").forEach(function (span) {
        span.querySelector(".zone-time").textContent = format(now, span.dataset.zone);
      });
      clock.querySelectorAll(".zone-zulu .dtg").forEach(function (span) { span.textContent = dtg(now); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    setInterval(tick, 15000);
  });
})();
