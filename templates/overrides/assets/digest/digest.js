/* Paper Digest: the copy button of a paper's citation. Delegated from the document, so it
 * keeps working across Material's instant navigation. The outcome is said on the button and in a status
 * line screen readers announce (a focused button's new label is not read out); without the clipboard
 * (a page served over plain HTTP) it selects the citation and says so rather than doing nothing. */
document.addEventListener("click", event => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const status = button.nextElementSibling;
  const say = (label, message) => {
    button.textContent = label;
    if (status) status.textContent = message;
  };
  const copying = navigator.clipboard ? navigator.clipboard.writeText(source.textContent) : Promise.reject();
  /* Told to select the text, a keyboard reader could not: the citation is no control, so it is selected for them,
   * and the copy keys (or the menu) copy it. */
  const select = () => {
    const selection = window.getSelection();
    if (selection) selection.selectAllChildren(source);
    say("Selected: now copy it", "Could not copy: the BibTeX is selected, copy it with your copy keys or menu");
  };
  copying.then(() => say("Copied", "BibTeX copied"), select).finally(() => {
    clearTimeout(button.digestReset);
    button.digestReset = setTimeout(() => say("Copy BibTeX", ""), 2000);
  });
});

/* The copy button itself is added here, below every citation, on every page Material shows (the first load
 * and each instant navigation): without JavaScript it could not copy, and it was 0.1 KB of every paper page. */
function addCopyButtons() {
  document.querySelectorAll(".digest-cite > pre.digest-bibtex > code[id]").forEach(code => {
    const cite = code.parentElement.parentElement;
    if (cite.querySelector("button[data-copy]")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button digest-copy";
    button.dataset.copy = code.id;
    button.textContent = "Copy BibTeX";
    const status = document.createElement("span");
    status.className = "digest-copy__status";
    status.setAttribute("role", "status");
    cite.append(button, status);
  });
}

/* Topic cards: each paper's abstract is on its own page, so a card gets an "Abstract" toggle that
 * loads it from there when it is opened, rather than every topic page repeating it (README,
 * "Scale"). The toggle is added here, on every page Material shows (document$: the first load and
 * each instant navigation), not written in the page: 0.2 KB on every card of every topic and top
 * page. Without JavaScript the card's title leads to the paper's page, where the abstract is. */
function addAbstractToggles() {
  document.querySelectorAll(".digest-card").forEach(card => {
    const title = card.querySelector(".digest-card__title a");
    if (!title || card.querySelector(".digest-card__abstract")) return;
    const toggle = document.createElement("details");
    toggle.className = "digest-card__abstract";
    toggle.dataset.abstractFrom = title.getAttribute("href");
    const summary = document.createElement("summary");
    summary.textContent = "Abstract";
    // Named after its paper: a screen reader listing a page's controls heard "Abstract" thirty times.
    summary.setAttribute("aria-label", `Abstract: ${title.textContent.trim()}`);
    const paragraph = document.createElement("p");
    const link = document.createElement("a");
    link.href = title.getAttribute("href") + "#abstract";
    link.textContent = "On the paper's page";  // until the abstract arrives
    paragraph.append(link);
    toggle.append(summary, paragraph);
    card.append(toggle);
  });
}
/* The search worker lists a query's best 30 papers, and Material counts what it lists ("30 matching
 * documents" for a word in thousands of papers): the worker says how many match, and the count says
 * that here. Material writes the count on each result, so it is corrected whenever it changes. The
 * channel reaches the site's other tabs too: a count is taken only for the query in this page's box
 * (compared by its letters and digits, as Material passes "a b" on as "+a +b"). */
const searchCounts = new Map();  // the query's letters -> {shown, total}
const countedMeta = new WeakSet();
const letters = text => text.replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();
/* The worker also says when a query is slow to answer (its index files still downloading) and when they
 * could not be downloaded: Material would show the previous query's count, or "No matching documents". */
const SEARCHING = "Searching…";
const SEARCH_FAILED = "Search could not download its index: check the connection and try again";
function correctSearchCount() {
  const meta = document.querySelector(".md-search-result__meta");
  const input = document.querySelector(".md-search__input");
  const count = input && searchCounts.get(letters(input.value));
  if (!meta || !count) return;
  /* Ours, not Material's: drawn for this query or an earlier one (the answer was drawn before the word that it
   * was coming arrived, or a query of these letters failed before). */
  const ours = meta.textContent === SEARCHING || meta.textContent === SEARCH_FAILED;
  let text = null;
  if (count.failed) {
    text = SEARCH_FAILED;
  } else if (count.corrected) {
    text = correctedCount(input.value, count);
  } else if (count.total > count.shown && (ours || meta.textContent.includes(String(count.shown)))) {
    text = countText(count.total, count.shown);
  } else if (ours) {
    text = materialCount(count.shown);
  }
  if (text !== null && meta.textContent !== text) meta.textContent = text;
}
function showSearching(query) {
  const meta = document.querySelector(".md-search-result__meta");
  const input = document.querySelector(".md-search__input");
  if (meta && input && letters(input.value) === letters(query)) meta.textContent = SEARCHING;
}
function translation(key, fallback) {
  try {
    return JSON.parse(document.getElementById("__config").textContent).translations[key] || fallback;
  } catch (error) {
    return fallback;  // no settings: English
  }
}
/* Material's own count of ``shown`` results. */
function materialCount(shown) {
  if (shown === 0) return translation("search.result.none", "No matching documents");
  if (shown === 1) return translation("search.result.one", "1 matching document");
  return translation("search.result.other", "# matching documents").replace("#", shown);
}
/* "61 matching documents" in the site's language (Material's own words for its count, from the page's
 * settings), and in English the share shown: ", the best 33 shown". */
function countText(total, shown) {
  const language = document.documentElement.lang || "en";
  const words = translation("search.result.other", "# matching documents");
  const text = words.replace("#", total.toLocaleString(language));
  return language.startsWith("en") ? `${text}, the best ${shown} shown` : text;
}
/* A query that found nothing, answered for its misspelt words corrected: the count says which query the results are
 * of ('Nothing matches "difusion": showing "diffusion", 1,171 matching documents, the best 30 shown'). */
function correctedCount(typed, count) {
  const found = count.total > count.shown ? countText(count.total, count.shown) : materialCount(count.shown);
  const language = document.documentElement.lang || "en";
  /* In quotes, unless the reader's own quotes are there already ('"difusion model"'). */
  const quoted = text => (/^["“„].*["”“]$/u.test(text) ? text : `"${text}"`);
  const [query, corrected] = [quoted(typed.trim()), quoted(count.corrected)];
  return language.startsWith("en")
    ? `Nothing matches ${query}: showing ${corrected}, ${found}`
    : `${query} → ${corrected}: ${found}`;
}
function watchSearchCount() {
  const meta = document.querySelector(".md-search-result__meta");
  if (!meta || countedMeta.has(meta)) return;
  countedMeta.add(meta);
  new MutationObserver(correctSearchCount).observe(meta, { childList: true, characterData: true, subtree: true });
}
if (typeof BroadcastChannel === "function") {
  new BroadcastChannel("digest-search-count").onmessage = event => {
    if (event.data.loading) {
      showSearching(String(event.data.query));
      return;
    }
    if (searchCounts.size > 100) searchCounts.clear();
    searchCounts.set(letters(String(event.data.query)), event.data);
    correctSearchCount();
  };
}

/* Material's search is a dialog (role="dialog") without a name: a screen reader announced "dialog" alone
 * when it opened. It is named by its box's placeholder, in the site's language ("Search", "Rechercher"). */
function nameSearchDialog() {
  const dialog = document.querySelector('.md-search[role="dialog"]');
  if (!dialog || dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) return;
  const input = dialog.querySelector(".md-search__input");
  dialog.setAttribute("aria-label", (input && input.getAttribute("placeholder")) || "Search");
}

function addControls() {
  addCopyButtons();
  addAbstractToggles();
  nameSearchDialog();
  watchSearchCount();
}
if (typeof document$ !== "undefined") {
  document$.subscribe(addControls);
} else {
  addControls();
}

/* Opening a toggle loads the abstract. `toggle` does not bubble: captured. */
document.addEventListener("toggle", event => {
  const card = event.target;
  if (!(card instanceof HTMLDetailsElement) || !card.open || !card.dataset.abstractFrom) return;
  const source = card.dataset.abstractFrom;
  delete card.dataset.abstractFrom;  // once
  fetch(source)
    .then(response => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))
    .then(html => {
      const paper = new DOMParser().parseFromString(html, "text/html");
      const heading = paper.getElementById("abstract");
      const abstract = heading && heading.nextElementSibling;
      if (!abstract || abstract.tagName !== "P") throw new Error("no abstract on " + source);
      card.querySelector("p").replaceWith(document.importNode(abstract, true));
    })
    .catch(() => { card.dataset.abstractFrom = source; });  // the link stays; opening again retries
}, true);
