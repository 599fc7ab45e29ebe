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
