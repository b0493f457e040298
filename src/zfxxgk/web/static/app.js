// zfxxgk web: shared helpers for the pages' small scripts (no inline scripts: the CSP forbids them).
"use strict";
window.zfxxgk = {
  csrf: function () { return document.body.getAttribute("data-csrf") || ""; },
  lang: function () { return document.body.getAttribute("data-lang") || "zh"; },
  // A JSON request to the application's own API with the session's CSRF token.
  api: async function (method, url, body) {
    const init = { method: method, headers: { "X-CSRF-Token": this.csrf(), "Accept": "application/json" },
                   credentials: "same-origin" };
    if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    const response = await fetch(url, init);
    const data = (response.headers.get("content-type") || "").indexOf("json") >= 0 ? await response.json() : null;
    if (!response.ok) { throw new Error((data && data.detail) || response.statusText); }
    return data;
  },
};
