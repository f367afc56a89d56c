/* Paper Digest freshness notice.
 * The home page carries the newest issue's date and the number of days after which the
 * digest counts as stale (digest.yml: stale_after_days). The age is computed here, in the
 * visitor's browser, at the moment the page is read, so the built site stays reproducible.
 */
(function () {
  "use strict";
  var DAY_MS = 24 * 60 * 60 * 1000;

  function showFreshness() {
    // The page carries the data in a hidden <p>; the notice is a Material admonition after it.
    var data = document.querySelector(".digest-freshness");
    if (!data || data.nextElementSibling && data.nextElementSibling.classList.contains("digest-stale")) {
      return;
    }
    var newest = data.getAttribute("data-newest-issue") || "";
    var issued = Date.parse(newest + "T00:00:00Z");
    var limit = Number(data.getAttribute("data-stale-after-days"));
    if (isNaN(issued) || isNaN(limit)) {
      return;
    }
    // Days by the visitor's own calendar, as "N days ago" is read: counted from UTC's, a reader in
    // California on the evening of the 30th was told an issue of the 27th was 4 days old.
    var now = new Date();
    var age = Math.round((Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) - issued) / DAY_MS);
    if (age <= limit) {
      return;
    }
    var notice = document.createElement("div");
    notice.className = "admonition warning digest-stale";
    notice.setAttribute("role", "status");
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = "This digest may have stopped updating";
    var text = document.createElement("p");
    text.textContent = "The newest issue is from " + newest + ", " + age + " days ago.";
    notice.append(title, text);
    data.after(notice);
  }

  // Material's instant navigation swaps pages without reloading: document$ fires for each.
  if (typeof document$ !== "undefined") {
    document$.subscribe(showFreshness);
  } else {
    document.addEventListener("DOMContentLoaded", showFreshness);
  }
})();
