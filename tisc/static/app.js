// Start GOV.UK Frontend's components (served from this app; no CDN).
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// A form without an action posts to the page's address, fragment and all. After the skip link
// (#main-content), or a link to a question (#q-...), the page that comes back keeps the fragment
// and the browser moves the focus to it when it loads, taking it away from the error summary,
// so nobody hears about the errors (WCAG 2.4.3; alphagov/govuk-frontend#4465). Post to the
// address without its fragment.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && !form.getAttribute("action") && window.location.hash) {
    form.setAttribute("action", window.location.pathname + window.location.search);
  }
});

// Copy buttons (the supplier's link): a button naming a readonly input in data-copy-target
// copies its text and says so in the status element named by data-copy-status. Without
// JavaScript the button stays hidden and the text is selected by hand.
for (const button of document.querySelectorAll("button[data-copy-target]")) {
  const source = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!(source instanceof HTMLInputElement)) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    source.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(source.value);
      copied = true;
    } catch {
      // No clipboard API (not a secure context): the older command copies the selection.
      copied = document.execCommand("copy");
    }
    if (status) {
      status.textContent = copied
        ? "The link has been copied. Paste it into your email to the supplier."
        : "The link could not be copied: it is selected, so copy it with your keyboard.";
    }
  });
}
