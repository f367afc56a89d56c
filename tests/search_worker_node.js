/* Runs the site's search worker in Node for tests/test_search_index.py:
 *   node search_worker_node.js <search-worker.js> <index folder> <query>...
 * The worker is given what a browser gives it (self.location, fetch, message events), with
 * fetch reading the index folder; prints, as JSON, the paper results of each query in order.
 * FAIL_ONCE (a file name under search/papers/, such as "t/na.json") makes its first fetch fail, as a
 * network that drops a moment does.
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
vm.createContext(context);
vm.runInContext(fs.readFileSync(worker, "utf-8"), context, { filename: worker });

(async () => {
  await handler({ data: { type: 0, data: { docs: [], options: {} } } });
  const results = [];
  for (const query of queries) {
    answers.length = 0;
    await handler({ data: { type: 2, data: query } });
    const reply = answers.find(message => message.type === 3);
    results.push(reply.data.items.map(([item]) => ({ location: item.location, score: item.score, title: item.title, text: item.text })));
  }
  process.stdout.write(JSON.stringify(results));
})();
