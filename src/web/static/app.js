// Booklib's page script: confirmations, broken covers, the library's filters and live updates,
// barcode scanning on /add_book.
"use strict";

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

// Forms with data-confirm ask first; a yes says so to the server (confirm=yes), which otherwise
// answers with a page that asks (the same question without this script).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const message = form.dataset?.confirm;
  if (!message) return;
  if (!window.confirm(message)) { event.preventDefault(); return; }
  if (!form.querySelector('input[name="confirm"]')) {
    const yes = document.createElement("input");
    Object.assign(yes, { type: "hidden", name: "confirm", value: "yes" });
    form.append(yes);
  }
});

// The library's search and filter form sends only what is chosen, so the address stays short
// (/books?status=read rather than every parameter empty). Choices apply with the button: a
// select that navigated on change would move a keyboard user on at the first arrow key.
(function libraryFilters() {
  const form = document.getElementById("library-filters");
  if (!form) return;
  form.addEventListener("submit", () => {
    for (const field of form.elements) if (field.name && field.value === "") field.disabled = true;
  });
  // Back to this page from the browser's history: the fields are usable again.
  window.addEventListener("pageshow", () => { for (const field of form.elements) field.disabled = false; });
})();

// A cover that fails to load gives way to the placeholder under it; a broken address is not asked
// again when a live update brings the same card back.
const brokenCovers = new Set();
function dropBrokenCover(img) {
  brokenCovers.add(img.getAttribute("src"));
  img.remove();
}
// Error events do not bubble: listen in the capture phase, for covers added later too.
document.addEventListener("error", (event) => {
  const img = event.target;
  if (img instanceof HTMLImageElement && img.closest(".cover")) dropBrokenCover(img);
}, true);
// Covers that failed before this (deferred) script ran.
for (const img of document.querySelectorAll(".cover img")) {
  if (img.complete && img.naturalWidth === 0 && img.currentSrc) dropBrokenCover(img);
}

// While any book is PENDING, ask the server for the cards every 2 s and change only the cards that
// changed (matched by data-id): the others, their covers and the keyboard focus stay as they are.
(function liveLibrary() {
  const library = document.getElementById("library");
  if (!library) return;
  const served = new Map(); // data-id -> the card's HTML as the server last sent it
  const cardsOf = (list) => [...list.querySelectorAll(":scope > article.card[data-id]")];
  const list = () => library.querySelector(".cards");
  if (list()) for (const card of cardsOf(list())) served.set(card.dataset.id, card.outerHTML);
  const pending = () => library.querySelector('article.card[data-sync="PENDING"]') !== null;

  // Where the focus is, as something that survives a card being replaced: the card's id and the
  // control's data-control name.
  function focusPlace() {
    const focused = document.activeElement;
    const card = focused?.closest?.("#library article.card[data-id]");
    return { element: focused, id: card?.dataset.id, control: focused?.dataset?.control };
  }
  function restoreFocus(place) {
    if (!place.element || document.activeElement === place.element) return;
    if (place.element.isConnected) { place.element.focus({ preventScroll: true }); return; }
    const card = place.id && library.querySelector(`article.card[data-id="${CSS.escape(place.id)}"]`);
    if (!card) return;
    const control = (place.control && card.querySelector(`[data-control="${CSS.escape(place.control)}"]`))
      || card.querySelector("[data-control]");
    control?.focus({ preventScroll: true });
  }

  // A fresh card in place of `old`, keeping old's cover image when the address is the same (no
  // new request), and no image for an address that already failed.
  function replacement(fresh, old) {
    const card = document.importNode(fresh, true);
    const img = card.querySelector(".cover img");
    if (!img) return card;
    const src = img.getAttribute("src");
    const oldImg = old?.querySelector(".cover img");
    if (oldImg && oldImg.getAttribute("src") === src) img.replaceWith(oldImg);
    else if (brokenCovers.has(src)) img.remove();
    return card;
  }

  function apply(html) {
    const incoming = document.createElement("template");
    incoming.innerHTML = html; // a template's content is inert: nothing in it is fetched
    const current = list();
    const fresh = incoming.content.querySelector(".cards");
    if (!current || !fresh) { library.replaceChildren(incoming.content); return; }
    const place = focusPlace();
    const byId = new Map(cardsOf(current).map((card) => [card.dataset.id, card]));
    let previous = null;
    for (const card of cardsOf(fresh)) {
      const id = card.dataset.id;
      const html = card.outerHTML;
      let shown = byId.get(id);
      byId.delete(id);
      if (!shown || served.get(id) !== html) {
        const next = replacement(card, shown);
        if (shown) shown.replaceWith(next);
        shown = next;
        served.set(id, html);
      }
      const inPlace = previous ? previous.nextElementSibling === shown : current.firstElementChild === shown;
      if (!inPlace) { if (previous) previous.after(shown); else current.prepend(shown); }
      previous = shown;
    }
    for (const [id, gone] of byId) { gone.remove(); served.delete(id); }
    current.dataset.pending = fresh.dataset.pending;
    restoreFocus(place);
  }

  let lastTag = null;  // the API's ETag of the view when its cards were last applied
  async function refresh() {
    if (!pending()) return;
    try {
      // The API answers this view with an ETag over the reader's library version: the browser asks
      // with If-None-Match and gets 304 while nothing changed (no query, no bytes on the server's
      // side). Only a changed view fetches the cards, rendered by the server as the page was.
      const response = await fetch(library.dataset.apiUrl, {
        credentials: "same-origin", cache: "no-cache", headers: { Accept: "application/json" } });
      // 401: the session ended. Keep the cards shown and stop asking; the next click leads to the login page.
      if (response.status === 401) return;
      const tag = response.headers.get("ETag");
      if (response.ok && (tag === null || tag !== lastTag)) {
        const cards = await fetch(library.dataset.fragmentUrl, { credentials: "same-origin", cache: "no-cache" });
        if (cards.redirected) return;
        if (cards.ok) { apply(await cards.text()); lastTag = tag; }
      }
    } catch (_) { /* offline for a moment: try again next tick */ }
    setTimeout(refresh, 2000);
  }
  setTimeout(refresh, 2000);
})();

// Barcode scanning: BarcodeDetector where the browser has it, else frames go to the server;
// a photo input as the last resort; typing the ISBN always works.
(function scanner() {
  const start = document.getElementById("scanner-start");
  if (!start) return;
  const box = document.getElementById("scanner");
  const video = document.getElementById("scanner-video");
  const status = document.getElementById("scanner-status");
  const stop = document.getElementById("scanner-stop");
  const continuous = document.getElementById("scanner-continuous");
  const photo = document.getElementById("scanner-photo");
  const results = document.getElementById("scan-results");
  const isbnInput = document.getElementById("isbn");
  let stream = null, timer = null, busy = false, lastIsbn = "", lastAt = 0;

  const say = (text) => { status.textContent = text; };
  function report(kind, text) {
    const item = document.createElement("li");
    item.className = kind;
    item.textContent = text;
    results.prepend(item);
  }

  // The API: POST /api/v1/scan reads a photo's ISBN, POST /api/v1/books adds a book by ISBN.
  async function post(path, body, contentType) {
    const response = await fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": contentType, "X-CSRF-Token": csrfToken(), Accept: "application/json" }, body });
    let data = {};
    try { data = await response.json(); } catch (_) { data = {}; }
    const error = data.error?.message || (response.ok ? "" : "unexpected answer from the server");
    return { status: response.status, data, error };
  }
  const readPhoto = (blob) => post("/api/v1/scan", blob, blob.type || "image/jpeg");
  const addIsbn = (isbn) => post("/api/v1/books", JSON.stringify({ isbn }), "application/json");

  async function add(isbn) {
    const { status: code, error } = await addIsbn(isbn);
    lastIsbn = isbn; lastAt = Date.now();
    if (code === 201) report("added", "Added " + isbn);
    else if (code === 409) report("duplicate", isbn + " is already in your library");
    else report("failed", isbn + ": " + (error || "could not add"));
  }

  // An ISBN was read: fill the form, or in continuous mode add it at once.
  async function found(isbn) {
    const now = Date.now();
    if (isbn === lastIsbn && now - lastAt < 4000) { say("Already read ISBN " + isbn + "."); return; }
    lastIsbn = isbn; lastAt = now;
    if (!continuous.checked) {
      isbnInput.value = isbn;
      say("Found ISBN " + isbn + ". Check the form and press Add.");
      stopCamera();
      isbnInput.focus();
      return;
    }
    await add(isbn);
  }

  // A photo: in continuous mode it is added at once; otherwise its ISBN fills the form.
  async function sendImage(blob, lookupOnly = !continuous.checked) {
    const { status: code, data, error } = await readPhoto(blob);
    if (code !== 200 || !data.isbn) return error || "no barcode found";
    if (lookupOnly) return found(data.isbn);
    return add(data.isbn);
  }

  async function tick(detector) {
    if (!stream || busy || video.readyState < 2) return;
    busy = true;
    try {
      if (detector) {
        const codes = await detector.detect(video);
        const code = codes.find((c) => /^97[89]\d{10}$/.test(c.rawValue));
        if (code) await found(code.rawValue);
      } else {
        const canvas = document.createElement("canvas");
        const scale = Math.min(1, 1280 / video.videoWidth);
        canvas.width = video.videoWidth * scale; canvas.height = video.videoHeight * scale;
        canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
        const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
        // Frames only read the ISBN; found() skips repeats of the same book before adding it.
        if (blob) await sendImage(blob, true);
      }
    } catch (_) { /* a frame failed: the next one may work */ }
    busy = false;
  }

  function stopCamera() {
    clearInterval(timer); timer = null;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null; box.hidden = true;
  }

  start.addEventListener("click", async () => {
    if (!navigator.mediaDevices?.getUserMedia) { say("This browser cannot use the camera here; take a photo instead."); box.hidden = false; return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) { box.hidden = false; say("Camera not available (" + error.name + "). Take or upload a photo instead."); return; }
    video.srcObject = stream; box.hidden = false; await video.play();
    let detector = null;
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("ean_13")) detector = new window.BarcodeDetector({ formats: ["ean_13"] });
      } catch (_) { detector = null; }
    }
    say(detector ? "Point the camera at the barcode on the back cover." : "Point the camera at the barcode; frames are read by the server.");
    timer = setInterval(() => tick(detector), detector ? 250 : 900);
  });
  stop.addEventListener("click", stopCamera);

  // Phone photos are 10+ megapixels; a 2000-pixel copy reads as well and uploads far faster.
  async function shrink(file) {
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, 2000 / Math.max(bitmap.width, bitmap.height));
      if (scale === 1) return file;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return (await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9))) || file;
    } catch (_) { return file; }  // the server reads the original (or explains why it cannot)
  }

  photo.addEventListener("change", async () => {
    const file = photo.files?.[0];
    if (!file) return;
    say("Reading the photo…"); box.hidden = false;
    const problem = await sendImage(await shrink(file));
    if (problem) { say(problem); report("failed", file.name + ": " + problem); }
    else if (continuous.checked) say("Photo read. Add another, or open your library.");
    photo.value = "";
  });
})();
