/* Paper Digest search worker.
 *
 * Material's search box talks to a web worker with four messages (SETUP 0, READY 1,
 * QUERY 2, RESULT 3). This worker answers them from the sharded full-text index that
 * generator/search.py writes under search/papers/, so a query downloads only the
 * manifest, one term shard per query word and the document shards of the results shown,
 * instead of the whole archive's text. The small hand-written pages (home, about,
 * subscribe...) still come in Material's own SETUP message and are searched too.
 * A query is analysed as generator/search.py analyses a paper (stop words from the
 * manifest, the same plural stemmer) and ranked BM25-like: inverse document frequency
 * times the weight of the best field (title > keywords, authors, topics > abstract).
 * Result HTML is escaped by the generator (title, authors, date, topics; never the
 * abstract); this file only adds <mark> around matches.
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const MAX_RESULTS = 30;
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const INDEX = new URL("../../search/papers/", self.location.href);

/* Material's count of results is the length of the list it is given, the best MAX_RESULTS papers at
 * most: the number that match goes to the page (assets/digest/digest.js) on a channel of its own. */
const counts = typeof BroadcastChannel === "function" ? new BroadcastChannel("digest-search-count") : null;

let pages = [];
let suggest = false;
let latest = 0;
const cache = new Map();

function load(name) {
  if (!cache.has(name)) {
    const loading = fetch(new URL(name, INDEX)).then(response => {
      if (!response.ok) throw new Error(`${name}: ${response.status}`);
      return response.json();
    });
    /* A file that failed to load (the network was down a moment) is asked for again by the next query. */
    loading.catch(() => { if (cache.get(name) === loading) cache.delete(name); });
    cache.set(name, loading);
  }
  return cache.get(name);
}

/* Chinese and Japanese characters (generator/topics/features.py's CJK): their text has no spaces. */
const CJK = "\\u3040-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
const CJK_RUN = new RegExp(`^[${CJK}]+$`, "u");
const CJK_ANY = new RegExp(`[${CJK}]`, "u");
const CJK_PARTS = new RegExp(`([${CJK}]+)`, "u");

/* Letters that are no letter and accent to Unicode, as readers type them without the key (as
 * generator/search.py's LETTERS): "bjorn" finds "Bjørn", "strasse" "Straße". */
const LETTERS = { "ø": "o", "ß": "ss", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
  "ħ": "h", "ŧ": "t" };
const LETTER_KEYS = new RegExp(`[${Object.keys(LETTERS).join("")}]`, "gu");

/* Lowercase, without accents: as generator/search.py's normalize. */
function plainText(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(LETTER_KEYS, letter => LETTERS[letter]);
}

/* The same normalisation as generator/search.py: no accents, lowercase, letters and digits; in Chinese
 * and Japanese, each pair of neighbouring characters. */
function words(text) {
  const plain = plainText(text);
  const found = [];
  for (const word of plain.match(/[\p{L}\p{N}]+/gu) || []) {
    if (!CJK_ANY.test(word)) {
      if (Array.from(word).length > 1) found.push(word);
      continue;
    }
    for (const part of word.split(CJK_PARTS)) {
      const chars = Array.from(part);
      if (CJK_RUN.test(part)) for (let i = 0; i + 1 < chars.length; i++) found.push(chars[i] + chars[i + 1]);
      else if (chars.length > 1) found.push(part);
    }
  }
  return found;
}

/* An arXiv id as readers copy it: with a version, after "arXiv:", or in its arxiv.org or Hugging Face
 * link ("arXiv:2401.01234v2", "https://arxiv.org/pdf/hep-th/9711200v1.pdf"). The index holds the id
 * alone, without version, so the rest would be words that no paper has. */
const ARXIV_ID = new RegExp(
  String.raw`(?:\barxiv\s*:?\s*|(?:https?://)?(?:[a-z0-9-]+\.)*(?:arxiv\.org/(?:abs|pdf|html)|huggingface\.co/papers)/)?`
    + String.raw`(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?(?![\p{L}\p{N}])`,
  "giu",
);

function plainIds(text) {
  return text.replace(ARXIV_ID, "$1");
}

/* The longest word an abstract gives the index, as generator/search.py's MAX_WORD. */
const MAX_WORD = 30;

/* A word the index holds from titles, keywords and names only, never from an abstract: a number alone ("576",
 * "2024") or a word longer than MAX_WORD. It is optional, as a frequent word is: a pasted sentence of an abstract
 * with a number in it must still find its paper. */
function titleOnly(word) {
  return /^[0-9]+$/.test(word) || word.length > MAX_WORD;
}

/* A plural stemmer (Harman's "S" stemmer, "is" kept) for words of four or more letters a-z, as generator/search.py's stem. */
function stem(word) {
  if (!/^[a-z]{4,}$/.test(word)) return word;
  if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) return word.slice(0, -3) + "y";
  if (word.endsWith("es") && !/(aes|ees|oes)$/.test(word)) return word.slice(0, -1);
  if (word.endsWith("s") && !/(us|ss|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/* The query's words without stop words, except the last word, which may be the beginning of a
 * longer word still being typed ("the" of "theory"). */
function queryWords(text, stop) {
  const all = words(text);
  return all.filter((word, i) => i === all.length - 1 || !stop.has(word));
}

/* The joined terms of a query's compound names ("GPT-4o" gives "gpt4o"), as generator/search.py's joined: names
 * with a digit or a single letter in them, which its words alone do not tell apart ("5" of "GPT-5" is no word). */
function joinedTerms(text, stop = new Set()) {
  const found = [];
  const plain = plainText(text);
  for (const compound of plain.match(/[a-z0-9]+(?:[-.][a-z0-9]+)+/g) || []) {
    const parts = compound.split(/[-.]/);
    if (parts.every(part => part.length === 1) || !parts.some(part => part.length === 1 || !/^[a-z]+$/.test(part))) continue;
    const term = parts.join("");
    if (!/^[0-9]+$/.test(term) && term.length <= 30) found.push(stem(term));
  }
  /* A name and its version written apart ("llama 3.1"), as generator/search.py's SPACED: "llama31" (no lookbehind:
   * older Safari cannot parse one). */
  for (const [, name, version] of plain.matchAll(/(?:^|[^a-z0-9.-])([a-z][a-z0-9]*) ([0-9]{1,3}(?:\.[0-9]+)*)(?![a-z0-9]|\.[0-9])/g)) {
    const term = name + version.replace(/\./g, "");
    if (!stop.has(name) && term.length <= 30) found.push(term);
  }
  return found;
}

/* The query's terms, in order, without repeats: what the index holds for its words. */
function queryTerms(text, stop) {
  return [...new Set(queryWords(text, stop).map(stem))];
}

function shardKey(prefix) {
  return Array.from(prefix).map(c => /[a-z0-9]/.test(c) ? c : `_${c.codePointAt(0).toString(16)}`).join("");
}

/* The shard of a term or term prefix: two characters, one more for each prefix the index split. */
function shardOf(word, manifest) {
  const chars = Array.from(word);
  let length = 2;
  while (length < chars.length && manifest.splitSet.has(shardKey(chars.slice(0, length).join("")))) length += 1;
  return shardKey(chars.slice(0, length).join(""));
}

/* [[document, class]] of an encoded posting string: varints of base64 digits, gaps << 2 | class. */
function decode(text) {
  const result = [];
  let doc = 0, value = 0, shift = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = DIGITS.indexOf(text[i]);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) { shift += 5; continue; }
    doc += Math.floor(value / 4);
    result.push([doc, value % 4]);
    value = 0;
    shift = 0;
  }
  return result;
}

/* The last word of a query of several, when it is a stop word ("them" of "... can correct them"): it is
 * looked up, since it may begin a longer word still being typed, but it is optional, since the index
 * holds no stop word and a pasted title that ends with one must still find its paper. */
function trailingStop(text, stop) {
  const all = words(text);
  const last = all[all.length - 1];
  return all.length > 1 && stop.has(last) ? stem(last) : null;
}

/* The stemmer reads "approaches" as "approache", as it reads "images" as "image": a plural of a word
 * ending in ch, sh, s or x would miss its singular ("approach", "process", "box"), which the query
 * therefore also finds, as an exact term. {term: singular} of the query's such words. */
function singulars(text, stop) {
  const plurals = queryWords(text, stop).filter(word => /^[a-z]{2,}(?:ch|sh|s|x)es$/.test(word) && stem(word) !== word);
  return new Map(plurals.map(word => [stem(word), word.slice(0, -2)]));
}

/* One query word: {scores: document -> weight of its best field, idf, loose}. A word is a prefix
 * of the terms it finds (results appear while typing); an exact term counts more. A "loose"
 * word is a frequent term whose abstract postings the index left out, or a trailing stop word:
 * it is optional. ``singular``, if given, is found too, as an exact term. */
async function match(word, manifest, optional, singular) {
  const scores = new Map();
  let frequent = 0;
  const add = async (prefix, accept) => {
    const key = shardOf(prefix, manifest);
    if (!manifest.shardSet.has(key)) return;
    const shard = await load(`t/${key}.json`);
    for (const [term, postings] of Object.entries(shard.t)) {
      if (!accept(term)) continue;
      const factor = term === word || term === singular ? 1 : manifest.prefix_weight;
      if (shard.f && term in shard.f) frequent = Math.max(frequent, shard.f[term]);
      for (const [doc, field] of decode(postings)) {
        const score = manifest.weights[field] * factor;
        if (score > (scores.get(doc) || 0)) scores.set(doc, score);
      }
    }
  };
  await add(word, term => term.startsWith(word));
  if (singular) await add(singular, term => term === singular);
  const df = Math.max(scores.size, frequent);
  const idf = Math.log(1 + (manifest.count - df + 0.5) / (df + 0.5));
  return { scores, idf, loose: optional || frequent > 0 };
}

/* One pass over all query words, so a <mark> just added is never matched again; then the Chinese and
 * Japanese pairs of characters, which start anywhere in a run of characters and overlap (ニュ, ュー, ーラ,
 * ラル): every character of one is marked, and neighbouring marked characters are one mark. */
/* ``text`` as words are indexed (accents off, lower case), and for each of its characters the index of
 * the character of ``text`` it comes from. */
function folded(text) {
  let plain = "";
  const origin = [];
  for (let i = 0; i < text.length;) {
    const character = String.fromCodePoint(text.codePointAt(i));
    const plainCharacter = plainText(character);
    for (let k = 0; k < plainCharacter.length; k++) origin.push(i);
    plain += plainCharacter;
    i += character.length;
  }
  return { plain, origin };
}

function highlight(html, query) {
  const spaced = query.filter(word => !CJK_ANY.test(word)).map(word => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const joined = query.filter(word => CJK_ANY.test(word));
  let found = html;
  if (spaced.length) {
    /* Query words have no accents ("muller"): matched in the text as words are indexed ("Müller" is
     * "muller"), then marked in the text as written. */
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}&#])((?:${spaced.join("|")})[\\p{L}\\p{N}]*)`, "giu");
    const { plain, origin } = folded(found);
    let marked = "";
    let position = 0;
    for (const match of plain.matchAll(pattern)) {
      const start = origin[match.index + match[1].length];
      const last = origin[match.index + match[0].length - 1];
      let end = last + String.fromCodePoint(found.codePointAt(last)).length;
      while (end < found.length && /\p{M}/u.test(found[end])) end++;  // the accents of a decomposed last letter
      marked += `${found.slice(position, start)}<mark>${found.slice(start, end)}</mark>`;
      position = end;
    }
    found = marked + found.slice(position);
  }
  if (!joined.length) return found;
  /* Pairs are found as they are indexed too: "データ" is "テータ" without its voicing mark. */
  const { plain, origin } = folded(found);
  const covered = new Array(found.length).fill(false);
  for (const pair of joined) {
    for (let at = plain.indexOf(pair); at !== -1; at = plain.indexOf(pair, at + 1)) {
      const last = origin[at + pair.length - 1];
      let end = last + String.fromCodePoint(found.codePointAt(last)).length;
      while (end < found.length && /\p{M}/u.test(found[end])) end++;  // a decomposed voicing mark
      for (let k = origin[at]; k < end; k++) covered[k] = true;
    }
  }
  let marked = "";
  for (let i = 0; i < found.length; i++) {
    if (covered[i] && !covered[i - 1]) marked += "<mark>";
    marked += found[i];
    if (covered[i] && !covered[i + 1]) marked += "</mark>";
  }
  return marked;
}

async function manifestOf() {
  const manifest = await load("manifest.json");
  if (!manifest.shardSet) {
    manifest.shardSet = new Set(manifest.shards);
    manifest.splitSet = new Set(manifest.split);
    manifest.stopSet = new Set(manifest.stop);
  }
  return manifest;
}

/* [[document, score]], best first: every required word must match, loose words only add. */
function rank(matches) {
  const required = matches.some(m => !m.loose) ? matches.filter(m => !m.loose) : matches;
  let total = null;
  for (const { scores, idf } of required) {
    if (total === null) {
      total = new Map([...scores].map(([doc, weight]) => [doc, weight * idf]));
      continue;
    }
    for (const [doc, score] of total) {
      if (scores.has(doc)) total.set(doc, score + scores.get(doc) * idf);
      else total.delete(doc);
    }
  }
  for (const { scores, idf, loose } of matches) {
    if (required.length === matches.length || !loose) continue;
    for (const [doc, score] of total) if (scores.has(doc)) total.set(doc, score + scores.get(doc) * idf);
  }
  /* Best score first; documents are numbered oldest first, so ties go to the highest number, the newest. */
  return [...(total || new Map())].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
}

/* Where a result's title (escaped HTML, as the index shows it) has the query's words together and in their order
 * ("diffusion policy" in "3D Diffusion Policies", not in "On-Policy Diffusion Distillation"), the last word perhaps
 * begun only: {at: the place of its first such word among the title's words, -1 if none; size: how many words the
 * title has}. ``phrase`` is the query's terms without an optional trailing stop word. */
function placeInTitle(title, phrase, stop) {
  const found = words(title.replace(/&(?:[a-z]+|#x?[0-9a-f]+);/gi, " ")).filter(word => !stop.has(word)).map(stem);
  const last = phrase.length - 1;
  for (let i = 0; i + last < found.length; i++) {
    if (phrase.every((term, j) => found[i + j] === term || (j === last && found[i + j].startsWith(term)))) {
      return { at: i, size: found.length };
    }
  }
  return { at: -1, size: found.length };
}

/* Of equal scores, a title with the query's words together comes first: the one where they start earliest, then
 * the one with the fewest other words ("Qwen3" lists "Qwen3 Technical Report" before "Qwen3-TTS Technical Report",
 * and both before "Fine-Tuning Qwen3 for …"); the rest stay as ranked (the newer first). */
function titleOrder(a, b) {
  if (a.at < 0 || b.at < 0) return (a.at < 0) - (b.at < 0);
  return a.at - b.at || a.size - b.size;
}

/* Stale: a newer query has arrived. Its document shards are then not loaded (while typing). */
class Stale extends Error {}

async function searchPapers(text, manifest, stale) {
  const query = queryTerms(text, manifest.stopSet);
  if (!query.length) return { results: [], total: 0 };
  const optional = trailingStop(text, manifest.stopSet);
  const singular = singulars(text, manifest.stopSet);
  /* A compound name's joined term is optional: it ranks the papers that name it ("GPT-5") above those that have
   * only its words ("GPT-4"), and finds those that write it as one word ("GPT5"). */
  const joined = [...new Set(joinedTerms(text, manifest.stopSet))].filter(term => !query.includes(term));
  const matches = await Promise.all([
    ...query.map(word => match(word, manifest, word === optional || titleOnly(word), singular.get(word))),
    ...joined.map(term => match(term, manifest, true)),
  ]);
  const all = rank(matches);
  const ranked = all.slice(0, MAX_RESULTS);
  if (stale()) throw new Stale();
  const shards = await Promise.all(ranked.map(([doc]) => load(`${manifest.docs_dir || "d"}/${Math.floor(doc / manifest.docs_per_shard)}.json`)));
  const marks = [...new Set([...queryWords(text, manifest.stopSet), ...query, ...singular.values()])];
  const terms = Object.fromEntries(query.map(word => [word, true]));
  const phrase = query.filter(word => word !== optional);
  const shown = ranked.map(([doc, score], i) => {
    const [location, title, details] = shards[i][doc % manifest.docs_per_shard];
    return { location, title, details, score, ...placeInTitle(title, phrase, manifest.stopSet) };
  });
  /* The sort is stable: of equal scores and places, the newer first. */
  shown.sort((a, b) => b.score - a.score || titleOrder(a, b));
  const results = shown.map(({ location, title, details, score }) =>
    [{ location, title: highlight(title, marks), text: highlight(details, marks), score, terms }]);
  return { results, total: all.length };
}

/* The edit distance of two words (optimal string alignment: a letter left out, added, changed, or two swapped count
 * one), or more than ``limit`` when it is known to be. */
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

/* A misspelt word ("difusion", "transfromer") finds nothing: the query of the closest word the index holds, from the
 * term shard its first letters already downloaded ("diffusion"), or null. A word of four or more letters a-z that no
 * indexed word begins with is corrected: to the word at one edit (two for eight letters or more) that the most papers
 * have, of equal counts the first in alphabetical order. Its first two letters must be right: they name the shard. */
async function correction(text, manifest) {
  let corrected = plainText(text);
  let changed = false;
  for (const word of new Set(queryWords(text, manifest.stopSet))) {
    const term = stem(word);
    if (!/^[a-z]{4,}$/.test(word) || manifest.stopSet.has(word)) continue;
    const key = shardOf(term, manifest);
    if (!manifest.shardSet.has(key)) continue;
    const shard = await load(`t/${key}.json`);
    const indexed = Object.keys(shard.t);
    if (indexed.some(found => found.startsWith(term))) continue;
    const limit = term.length >= 8 ? 2 : 1;
    let best = null;
    for (const found of indexed.sort()) {
      if (!/^[a-z]+$/.test(found)) continue;
      const edits = distance(term, found, limit);
      if (edits > limit) continue;
      const papers = Math.max(decode(shard.t[found]).length, (shard.f && shard.f[found]) || 0);
      if (!best || edits < best.edits || (edits === best.edits && papers > best.papers)) best = { found, edits, papers };
    }
    if (!best) continue;
    corrected = corrected.replace(new RegExp(`(^|[^\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, "gu"), `$1${best.found}`);
    changed = true;
  }
  return changed ? corrected : null;
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

async function answer(typed, stale) {
  const text = plainIds(typed);
  const query = [...new Set(words(text))];
  if (!query.length) return { items: [], total: 0 };
  const manifest = await manifestOf();
  let papers = await searchPapers(text, manifest, stale);
  let found = searchPages(query);
  let corrected = null;
  if (!papers.total && !found.length) {
    /* Nothing found: the query with its misspelt words corrected, if that finds something (the page says so). */
    const again = await correction(text, manifest);
    const papersAgain = again && await searchPapers(again, manifest, stale);
    if (papersAgain && papersAgain.total) {
      corrected = again;
      papers = papersAgain;
      found = searchPages([...new Set(words(again))]);
    }
  }
  return {
    items: [...papers.results, ...found], total: papers.total + found.length, ...(suggest && { suggest: [] }),
    ...(corrected && { corrected }),
  };
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
    const query = String(message.data);
    /* On a slow network the page says the query is being searched (Material would go on showing the
     * previous answer, or "No matching documents" for its first letter, until this one arrives). */
    const slow = counts && setTimeout(() => ticket === latest && counts.postMessage({ query, loading: true }), 300);
    let data;
    let failed = false;
    try {
      data = await answer(query, () => ticket !== latest);
    } catch (error) {
      if (error instanceof Stale) return;
      console.warn(`search: ${error}`);
      data = { items: [], total: 0 };
      failed = true;  // the index could not be downloaded: the page says so, not "No matching documents"
    } finally {
      if (slow) clearTimeout(slow);
    }
    /* A slower, older query must not replace the answer to a newer one. */
    if (ticket !== latest) return;
    const { total, corrected, ...shown } = data;
    postMessage({ type: RESULT, data: shown });
    if (counts) counts.postMessage({ query, shown: shown.items.length, total, ...(failed && { failed }), ...(corrected && { corrected }) });
  }
});
