/* Runs the site's search worker in Node for tests/test_search_index.py:
 *   node search_worker_node.js <search-worker.js> <index folder> <query>...
 * The worker is given what a browser gives it (self.location, fetch, message events), with
 * fetch reading the index folder; prints, as JSON, the paper results of each query in order.
 * FAIL_ONCE (a file name under search/papers/, such as "t/na.json") makes its first fetch fail, as a
 * network that drops a moment does. WITH_CORRECTED: each answer is {items, corrected}, the query the worker
 * answered for instead of the one typed (null when none).
 */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [worker, folder, ...queries] = process.argv.slice(2);
const base = "http://site.test/search/papers/";
let handler = null;
let failOnce = process.env.FAIL_ONCE || null;
const answers = [];
const context = {
  self: { location: { href: "http://site.test/assets/digest/search-worker.js" } },
  URL,
  console,
  fetch: async url => {
    const name = String(url).slice(base.length);
    if (name === failOnce) {
      failOnce = null;
      return { ok: false, status: 503 };
    }
    const file = path.join(folder, name);
    if (!String(url).startsWith(base) || !fs.existsSync(file)) return { ok: false, status: 404 };
    const text = fs.readFileSync(file, "utf-8");
    return { ok: true, status: 200, json: async () => JSON.parse(text) };
  },
  addEventListener: (type, listener) => { if (type === "message") handler = listener; },
  postMessage: message => answers.push(message),
};
/* The page's count of results, which the worker sends on a channel of its own (it says which query was answered). */
const counted = [];
if (process.env.WITH_CORRECTED) {
  context.BroadcastChannel = class { postMessage(message) { if (!message.loading) counted.push(message); } };
  Object.assign(context, { setTimeout, clearTimeout });  // the worker's "searching…" after 300 ms, with a channel
}
vm.createContext(context);
vm.runInContext(fs.readFileSync(worker, "utf-8"), context, { filename: worker });

(async () => {
  await handler({ data: { type: 0, data: { docs: [], options: {} } } });
  const results = [];
  for (const query of queries) {
    answers.length = 0;
    counted.length = 0;
    await handler({ data: { type: 2, data: query } });
    const reply = answers.find(message => message.type === 3);
    const items = reply.data.items.map(([item]) => ({ location: item.location, score: item.score, title: item.title, text: item.text }));
    results.push(process.env.WITH_CORRECTED ? { items, corrected: (counted[0] && counted[0].corrected) || null } : items);
  }
  process.stdout.write(JSON.stringify(results));
})();
