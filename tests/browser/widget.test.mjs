// The chat widget as a citizen uses it: Debian's Chromium (headless, driven by
// playwright-core) against the real Wegwijs service on an ephemeral port with
// a fresh SQLite file. Bookings by clicks, by typing in the other language,
// across a reload, by keyboard alone; a cancellation with the code; axe-core
// at a desktop and a phone size; text shown as text; network failure; CORS.
//
// Environment: WEGWIJS_BIN (default ../../build/wegwijs), SCREENSHOTS
// (default ../../build/screenshots), CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { axeClean, startService as startServiceOn } from "./support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.WEGWIJS_BIN || path.resolve(here, "../../build/wegwijs");
const SHOTS = process.env.SCREENSHOTS || path.resolve(here, "../../build/screenshots");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

let service; // { base, proc }
let embedder; // a page on another site: { server, port }
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wegwijs-browser-"));
const findings = []; // figures printed at the end

// --- the service and the browser --------------------------------------------

function startService(extraArgs) {
  return startServiceOn(BIN, path.join(tmp, `wegwijs-${Date.now()}.db`), extraArgs);
}

// A plain page on another site that embeds the widget with one tag. It
// listens first, so the service can be started with its origin allowed.
function startEmbedder() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another site</title>
<script src="${service.base}/widget.js" data-locale="en" data-service="${service.base}" defer></script>
</head><body><main><h1>Another site</h1></main></body></html>`);
    });
    server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port }));
  });
}

before(async () => {
  embedder = await startEmbedder();
  // Every tab is the same client address here: the hold limit per client
  // (10 a minute) is for the whole suite's bookings, not for one citizen.
  service = await startService([
    "--allow-origin",
    `http://127.0.0.1:${embedder.port}`,
    "--holds-per-client",
    "200",
  ]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (service) service.proc.kill("SIGTERM");
  if (embedder) embedder.server.close();
  for (const line of findings) console.log(line);
});

// A fresh tab (its own sessionStorage) that records every request it makes,
// every dialog it opens and every CSP complaint of the console.
async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.requests = [];
  page.dialogs = [];
  page.cspErrors = [];
  page.on("request", (r) => page.requests.push(r.url()));
  page.on("dialog", (d) => {
    page.dialogs.push(d.message());
    d.dismiss();
  });
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) page.cspErrors.push(m.text());
  });
  return page;
}

function assertOnlyService(page, also = []) {
  const allowed = [service.base, ...also];
  const foreign = page.requests.filter((u) => !allowed.some((a) => u.startsWith(a + "/")));
  assert.deepEqual(foreign, [], "every request goes to the Wegwijs service");
  assert.deepEqual(page.cspErrors, [], "nothing is refused by the Content-Security-Policy");
}

// --- the conversation, as a person does it -----------------------------------

// What the assistant shows: its messages, and the card of an appointment
// (which the messages that repeat it make way for).
const SHOWN = ".wegwijs-assistant, .wegwijs-card";
const bubbles = (page) => page.locator(SHOWN).count();

async function waitAnswer(page, before) {
  await page.waitForFunction(
    ([n, sel]) =>
      document.querySelectorAll(sel).length > n && document.querySelector(".wegwijs-typing").hidden,
    [before, SHOWN]
  );
}

// Does something and waits for the assistant's answer to it.
async function answered(page, action) {
  const n = await bubbles(page);
  await action();
  await waitAnswer(page, n);
}

async function openPanel(page, base = service.base) {
  await page.goto(base + "/");
  await answered(page, () => page.click(".wegwijs-launcher"));
}

async function tap(page, id) {
  await answered(page, () => page.locator(`.wegwijs-choice[data-choice="${id}"]`).click());
}

async function tapNth(page, prefix, index) {
  await answered(page, () =>
    page.locator(`.wegwijs-choice[data-choice^="${prefix}"]`).nth(index).click()
  );
}

async function type(page, text) {
  await answered(page, async () => {
    await page.fill("#wegwijs-input", text);
    await page.press("#wegwijs-input", "Enter");
  });
}

const lastBot = (page) => page.locator(".wegwijs-assistant").last();

async function expectCard(page, locale) {
  const card = page.locator(".wegwijs-card").last();
  await card.waitFor();
  assert.equal(await card.getAttribute("lang"), locale);
  const text = await card.innerText();
  const code = (await card.locator(".wegwijs-code strong").innerText()).trim();
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  assert.match(text, /2026/, "the card gives the day");
  assert.match(text, /\d\d:\d\d/, "the card gives the time");
  assert.ok((await card.locator(".wegwijs-bring li").count()) > 0, "the card says what to bring");
  const href = await card.locator("a.wegwijs-ics").getAttribute("href");
  assert.ok(href.startsWith(service.base + "/v1/chat/") && href.endsWith("/booking.ics"));
  const ics = await page.request.get(href);
  assert.equal(ics.status(), 200);
  assert.match(ics.headers()["content-type"], /text\/calendar/);
  const body = await ics.text();
  assert.match(body, /BEGIN:VEVENT/);
  assert.ok(body.includes(code), "the calendar file names the code");
  return { code, text, href };
}

// The path to a residence card appointment, by taps, up to the free times.
async function tapToSlots(page) {
  for (const id of ["loket", "residence_card", "expired", "yes", "book"]) await tap(page, id);
  await tapNth(page, "location.", 0);
  await tap(page, "people.1");
}

// From the free times on: a time, the details (typed: no button can give a
// name), no phone or a typed one, and yes.
async function tapToBooked(page, slot, name, email, phone) {
  await tapNth(page, "slot.", slot);
  await type(page, name);
  await type(page, email);
  if (phone) await type(page, phone);
  else await tap(page, "no_phone");
  await tap(page, "book_yes");
}

// --- scenarios ---------------------------------------------------------------

let firstBooking; // { code, email, href }
let englishBooking; // { code, email }: kept, never cancelled

test("a booking by clicking the choices, in Dutch", async () => {
  const page = await newPage();
  await openPanel(page);
  assert.equal(await page.locator(".wegwijs-panel").getAttribute("role"), "dialog");
  assert.ok(await page.locator(".wegwijs-panel").getAttribute("aria-labelledby"));
  // New messages are announced: they land in a polite live region.
  assert.equal(await page.locator(".wegwijs-log").getAttribute("role"), "log");
  assert.equal(await page.locator(".wegwijs-log").getAttribute("aria-live"), "polite");
  assert.equal(await page.locator(".wegwijs-log .wegwijs-assistant").count(), await page.locator(".wegwijs-assistant").count());
  assert.equal(await lastBot(page).getAttribute("lang"), "nl");
  await tapToSlots(page);
  await tapToBooked(page, 1, "Amina Haddad", "amina@example.org");
  const card = await expectCard(page, "nl");
  assert.match(card.text, /Je afspraak/);
  firstBooking = { code: card.code, email: "amina@example.org", href: card.href };
  // The card passes axe too.
  await axeClean(page, "desktop, with a booking card");
  assertOnlyService(page);
  await page.context().close();
});

test("a booking by typing only, in English on a Dutch page", async () => {
  const page = await newPage();
  await openPanel(page);
  await type(page, "My residence card has expired and I need a new one");
  assert.equal(await lastBot(page).getAttribute("lang"), "en");
  assert.equal(await page.locator(".wegwijs").getAttribute("lang"), "en", "the controls follow");
  assert.equal(await page.locator(".wegwijs-send").innerText(), "Send");
  for (const text of [
    "yes",
    "I want to book an appointment",
    "Gentbrugge",
    "just me",
    "Wednesday at 10:30",
    "John Peeters",
    "john@example.org",
    "no",
    "yes",
  ])
    await type(page, text);
  const card = await expectCard(page, "en");
  assert.match(card.text, /Your appointment/);
  assert.match(card.text, /10:30/);
  englishBooking = { code: card.code, email: "john@example.org" };
  assertOnlyService(page);
  await page.context().close();
});

test("a reload mid-way goes on with the same conversation", async () => {
  const page = await newPage();
  await openPanel(page);
  await tap(page, "loket");
  await tap(page, "residence_card");
  const before = await page.locator(".wegwijs-msg").allInnerTexts();
  await page.reload();
  await page.locator(".wegwijs-choice[data-choice='expired']").waitFor();
  assert.equal(await page.locator(".wegwijs-panel").isVisible(), true, "the panel stays open");
  const afterReload = await page.locator(".wegwijs-msg").allInnerTexts();
  assert.deepEqual(afterReload, before, "the transcript is shown again, the same");
  // Navigation within the site keeps it too; the old choices are not offered twice.
  await page.goto(service.base + "/");
  await page.locator(".wegwijs-choice[data-choice='expired']").waitFor();
  assert.equal(await page.locator(".wegwijs-choices").count(), 1);
  for (const id of ["expired", "yes", "book"]) await tap(page, id);
  await tapNth(page, "location.", 1);
  await tap(page, "people.1");
  await tapToBooked(page, 2, "Sara Janssens", "sara@example.org", "0470 12 34 56");
  await expectCard(page, "nl");
  // A new tab starts fresh.
  const other = await page.context().newPage();
  await other.goto(service.base + "/");
  await other.click(".wegwijs-launcher");
  await other.locator(".wegwijs-choice[data-choice='loket']").waitFor();
  assert.equal(await other.locator(".wegwijs-citizen").count(), 0);
  assertOnlyService(page);
  await page.context().close();
});

// Presses Tab (or Shift+Tab) until the focused element fits, at most 60 times.
async function tabTo(page, selector, back = false) {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector))
      return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error("the keyboard cannot reach " + selector);
}

// A choice by keyboard: forwards from a choice, backwards from the text field.
async function keyChoice(page, id) {
  const sel = `.wegwijs-choice[data-choice^="${id}"]`;
  const inField = await page.evaluate(() => document.activeElement.id === "wegwijs-input");
  await answered(page, async () => {
    await tabTo(page, sel, inField);
    await page.keyboard.press("Enter");
  });
}

async function keyType(page, text) {
  await answered(page, async () => {
    await tabTo(page, "#wegwijs-input");
    await page.keyboard.type(text);
    await page.keyboard.press("Enter");
  });
}

test("a whole booking with the keyboard only", async () => {
  const page = await newPage();
  await page.goto(service.base + "/");
  await tabTo(page, ".wegwijs-launcher");
  const n = await bubbles(page);
  await page.keyboard.press("Enter");
  assert.ok(await page.evaluate(() => document.activeElement.id === "wegwijs-input"), "opening focuses the text field");
  await waitAnswer(page, n);
  // Escape closes the panel and gives the focus back to the launcher.
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".wegwijs-panel").isVisible(), false);
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains("wegwijs-launcher")));
  assert.equal(await page.locator(".wegwijs-launcher").getAttribute("aria-expanded"), "false");
  await page.keyboard.press("Enter");
  assert.equal(await page.locator(".wegwijs-launcher").getAttribute("aria-expanded"), "true");
  // The choices are reached backwards from the text field.
  await answered(page, async () => {
    await tabTo(page, '.wegwijs-choice[data-choice="loket"]', true);
    await page.keyboard.press("Enter");
  });
  // After a choice the focus is on the next choices.
  for (const id of ["residence_card", "expired", "yes", "book", "location.", "people.1"])
    await keyChoice(page, id);
  await answered(page, async () => {
    await tabTo(page, '.wegwijs-choice[data-choice^="slot."]');
    await page.keyboard.press("Tab"); // the second free time
    await page.keyboard.press("Tab"); // the third
    await page.keyboard.press("Enter");
  });
  assert.ok(await page.evaluate(() => document.activeElement.id === "wegwijs-input"), "no choices: the text field");
  await keyType(page, "Kees de Keyser");
  await keyType(page, "kees@example.org");
  await keyChoice(page, "no_phone");
  await keyChoice(page, "book_yes");
  await expectCard(page, "nl");
  await tabTo(page, "a.wegwijs-ics");
  // Focus is visible: the focused control draws a ring.
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== "none" || s.boxShadow !== "none";
  });
  assert.ok(ring, "the focused control shows it");
  await page.screenshot({ path: path.join(SHOTS, "keyboard-booking-1280x800.png") });
  assertOnlyService(page);
  await page.context().close();
});

test("a cancellation with the code", async () => {
  assert.ok(firstBooking, "the first scenario made a booking");
  const page = await newPage();
  await openPanel(page);
  await type(page, "Ik wil mijn afspraak annuleren");
  await type(page, firstBooking.code);
  await type(page, firstBooking.email);
  assert.match(await page.locator(".wegwijs-log").innerText(), new RegExp(firstBooking.code));
  await tap(page, "cancel_yes");
  assert.match(await lastBot(page).innerText(), /geannuleerd/);
  // The calendar file of a cancelled appointment is gone.
  const ics = await page.request.get(firstBooking.href);
  assert.equal(ics.status(), 404);
  assertOnlyService(page);
  await page.context().close();
});

test("the language switch and start again", async () => {
  const page = await newPage();
  await openPanel(page);
  await tap(page, "loket");
  await answered(page, () => page.getByRole("button", { name: "EN", exact: true }).click());
  assert.equal(await page.locator(".wegwijs-lang[data-locale='en']").getAttribute("aria-pressed"), "true");
  assert.equal(await lastBot(page).getAttribute("lang"), "en");
  assert.match(await lastBot(page).innerText(), /counter/, "the question comes again, in English");
  assert.ok(await page.locator(".wegwijs-choice[data-choice='residence_card']").isVisible());
  await answered(page, () => page.locator(".wegwijs-restart").click());
  assert.ok(await page.locator(".wegwijs-choice[data-choice='infopunt']").isVisible(), "back at the first question");
  assert.equal(await page.locator(".wegwijs-citizen .wegwijs-text").last().innerText(), "Start again");
  await page.context().close();
});

test("text typed by the citizen is shown as text and runs nothing", async () => {
  const page = await newPage();
  await openPanel(page);
  const evil = "<img src=x onerror=alert(1)>";
  await type(page, evil);
  const mine = page.locator(".wegwijs-citizen .wegwijs-text").last();
  assert.equal(await mine.innerText(), evil);
  assert.equal(await page.locator(".wegwijs img").count(), 0);
  await page.waitForTimeout(200);
  assert.deepEqual(page.dialogs, [], "no alert was opened");
  // Reloaded from the service, it is still text.
  await page.reload();
  await page.locator(".wegwijs-citizen").first().waitFor();
  assert.equal(await page.locator(".wegwijs-citizen .wegwijs-text").last().innerText(), evil);
  assert.equal(await page.locator(".wegwijs img").count(), 0);
  assert.deepEqual(page.dialogs, []);
  assertOnlyService(page);
  await page.context().close();
});

test("a failed request is retried once, then the citizen may retry; nothing typed is lost", async () => {
  const page = await newPage();
  await openPanel(page);
  let attempts = 0;
  await page.route("**/v1/chat", (route) => {
    attempts += 1;
    route.abort("connectionreset");
  });
  await page.fill("#wegwijs-input", "Mijn verblijfskaart is vervallen");
  await page.press("#wegwijs-input", "Enter");
  await page.locator(".wegwijs-error").waitFor();
  assert.equal(attempts, 2, "one try and one retry");
  // The words stay on screen, marked as not sent; the field is empty again.
  assert.equal(await page.inputValue("#wegwijs-input"), "", "what was sent left the field");
  const unsent = page.locator(".wegwijs-citizen.wegwijs-unsent");
  assert.equal(await unsent.count(), 1);
  assert.match(await unsent.innerText(), /Mijn verblijfskaart is vervallen.*Niet verstuurd/s);
  assert.equal(await page.locator(".wegwijs-retry").isVisible(), true);
  await axeClean(page, "the error state");
  await page.screenshot({ path: path.join(SHOTS, "error-1280x800.png") });
  await page.unroute("**/v1/chat");
  await answered(page, () => page.click(".wegwijs-retry"));
  assert.equal(await page.locator(".wegwijs-error").isVisible(), false);
  assert.equal(await page.locator(".wegwijs-unsent").count(), 0, "sent now");
  assert.equal(
    await page.locator(".wegwijs-citizen .wegwijs-text").last().innerText(),
    "Mijn verblijfskaart is vervallen"
  );
  await page.context().close();
});

test("after a failure and a retry, the next answer is sent alone, never joined", async () => {
  // What happened to a citizen: "Benali" failed, was retried, stayed in the
  // field, and the e-mail typed after it became "Benalifatima.benali@...".
  const page = await newPage();
  await openPanel(page);
  for (const id of ["loket", "residence_card", "expired", "yes", "book"]) await tap(page, id);
  await tapNth(page, "location.", 0);
  await tap(page, "people.1");
  await tapNth(page, "slot.", 0);
  let fail = true;
  await page.route("**/v1/chat", (route) => (fail ? route.abort("connectionreset") : route.continue()));
  await page.fill("#wegwijs-input", "Fatima Benali");
  await page.press("#wegwijs-input", "Enter");
  await page.locator(".wegwijs-error").waitFor();
  fail = false;
  await answered(page, () => page.click(".wegwijs-retry"));
  assert.equal(await page.inputValue("#wegwijs-input"), "");
  await type(page, "fatima.benali@example.org");
  await tap(page, "no_phone");
  const summary = await lastBot(page).innerText();
  assert.match(summary, /Naam: Fatima Benali\n/);
  assert.match(summary, /E-mail: fatima\.benali@example\.org/);
  // Typing something else instead of retrying drops the unsent words.
  fail = true;
  await page.fill("#wegwijs-input", "nee");
  await page.press("#wegwijs-input", "Enter");
  await page.locator(".wegwijs-error").waitFor();
  fail = false;
  await type(page, "ja");
  assert.equal(await page.locator(".wegwijs-unsent").count(), 0);
  assert.equal(await page.locator(".wegwijs-citizen .wegwijs-text").last().innerText(), "ja");
  await expectCard(page, "nl");
  await page.unroute("**/v1/chat");
  await page.context().close();
});

test("when the service cannot store a turn, the widget says what the service said", async () => {
  const page = await newPage();
  await openPanel(page);
  // The answer the service gives on a full disk (tests/fault_test.py makes it for real).
  const message = "We kunnen je bericht nu niet bewaren door een storing bij ons.";
  await page.route("**/v1/chat", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "storage_unavailable", message } }),
    })
  );
  await page.fill("#wegwijs-input", "Mijn verblijfskaart is vervallen");
  await page.press("#wegwijs-input", "Enter");
  await page.locator(".wegwijs-error").waitFor();
  assert.equal(await page.locator(".wegwijs-error span").innerText(), message);
  assert.equal(await page.inputValue("#wegwijs-input"), "");
  assert.equal(await page.locator(".wegwijs-unsent").count(), 1);
  await page.unroute("**/v1/chat");
  await answered(page, () => page.click(".wegwijs-retry"));
  assert.equal(await page.locator(".wegwijs-error").isVisible(), false);
  // The next failure is the plain one again, not the storage sentence.
  assert.notEqual(await page.locator(".wegwijs-error span").innerText(), message);
  await page.context().close();
});

test("a page on an allowed site embeds the widget; another site is refused", async () => {
  const allowed = `http://127.0.0.1:${embedder.port}`;
  const page = await newPage();
  await openPanel(page, allowed);
  assert.equal(await lastBot(page).getAttribute("lang"), "en");
  await tap(page, "loket");
  assertOnlyService(page, [allowed]);
  await page.context().close();

  const refused = `http://localhost:${embedder.port}`; // another origin, not on the list
  const other = await newPage();
  await other.goto(refused + "/");
  await other.click(".wegwijs-launcher");
  await other.locator(".wegwijs-error").waitFor();
  assert.equal(await other.locator(".wegwijs-assistant").count(), 0);
  await other.context().close();
});

// --- the widget's controls, the card, the layout (issue #20) ------------------

// Every button and every link that stands on its own (not one inside a
// sentence) is at least 44x44 CSS pixels.
async function targetsLargeEnough(page, where) {
  const small = await page.evaluate(() => {
    const out = [];
    for (const n of document.querySelectorAll(".wegwijs button, .wegwijs a")) {
      if (n.closest(".wegwijs-text")) continue; // a link in a sentence
      const r = n.getBoundingClientRect();
      if (!r.width && !r.height) continue; // not shown
      if (r.width < 43.5 || r.height < 43.5)
        out.push(`${n.className || n.tagName} "${n.textContent.trim().slice(0, 20)}" ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
    }
    return out;
  });
  assert.deepEqual(small, [], `controls under 44x44 at ${where}`);
}

// The top of the first message of the last reply is in view in the log.
async function replyReadFromStart(page, where) {
  const seen = await page.evaluate((sel) => {
    const log = document.querySelector(".wegwijs-log");
    const nodes = [...log.children];
    let i = nodes.length - 1;
    while (i > 0 && !nodes[i - 1].classList.contains("wegwijs-citizen")) i--;
    const first = nodes.find((n, k) => k >= i && n.matches(sel));
    if (!first) return { ok: true };
    const lr = log.getBoundingClientRect();
    const fr = first.getBoundingClientRect();
    return { ok: fr.top >= lr.top - 1 && fr.top < lr.bottom - 20, top: fr.top - lr.top };
  }, SHOWN);
  assert.ok(seen.ok, `the new reply starts in view at ${where} (its top is ${seen.top} px from the log's)`);
}

for (const [name, viewport] of [
  ["phone", { width: 375, height: 667 }],
  ["desktop", { width: 1280, height: 800 }],
]) {
  test(`every step of a booking at ${viewport.width}x${viewport.height}: axe, targets, reading order, screenshots`, async () => {
    const page = await newPage({ viewport, isMobile: name === "phone", hasTouch: name === "phone" });
    let step = 0;
    const size = `${viewport.width}x${viewport.height}`;
    const check = async (what) => {
      step += 1;
      await axeClean(page, `${name}, step ${step} (${what})`);
      await targetsLargeEnough(page, `${name}, step ${step} (${what})`);
      await replyReadFromStart(page, `${name}, step ${step} (${what})`);
      await page.screenshot({ path: path.join(SHOTS, `booking-${size}-${String(step).padStart(2, "0")}-${what}.png`) });
    };
    await openPanel(page);
    // The privacy notice comes before the first question, with the retention.
    const first = page.locator(".wegwijs-log > *").first();
    assert.equal(await first.getAttribute("class"), "wegwijs-privacy");
    assert.match(await first.innerText(), /30 dagen/);
    if (name === "phone") {
      const head = await page.locator(".wegwijs-head").boundingBox();
      assert.ok(head.height < 0.12 * viewport.height, `the header is ${head.height} px high`);
    }
    await check("welcome");
    for (const id of ["loket", "residence_card", "expired", "yes"]) {
      await tap(page, id);
      await check(id);
    }
    assert.equal(await page.locator('.wegwijs-choice[data-choice="book"]').getAttribute("class"), "wegwijs-choice wegwijs-primary");
    await tap(page, "book");
    await check("place");
    await tapNth(page, "location.", 0);
    await check("people");
    await tap(page, "people.1");
    // The times: a grid per day, apart from "later" and "another day".
    const days = page.locator(".wegwijs-day");
    assert.ok((await days.count()) >= 1);
    assert.match(await days.first().locator(".wegwijs-day-name").innerText(), /2026/);
    const time = days.first().locator(".wegwijs-times .wegwijs-choice").first();
    assert.match(await time.innerText(), /^\d\d:\d\d$/);
    assert.match(await time.getAttribute("aria-label"), /\d\d:\d\d/);
    assert.equal(await page.locator('.wegwijs-more .wegwijs-choice[data-choice="later"]').count(), 1);
    assert.equal(await page.locator('.wegwijs-more .wegwijs-choice[data-choice="another_day"]').count(), 1);
    await check("times");
    await tapNth(page, "slot.", 0);
    // Before the details: what is kept and who sees it; the hold counts down.
    assert.match(await page.locator(".wegwijs-log").innerText(), /Je naam, e-mailadres en telefoonnummer gebruiken we/);
    const hold = page.locator(".wegwijs-hold");
    assert.ok(await hold.isVisible(), "the hold's countdown shows");
    const t1 = await hold.innerText();
    assert.match(t1, /\b(10:00|9:5\d)\b/);
    await page.waitForTimeout(1100);
    assert.notEqual(await hold.innerText(), t1, "and it counts down");
    assert.equal(await page.getAttribute("#wegwijs-input", "autocomplete"), "name");
    await check("name");
    await type(page, "Amal Haddad");
    assert.equal(await page.getAttribute("#wegwijs-input", "type"), "email");
    assert.equal(await page.getAttribute("#wegwijs-input", "autocomplete"), "email");
    await check("email");
    await type(page, `amal.${name}@example.org`);
    assert.equal(await page.getAttribute("#wegwijs-input", "type"), "tel");
    assert.equal(await page.getAttribute("#wegwijs-input", "autocomplete"), "tel");
    await check("phone");
    await tap(page, "no_phone");
    assert.equal(await page.getAttribute("#wegwijs-input", "type"), "text");
    assert.match(await page.locator('.wegwijs-choice[data-choice="book_yes"]').getAttribute("class"), /wegwijs-primary/);
    assert.match(await page.locator('.wegwijs-choice[data-choice="stop_booking"]').getAttribute("class"), /wegwijs-secondary/);
    await check("summary");
    await tap(page, "book_yes");
    assert.ok(!(await hold.isVisible()), "no countdown once booked");
    const card = await expectCard(page, "nl");
    // The card first, and no bubble that repeats it.
    const afterYes = await page.evaluate(() => {
      const nodes = [...document.querySelector(".wegwijs-log").children];
      const yes = nodes.map((n) => n.classList.contains("wegwijs-citizen")).lastIndexOf(true);
      return nodes.slice(yes + 1).map((n) => n.className);
    });
    assert.match(afterYes[0], /wegwijs-card/, "the card comes first");
    // The sentence of the confirmation is the card's title, not a bubble too.
    assert.equal(await page.locator(".wegwijs-assistant", { hasText: "Je afspraak is geboekt" }).count(), 0);
    assert.match(card.text, /Schrijf deze code op/);
    assert.match(await page.locator(".wegwijs-card a.wegwijs-map").getAttribute("href"), /^https:\/\/www\.openstreetmap\.org\/search\?query=/);
    assert.equal(await page.locator('.wegwijs-card button[data-choice="cancel_booking"]').count(), 1);
    assert.equal(await page.locator('.wegwijs-card button[data-choice="move_booking"]').count(), 1);
    await check("booked");
    // The card's move button: the times, one, a yes, and the card again.
    await answered(page, () => page.locator('.wegwijs-card button[data-choice="move_booking"]').click());
    await check("move");
    await tapNth(page, "slot.", 2);
    if (await page.locator('.wegwijs-choice[data-choice="move_yes"]').count()) {
      assert.match(await page.locator('.wegwijs-choice[data-choice="move_yes"]').getAttribute("class"), /wegwijs-primary/);
      await check("move-summary");
      await tap(page, "move_yes");
    }
    const moved = page.locator(".wegwijs-card").last();
    assert.match(await moved.locator("h3").innerText(), /verplaatst/);
    assert.equal((await moved.locator(".wegwijs-code strong").innerText()).trim(), card.code, "the code stays");
    await check("moved");
    // The card's cancel button cancels this appointment, with a yes.
    await answered(page, () => page.locator('.wegwijs-card').last().locator('button[data-choice="cancel_booking"]').click());
    assert.ok(await page.locator('.wegwijs-choice[data-choice="cancel_yes"]').isVisible());
    assert.match(await page.locator('.wegwijs-choice[data-choice="cancel_yes"]').getAttribute("class"), /wegwijs-primary/);
    await check("cancel");
    await tap(page, "cancel_yes");
    assert.match(await lastBot(page).innerText(), /geannuleerd/);
    await check("cancelled");
    assertOnlyService(page);
    await page.context().close();
  });
}

test("the header's controls are commands at every question, never an answer", async () => {
  const page = await newPage();
  await openPanel(page);
  // At the very start of a Dutch chat, start again stays Dutch.
  await answered(page, () => page.locator(".wegwijs-restart").click());
  assert.equal(await lastBot(page).getAttribute("lang"), "nl");
  assert.equal(await page.locator(".wegwijs").getAttribute("lang"), "nl");
  for (const id of ["loket", "residence_card", "expired", "yes", "book"]) await tap(page, id);
  await tapNth(page, "location.", 0);
  await tap(page, "people.1");
  // At the times: a person, then the times again.
  await answered(page, () => page.locator(".wegwijs-human").click());
  assert.match(await page.locator(".wegwijs-assistant").nth(-2).innerText(), /Gentinfo/);
  assert.ok((await page.locator('.wegwijs-choice[data-choice^="slot."]').count()) > 0, "the times are still on offer");
  await tapNth(page, "slot.", 0);
  // At the name question: start again starts again; it is not a name.
  await answered(page, () => page.locator(".wegwijs-restart").click());
  assert.ok(await page.locator('.wegwijs-choice[data-choice="infopunt"]').isVisible(), "back at the first question");
  assert.doesNotMatch(await page.locator(".wegwijs-log").innerText(), /Naam: /);
  assert.equal(await page.locator(".wegwijs-hold").isVisible(), false, "the hold is let go");
  await page.context().close();
});

test("talk to a person: tappable phone and e-mail links, made from text only", async () => {
  const page = await newPage();
  await openPanel(page);
  await tap(page, "loket");
  await answered(page, () => page.locator(".wegwijs-human").click());
  const links = page.locator(".wegwijs-assistant a");
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.some((h) => /^tel:\+?\d{9,}$/.test(h)), `a phone link: ${hrefs}`);
  assert.ok(hrefs.some((h) => /^mailto:[^@]+@stad\.gent$/.test(h)), `an e-mail link: ${hrefs}`);
  for (const h of hrefs) assert.match(h, /^(tel:|mailto:|https:\/\/)/, "only safe schemes");
  // What the citizen types is never made a link, nor HTML.
  await type(page, "javascript:alert(1) or mail x@example.org");
  assert.equal(await page.locator(".wegwijs-citizen a").count(), 0);
  await axeClean(page, "with links in a message");
  await page.context().close();
});

test("on a phone the open panel is modal: the page behind is inert, the focus stays inside", async () => {
  const page = await newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  await openPanel(page);
  assert.equal(await page.locator(".wegwijs-panel").getAttribute("aria-modal"), "true");
  assert.equal(await page.evaluate(() => document.querySelector("main").inert), true);
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press(i % 3 ? "Tab" : "Shift+Tab");
    assert.ok(
      await page.evaluate(() => document.querySelector(".wegwijs-panel").contains(document.activeElement)),
      "the focus stays in the panel"
    );
  }
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.querySelector("main").inert), false, "closed: the page is back");
  // On a desktop the page stays usable beside the panel.
  const desk = await newPage();
  await openPanel(desk);
  assert.equal(await desk.evaluate(() => document.querySelector("main").inert), false);
  assert.equal(await desk.locator(".wegwijs-panel").getAttribute("aria-modal"), "false");
  await desk.context().close();
  await page.context().close();
});

test("a conversation that is gone says so after a reload, instead of starting silently", async () => {
  const page = await newPage();
  await openPanel(page);
  await tap(page, "loket");
  // The session is gone on the service (expired and purged): a reload tells.
  await page.evaluate(() => {
    for (const k of Object.keys(sessionStorage)) {
      const v = JSON.parse(sessionStorage.getItem(k));
      v.sid = "0123456789abcdef0123456789abcdef";
      sessionStorage.setItem(k, JSON.stringify(v));
    }
  });
  await page.reload();
  await page.locator(".wegwijs-assistant").first().waitFor();
  await page.locator('.wegwijs-choice[data-choice="infopunt"]').waitFor();
  assert.match(await page.locator(".wegwijs-assistant").first().innerText(), /eerdere gesprek|earlier conversation/i);
  await page.context().close();
});

test("a second appointment with the same e-mail address tells nothing about the first", async () => {
  assert.ok(englishBooking, "the English scenario made a booking");
  const page = await newPage();
  await openPanel(page);
  await tapToSlots(page);
  await tapToBooked(page, 3, "Someone Else", englishBooking.email);
  const card = await expectCard(page, "nl");
  assert.notEqual(card.code, englishBooking.code);
  const log = await page.locator(".wegwijs-log").innerText();
  assert.doesNotMatch(log, new RegExp(englishBooking.code));
  assert.doesNotMatch(log, /al een afspraak|already/i);
  await page.context().close();
});

// --- accessibility, sizes, speed ----------------------------------------------


for (const [name, viewport] of [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 375, height: 667 }],
]) {
  test(`axe finds nothing with the panel open at ${viewport.width}x${viewport.height}`, async () => {
    const page = await newPage({ viewport, isMobile: name === "phone", hasTouch: name === "phone" });
    await page.goto(service.base + "/");
    await page.screenshot({ path: path.join(SHOTS, `page-${viewport.width}x${viewport.height}.png`) });
    await answered(page, () => page.click(".wegwijs-launcher"));
    await tap(page, "loket");
    await axeClean(page, name);
    const box = await page.locator(".wegwijs-panel").boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width + 0.5, "the panel fits the width");
    await page.screenshot({ path: path.join(SHOTS, `panel-${viewport.width}x${viewport.height}.png`) });
    assertOnlyService(page);
    await page.context().close();
  });
}

test("at 320 px wide and at 200% zoom everything stays usable", async () => {
  // 200% zoom of a 1280x800 window is a 640x400 CSS pixel viewport.
  for (const viewport of [
    { width: 320, height: 568 },
    { width: 640, height: 400 },
  ]) {
    const page = await newPage({ viewport });
    await openPanel(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${viewport.width} px (${overflow})`);
    for (const sel of [".wegwijs-close", ".wegwijs-restart", "#wegwijs-input", ".wegwijs-send"]) {
      const b = await page.locator(sel).boundingBox();
      assert.ok(b && b.x >= 0 && b.x + b.width <= viewport.width + 0.5 && b.y + b.height <= viewport.height + 0.5,
        `${sel} is on screen at ${viewport.width}x${viewport.height}`);
    }
    await tap(page, "loket");
    await page.screenshot({ path: path.join(SHOTS, `panel-${viewport.width}x${viewport.height}.png`) });
    await page.context().close();
  }
});

test("reduced motion turns the animations off", async () => {
  const page = await newPage({ reducedMotion: "reduce" });
  await page.goto(service.base + "/");
  await page.click(".wegwijs-launcher");
  const animation = await page.evaluate(() => getComputedStyle(document.querySelector(".wegwijs-panel")).animationName);
  assert.equal(animation, "none");
  await page.context().close();
});

test("the widget is small, served with a strict policy, and opens fast", async () => {
  const sizes = {};
  for (const file of ["widget.js", "widget.css"]) {
    const res = await fetch(`${service.base}/${file}`);
    assert.equal(res.status, 200);
    const body = Buffer.from(await res.arrayBuffer());
    sizes[file] = zlib.gzipSync(body, { level: 9 }).length;
  }
  const total = sizes["widget.js"] + sizes["widget.css"];
  assert.ok(total < 30 * 1024, `widget.js + widget.css gzipped: ${total} bytes`);
  const page_ = await fetch(service.base + "/");
  const csp = page_.headers.get("content-security-policy");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);

  // The first open: to the next frame with the panel shown, and to the
  // welcome from the service; then four more opens of a panel already filled.
  const page = await newPage();
  await page.goto(service.base + "/");
  await page.locator(".wegwijs-launcher").waitFor();
  const open = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const t0 = performance.now();
          document.querySelector(".wegwijs-launcher").click();
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              const frame = performance.now() - t0;
              const done = () => resolve({ frame, welcome: performance.now() - t0 });
              if (document.querySelector(".wegwijs-assistant")) return done();
              new MutationObserver((_, observer) => {
                if (!document.querySelector(".wegwijs-assistant")) return;
                observer.disconnect();
                done();
              }).observe(document.querySelector(".wegwijs-log"), { childList: true });
            })
          );
        })
    );
  const first = await open();
  const frames = [first.frame];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Escape");
    frames.push((await open()).frame);
  }
  frames.sort((a, b) => a - b);
  findings.push(
    `widget size: widget.js ${sizes["widget.js"]} B + widget.css ${sizes["widget.css"]} B gzipped = ${total} B (limit 30720)`,
    `panel open, click to the next frame: first ${first.frame.toFixed(1)} ms, median of 5 ${frames[2].toFixed(1)} ms; ` +
      `click to the welcome shown: ${first.welcome.toFixed(1)} ms (headless Chromium, this machine)`
  );
  assertOnlyService(page);
  await page.context().close();
});
