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
// name (a readonly input's value, or an element's text) and say so: on the button
// (data-copied-text) and, for screen readers, in the status element data-copy-status names
// (data-copied-status). If copying fails, the text is selected to copy by hand.
for (const button of document.querySelectorAll("button[data-copy-from]")) {
  const source = document.getElementById(button.dataset.copyFrom);
  if (source && navigator.clipboard) {
    const label = button.textContent;
    const status = document.getElementById(button.dataset.copyStatus || "");
    button.hidden = false;
    button.addEventListener("click", async () => {
      const isInput = source instanceof HTMLInputElement;
      try {
        await navigator.clipboard.writeText(isInput ? source.value : source.textContent.trim());
        button.textContent = button.dataset.copiedText || "Copied";
        if (status) {
          status.textContent = button.dataset.copiedStatus || "";
        }
      } catch {
        button.textContent = label;
        if (isInput) {
          source.select();
        } else {
          window.getSelection().selectAllChildren(source);
        }
      }
    });
  }
}

// Buttons that start long work (reading or importing a large file): the form is sent once, and
// the page says what is happening in its status element (data-busy-status) while the server
// works. The button keeps its name and value (a disabled button would not send them).
for (const form of document.querySelectorAll("form[data-busy-message]")) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.busy === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.busy = "yes";
    const button = event.submitter;
    const status = form.querySelector("[data-busy-status]");
    if (status) {
      status.textContent = button?.dataset.busyMessage || form.dataset.busyMessage;
    }
    for (const other of form.querySelectorAll("button, input[type=submit]")) {
      other.setAttribute("aria-disabled", "true");
    }
  });
}

// A file being read or imported in the background (imports/job.html): ask how far it has got
// every second and say so; once it has finished, load the page again (the server then leads to
// what it made). Without JavaScript the page refreshes itself instead.
for (const panel of document.querySelectorAll("[data-job-status-url]")) {
  const stage = panel.querySelector("[data-job-stage]");
  const bar = panel.querySelector("[data-job-percent]");
  const format = new Intl.NumberFormat("en-GB");
  const poll = async () => {
    try {
      const response = await fetch(panel.dataset.jobStatusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const job = await response.json();
      if (job.finished) {
        window.location.reload();
        return;
      }
      const words = job.status === "queued" ? "Waiting to start" : job.stage || "Starting";
      const text = `${words} (${job.percent}% done)`;
      if (stage.textContent.trim() !== text) {
        stage.textContent = text;
      }
      bar.value = job.percent;
      bar.textContent = `${job.percent}%`;
      for (const cell of panel.querySelectorAll("[data-job-count]")) {
        const count = job[cell.dataset.jobCount];
        cell.textContent = count === null || count === undefined ? "Not yet" : format.format(count);
      }
    } catch {
      // Asked again in a moment; the page still works by reloading it.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
}
