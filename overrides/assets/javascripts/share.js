// Share and print on a release page (overrides/partials/share.html).
// Without this file every link still works: "Copy link" is a link to the
// page itself, and the print button, which needs it, stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector(".nr-share__status");
  const copy = document.querySelector(".nr-share__copy");
  if (copy && status && navigator.clipboard && window.isSecureContext) {
    copy.addEventListener("click", (event) => {
      event.preventDefault();
      navigator.clipboard.writeText(copy.href).then(
        () => { status.textContent = copy.dataset.nrCopied; },
        // Refused (a browser setting): the address, to select and copy by hand.
        () => { status.textContent = copy.href; },
      );
    });
  }
  const print = document.querySelector(".nr-share__print");
  if (print && typeof window.print === "function") {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
});
