/* Paper Digest: the copy button of a paper's citation. Delegated from the document, so it
 * keeps working across Material's instant navigation. */
document.addEventListener("click", event => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  const label = button.textContent;
  navigator.clipboard.writeText(source.textContent).then(
    () => { button.textContent = "Copied"; },
    () => { button.textContent = "Select the text and copy it"; }
  ).finally(() => setTimeout(() => { button.textContent = label; }, 2000));
});

/* Topic cards: each paper's abstract is on its own page, so a card loads it from there when it
 * is opened rather than every topic page repeating it (README, "Scale"). Until it arrives, and
 * without JavaScript, the card links to the paper's page. `toggle` does not bubble: captured. */
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
