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

// The web address name of a new organisation or partnership fills in from its name as it is
// typed, until someone types in it themselves. (Without JavaScript, an empty field is made
// from the name on the server, by the same rule: tisc/rules/names.py web_address_name.)
const WEB_ADDRESS_NAME_LENGTH = 80;

function webAddressName(name) {
  let text = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (text.length > WEB_ADDRESS_NAME_LENGTH) {
    text = text.slice(0, WEB_ADDRESS_NAME_LENGTH + 1);
    const cut = text.lastIndexOf("-");
    text = cut > 0 ? text.slice(0, cut) : text.slice(0, WEB_ADDRESS_NAME_LENGTH);
  }
  return text.replace(/^-+|-+$/g, "");
}

for (const field of document.querySelectorAll("input[data-web-address-from]")) {
  const source = document.getElementById(field.dataset.webAddressFrom);
  if (source instanceof HTMLInputElement) {
    let typedByHand = field.value !== "" && field.value !== webAddressName(source.value);
    field.addEventListener("input", () => {
      typedByHand = field.value !== "";
    });
    source.addEventListener("input", () => {
      if (!typedByHand) {
        field.value = webAddressName(source.value);
      }
    });
  }
}

// Copy buttons: hidden until JavaScript can copy, then they copy the text of the element they
// name and say so.
for (const button of document.querySelectorAll("button[data-copy-from]")) {
  const source = document.getElementById(button.dataset.copyFrom);
  if (source && navigator.clipboard) {
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.textContent = button.dataset.copiedText || "Copied";
      } catch {
        button.textContent = label;
        window.getSelection().selectAllChildren(source);
      }
    });
  }
}
