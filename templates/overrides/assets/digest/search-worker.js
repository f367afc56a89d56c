/* Paper Digest search worker.
 *
 * Material's search box talks to a web worker with four messages (SETUP 0, READY 1,
 * QUERY 2, RESULT 3). This worker answers them from the sharded paper index that
 * generator/search.py writes under search/papers/, so a query downloads only the
 * manifest, one term shard per query word and the document shards of the results shown,
 * instead of the whole archive's text. The small hand-written pages (home, about,
 * subscribe...) still come in Material's own SETUP message and are searched too.
 * Result HTML is escaped by the generator; this file only adds <mark> around matches.
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const MAX_RESULTS = 30;
const INDEX = new URL("../../search/papers/", self.location.href);

let pages = [];
let suggest = false;
let latest = 0;
const cache = new Map();

function load(name) {
  if (!cache.has(name)) {
    cache.set(name, fetch(new URL(name, INDEX)).then(response => {
      if (!response.ok) throw new Error(`${name}: ${response.status}`);
      return response.json();
    }));
  }
  return cache.get(name);
}

/* The same normalisation as generator/search.py: no accents, lowercase, letters and digits. */
function words(text) {
  const plain = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  return [...new Set(plain.match(/[\p{L}\p{N}]+/gu) || [])].filter(word => word.length > 1);
}

function shardKey(word) {
  return Array.from(word).slice(0, 2)
    .map(c => /[a-z0-9]/.test(c) ? c : `_${c.codePointAt(0).toString(16)}`).join("");
}

/* Document number -> score for one query word (a prefix: results appear while typing). */
async function match(word, manifest) {
  const scores = new Map();
  const key = shardKey(word);
  if (!manifest.shards.includes(key)) return scores;
  const shard = await load(`t/${key}.json`);
  for (const [term, gaps] of Object.entries(shard)) {
    if (!term.startsWith(word)) continue;
    const exact = term === word;
    let posting = 0;
    for (const gap of gaps) {
      posting += gap;
      const score = (posting & 1 ? 2 : 1) + (exact ? 1 : 0);
      const doc = posting >> 1;
      scores.set(doc, Math.max(scores.get(doc) || 0, score));
    }
  }
  return scores;
}

/* One pass over all query words, so a <mark> just added is never matched again. */
function highlight(html, query) {
  const words = query.map(word => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}&#])((?:${words})[\\p{L}\\p{N}]*)`, "giu");
  return html.replace(pattern, "$1<mark>$2</mark>");
}

async function searchPapers(query) {
  const manifest = await load("manifest.json");
  const perWord = await Promise.all(query.map(word => match(word, manifest)));
  let total = null;
  for (const scores of perWord) {
    if (total === null) {
      total = new Map(scores);
      continue;
    }
    for (const [doc, score] of total) {
      if (scores.has(doc)) total.set(doc, score + scores.get(doc));
      else total.delete(doc);
    }
  }
  /* Best score first; documents are numbered oldest first, so ties go to the highest number, the newest. */
  const ranked = [...(total || new Map())].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, MAX_RESULTS);
  const shards = await Promise.all(ranked.map(([doc]) => load(`d/${Math.floor(doc / manifest.docs_per_shard)}.json`)));
  const terms = Object.fromEntries(query.map(word => [word, true]));
  return ranked.map(([doc, score], i) => {
    const [location, title, text] = shards[i][doc % manifest.docs_per_shard];
    return [{ location, title: highlight(title, query), text: highlight(text, query), score, terms }];
  });
}

function searchPages(query) {
  const terms = Object.fromEntries(query.map(word => [word, true]));
  return pages
    .filter(page => !page.location.includes("#"))
    .filter(page => {
      const found = words(`${page.title} ${page.text}`);
      return query.every(word => found.some(term => term.startsWith(word)));
    })
    .map(page => [{ location: page.location, title: page.title, text: "", score: 0, terms }]);
}

async function answer(query) {
  const query_words = words(query);
  if (!query_words.length) return { items: [] };
  const papers = await searchPapers(query_words);
  return { items: [...papers, ...searchPages(query_words)], ...(suggest && { suggest: [] }) };
}

addEventListener("message", async event => {
  const message = event.data;
  if (message.type === SETUP) {
    pages = message.data.docs || [];
    suggest = Boolean(message.data.options && message.data.options.suggest);
    postMessage({ type: READY });
    load("manifest.json").catch(() => undefined);
  } else if (message.type === QUERY) {
    const ticket = ++latest;
    let data;
    try {
      data = await answer(String(message.data));
    } catch (error) {
      console.warn(`search: ${error}`);
      data = { items: [] };
    }
    /* A slower, older query must not replace the answer to a newer one. */
    if (ticket === latest) postMessage({ type: RESULT, data });
  }
});
