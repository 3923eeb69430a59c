// The live situation page: entries, the board and the requests follow the server-sent event
// stream. Each event names an entry that is new or changed; its row is fetched rendered (in
// the reader's language and zones) and put in place. EventSource reconnects by itself and
// sends Last-Event-ID, so nothing is missed and nothing comes twice.
(function () {
  "use strict";
  function start() {
    const root = document.getElementById("situation");
    if (!root || !window.EventSource) { return; }
    const log = document.getElementById("log");
    const status = root.querySelector("[data-testid=live-status]");
    const toggle = root.querySelector("[data-toggle-layout]");
    if (toggle && log) {
      if (localStorage.getItem("kizuna-log-layout") === "side") { log.classList.add("side-by-side"); }
      toggle.addEventListener("click", function () {
        log.classList.toggle("side-by-side");
        localStorage.setItem("kizuna-log-layout", log.classList.contains("side-by-side") ? "side" : "own");
      });
    }
    function entryUrl(id) { return root.dataset.entryUrl.replace(/[a-z2-7]{26}\/$/, id + "/"); }
    // Events carry no revision a page could compare (event ids are opaque): each entry's
    // fetches run one after another, so the row last put in place is the newest.
    const pending = {};
    function place(payload) {
      pending[payload.id] = (pending[payload.id] || Promise.resolve()).then(function () {
        return fetch(entryUrl(payload.id), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) {
            if (!html || !log) { return; }
            const holder = document.createElement("div");
            holder.innerHTML = html.trim();
            const row = holder.firstElementChild;
            const existing = document.getElementById("entry-" + payload.id);
            if (existing) {
              existing.replaceWith(row);
            } else {
              row.classList.add("entry-new");
              log.prepend(row);
            }
          });
      });
      if (payload.request) {
        fetch(root.dataset.requests, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) { if (html) { document.getElementById("requests-panel").innerHTML = html; } });
      }
    }
    const source = new EventSource(root.dataset.events);
    source.addEventListener("open", function () { status.textContent = "●"; status.title = "live"; });
    source.addEventListener("error", function () { status.textContent = "○"; });
    source.addEventListener("entry", function (event) { place(JSON.parse(event.data)); });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
