// zfxxgk web: the header's notification count (unread messages and deadline reminders), on every page.
"use strict";
(function () {
  const link = document.getElementById("nav-notifications");
  if (!link) { return; }
  fetch("/notifications/count.json", { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      link.setAttribute("data-count", String(data.total));
      let badge = link.querySelector(".badge");
      if (data.total > 0) {
        if (!badge) { badge = document.createElement("span"); badge.className = "badge"; link.appendChild(badge); }
        badge.textContent = String(data.total);
      } else if (badge) {
        badge.remove();
      }
    })
    .catch(function () { /* the count is a convenience: the page works without it */ });
})();
