// Booklib's page script: confirmations, live library updates, barcode scanning on /add_book.
"use strict";

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

// Forms with data-confirm ask first.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset?.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// While any book is PENDING, refresh the cards from the server every 2 s.
(function liveLibrary() {
  const library = document.getElementById("library");
  if (!library) return;
  const pending = () => library.querySelector('[data-sync="PENDING"]') !== null;
  async function refresh() {
    if (!pending()) return;
    try {
      const response = await fetch(library.dataset.fragmentUrl, { credentials: "same-origin" });
      // Redirected: the session ended and this is the login page, not the cards. Keep the cards
      // shown and stop asking; the next click leads to the login page.
      if (response.redirected) return;
      if (response.ok) library.innerHTML = await response.text();
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

  async function postScan(body, contentType, lookupOnly) {
    const response = await fetch("/scan_isbn" + (lookupOnly ? "?lookup=1" : ""), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": contentType, "X-CSRF-Token": csrfToken() }, body });
    let data = {};
    try { data = await response.json(); } catch (_) { data = { error: "unexpected answer from the server" }; }
    return { status: response.status, data };
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
    const { status: code, data } = await postScan(JSON.stringify({ isbn }), "application/json", false);
    if (code === 200) report("added", "Added " + isbn);
    else if (code === 409) report("duplicate", isbn + " is already in your library");
    else report("failed", isbn + ": " + (data.error || "could not add"));
  }

  // A photo: in continuous mode it is added at once; otherwise its ISBN fills the form.
  async function sendImage(blob, lookupOnly = !continuous.checked) {
    const { status: code, data } = await postScan(blob, blob.type || "image/jpeg", lookupOnly);
    if (data.isbn && (code === 200 || code === 409)) {
      if (lookupOnly) return found(data.isbn);
      lastIsbn = data.isbn; lastAt = Date.now();
      if (code === 200) report("added", "Added " + data.isbn);
      else report("duplicate", data.isbn + " is already in your library");
      return;
    }
    return data.error || "no barcode found";
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
