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
