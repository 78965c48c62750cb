// The staff area as a clerk and a coordinator use it, in Debian's Chromium
// against the real service with accounts made by `wegwijs staff add`:
// a wrong password, a login by keyboard alone, the list and a search, a
// transcript that opens at its latest turn with personal data masked, a
// reveal with a reason and its audit entry, a reviewer without admin
// controls, the misunderstood inbox, an annotation, a review mark, the
// filters, a masked export, the dashboard's charts, one person's data found,
// handed over and erased, throttling, CSRF refused, an expired session,
// logout. axe-core finds nothing on any page at 1280x800 and 375x667;
// screenshots of each page go to SCREENSHOTS/staff-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { axeClean, startService } from "./support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.WEGWIJS_BIN || path.resolve(here, "../../build/wegwijs");
const SHOTS = process.env.SCREENSHOTS || path.resolve(here, "../../build/screenshots");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ADMIN = ["ann", "correct horse battery staple"];
const REVIEWER = ["bob", "a reviewer passphrase"];
const SIZES = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 375, height: 667 }],
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wegwijs-staff-browser-"));
const db = path.join(tmp, "wegwijs.db");
let service;
let browser;

function addAccount([name, password], role) {
  const r = spawnSync(BIN, ["staff", "add", name, "--role", role, "--db", db], {
    input: password + "\n",
  });
  assert.equal(r.status, 0, r.stderr.toString());
}

async function chat(body) {
  const r = await fetch(service.base + "/v1/chat", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return r.json();
}

// A booking in the chat, with personal details to be masked.
async function bookOne() {
  let r = await chat({ text: "Mijn verblijfskaart is vervallen en ik heb een brief" });
  const sid = r.session_id;
  for (const step of [{ choice: "yes" }, { choice: "book" }]) r = await chat({ session_id: sid, ...step });
  const loc = r.messages.flatMap((m) => m.choices || []).find((c) => c.id.startsWith("location."));
  if (loc) r = await chat({ session_id: sid, choice: loc.id });
  for (const text of ["1", "woensdag om 10:30", "Fatima Benali", "fatima.benali@example.org", "0470 12 34 56", "ja"])
    r = await chat({ session_id: sid, text });
  assert.ok(r.booking && r.booking.code, "the booking was made");
  return { sid, code: r.booking.code };
}

before(async () => {
  addAccount(ADMIN, "admin");
  addAccount(REVIEWER, "reviewer");
  service = await startService(BIN, db);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync", "--no-first-run"],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (service) service.proc.kill("SIGTERM");
});


async function newPage(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  // Script errors and CSP complaints; not the browser's notes on answers
  // such as the 401 of a page opened before login.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.problems = problems;
  return page;
}

// Logs in by keyboard alone: Tab to each field, type, Enter.
async function loginByKeyboard(page, [name, password]) {
  await page.goto(service.base + "/staff/");
  await page.waitForSelector("#name");
  await page.keyboard.press("Tab"); // the skip link, then the fields in order
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== "name" && guard++ < 10)
    await page.keyboard.press("Tab");
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
}

test("a wrong password is said, and the page stays usable", async () => {
  const page = await newPage({ width: 1280, height: 800 });
  await page.goto(service.base + "/staff/");
  await page.fill("#name", ADMIN[0]);
  await page.fill("#password", "not the password at all");
  await page.click("button[type=submit]");
  await page.waitForFunction(() => document.getElementById("login-error").textContent !== "");
  assert.match(await page.textContent("#login-error"), /klopt niet/);
  assert.equal(await page.inputValue("#password"), "", "the password field is emptied");
  await axeClean(page, "login with an error");
  assert.deepEqual(page.problems, []);
});

test("an admin reviews a booking by keyboard: list, search, transcript masked, reveal, audit", async () => {
  const { sid, code } = await bookOne();
  await chat({ text: "Ik heb een vraag over gezinshereniging, café" });
  for (const [name, viewport] of SIZES) {
    const page = await newPage(viewport);
    await page.goto(service.base + "/staff/");
    await page.waitForSelector("#name");
    await axeClean(page, `login ${name}`);
    await page.screenshot({ path: path.join(SHOTS, `staff-login-${viewport.width}x${viewport.height}.png`) });

    await loginByKeyboard(page, ADMIN);
    await page.waitForSelector("table tbody tr a");
    assert.equal(await page.locator("table tbody tr").count(), 2);
    await axeClean(page, `list ${name}`);
    await page.screenshot({ path: path.join(SHOTS, `staff-list-${viewport.width}x${viewport.height}.png`), fullPage: true });
    const listText = await page.textContent("main");
    assert.ok(!listText.includes("Benali"), "nothing personal in the list");

    // Search, by keyboard: the words typed into the search field and Enter.
    await page.focus("#q");
    await page.keyboard.type("cafe");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll("table tbody tr a").length === 1);
    assert.match(await page.textContent("table tbody"), /gezinshereniging/);
    await page.goto(service.base + "/staff/#/");
    await page.waitForSelector(`a[href="#/c/${sid}"]`);

    // Open the booking's transcript with the keyboard.
    await page.focus(`a[href="#/c/${sid}"]`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("ol.turns li");
    const focused = await page.evaluate(() => document.activeElement.id || document.activeElement.outerHTML.slice(0, 120));
    const last = await page.evaluate(() => [...document.querySelectorAll("ol.turns > li")].pop().id);
    assert.equal(focused, last, "the transcript opens at its latest turn");
    const masked = await page.textContent("main");
    for (const secret of ["Fatima", "Benali", "fatima.benali", "0470", code])
      assert.ok(!masked.includes(secret), `masked: ${secret}`);
    assert.ok(masked.includes("[naam]") && masked.includes("[code]"));
    await axeClean(page, `transcript ${name}`);
    await page.screenshot({ path: path.join(SHOTS, `staff-transcript-${viewport.width}x${viewport.height}.png`) });

    // Reveal, with a reason, by keyboard.
    await page.focus("#reason");
    await page.keyboard.type(`Inzage gevraagd (${name})`);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".notice");
    const shown = await page.textContent("main");
    assert.ok(shown.includes("Fatima Benali") && shown.includes(code), "revealed");
    await axeClean(page, `revealed ${name}`);

    // The audit log has it.
    await page.goto(service.base + "/staff/#/audit");
    await page.waitForSelector("table tbody tr");
    const audit = await page.textContent("table");
    assert.ok(audit.includes(`Inzage gevraagd (${name})`) && audit.includes("reveal"), "the reveal is audited");
    await axeClean(page, `audit ${name}`);
    await page.screenshot({ path: path.join(SHOTS, `staff-audit-${viewport.width}x${viewport.height}.png`), fullPage: true });

    // Logout returns to the login.
    await page.click("nav button");
    await page.waitForSelector("#name");
    assert.deepEqual(page.problems, []);
  }
});

test("a reviewer sees no admin controls", async () => {
  const page = await newPage({ width: 1280, height: 800 });
  await loginByKeyboard(page, REVIEWER);
  await page.waitForSelector("table tbody tr a");
  assert.equal(await page.locator('nav a[href="#/audit"]').count(), 0, "no audit link");
  await page.click("table tbody tr a");
  await page.waitForSelector("ol.turns li");
  assert.equal(await page.locator("#reason").count(), 0, "no reveal form");
  await page.goto(service.base + "/staff/#/audit");
  await page.waitForFunction(() => document.getElementById("audit-error")?.textContent !== "");
  await axeClean(page, "a reviewer refused the audit log");
});

test("a reviewer works the misunderstood inbox by keyboard: annotate, mark reviewed, filter, export", async () => {
  let r = await chat({ text: "ik heb een vraag" });
  const corrected = r.session_id;
  await chat({ session_id: corrected, text: "nee, het loket" });
  r = await chat({ text: "blablabla qwerty" });
  await chat({ session_id: r.session_id, text: "zzz xyz plop" });
  for (const [name, viewport] of [...SIZES].reverse()) {  // the desktop pass, last, annotates
    const page = await newPage(viewport);
    await loginByKeyboard(page, REVIEWER);
    await page.waitForSelector("table tbody tr a");
    await page.focus('nav a[href="#/inbox"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector("ol.inbox li a");
    const inbox = await page.textContent("ol.inbox");
    assert.ok(inbox.includes("nee, het loket") && inbox.includes("blablabla qwerty"), "both misreadings are in it");
    assert.ok(inbox.includes("verbeterd door de burger") && inbox.includes("niet begrepen"), "with why");
    await axeClean(page, `inbox ${name}`);
    await page.screenshot({ path: path.join(SHOTS, `staff-inbox-${viewport.width}x${viewport.height}.png`), fullPage: true });

    // The dashboard: two charts drawn by the service, and the same figures as a table.
    await page.goto(service.base + "/staff/#/dashboard?from=2026-11-25&by=desk");
    await page.waitForFunction(() => document.querySelectorAll(".dashboard img").length === 2 &&
      [...document.querySelectorAll(".dashboard img")].every((i) => i.complete && i.naturalWidth > 0));
    assert.match(await page.textContent(".dashboard table"), /2026-12-01/);
    await axeClean(page, `dashboard ${name}`);
    await page.screenshot({ path: path.join(SHOTS, `staff-dashboard-${viewport.width}x${viewport.height}.png`), fullPage: true });
    assert.deepEqual(page.problems, []);
    if (name !== "desktop") continue;
    {
      // Open the correction at its turn; its annotation form is open there.
      await page.goto(service.base + "/staff/#/inbox");
      await page.waitForSelector("ol.inbox li a");
      const link = page.locator("ol.inbox li", { hasText: "nee, het loket" }).locator("a");
      await link.focus();
      await page.keyboard.press("Enter");
      await page.waitForSelector("details[open] form.annotation");
      const turnId = await page.evaluate(() => document.activeElement.id);
      assert.match(turnId, /^turn-\d+$/, "the transcript opens at the flagged turn");
      const id = "a" + turnId.slice(5);
      await page.focus(`#${id}-product`);
      await page.selectOption(`#${id}-product`, "loket.residence_card");
      await page.focus(`#${id}-note`);
      await page.keyboard.type("Bedoelde haar verblijfskaart");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.waitForFunction((t) => /door bob/.test(document.querySelector(`#${t} details.annotate summary`)?.textContent || ""), turnId);
      assert.match(await page.textContent(`#${turnId} details.annotate summary`), /Verblijfskaart/);
      await axeClean(page, "an annotated transcript");
      await page.screenshot({ path: path.join(SHOTS, "staff-annotated-1280x800.png"), fullPage: true });

      // Marked reviewed, by keyboard.
      await page.focus("#mark-reviewed");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => /nagekeken door bob/.test(document.querySelector(".facts")?.textContent || ""));

      // The annotated turn left the inbox.
      await page.goto(service.base + "/staff/#/inbox");
      await page.waitForSelector("ol.inbox li");
      assert.ok(!(await page.textContent("ol.inbox")).includes("nee, het loket"), "annotated: out of the inbox");

      // Filters: annotated and reviewed.
      await page.goto(service.base + "/staff/#/");
      await page.waitForSelector("#annotated");
      await page.selectOption("#annotated", "yes");
      await page.selectOption("#reviewed", "yes");
      await page.focus("#q");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.querySelectorAll("table tbody tr a").length === 1);
      assert.match(await page.textContent("table tbody"), /1 aantekening/);

      // The export of what is shown, masked.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click(".downloads a >> nth=0"),
      ]);
      const file = fs.readFileSync(await download.path(), "utf8");
      assert.match(download.suggestedFilename(), /^wegwijs-conversations-.*\.csv$/);
      const lines = file.trim().split("\r\n");
      assert.equal(lines.length, 2, "the header and the one conversation shown");
      assert.ok(lines[1].includes(corrected));
      await page.goto(service.base + "/staff/#/");
      await page.waitForSelector("table tbody tr a");
      const [all] = await Promise.all([page.waitForEvent("download"), page.click(".downloads a >> nth=1")]);
      const turns = fs.readFileSync(await all.path(), "utf8");
      for (const secret of ["Fatima", "Benali", "fatima.benali", "0470"])
        assert.ok(!turns.includes(secret), `the export is masked: ${secret}`);
      assert.ok(turns.includes("[naam]"), "and says what was there");
      assert.deepEqual(page.problems, []);
    }
  }
});

test("an admin finds one person's data, hands it over and erases it", async () => {
  for (const [name, viewport] of [...SIZES].reverse()) {  // the desktop pass, last, erases
    const page = await newPage(viewport);
    await loginByKeyboard(page, ADMIN);
    await page.waitForSelector("table tbody tr a");
    await page.focus('nav a[href="#/people"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector("#person-email");
    await page.focus("#person-email");
    await page.keyboard.type("FATIMA.benali@example.org");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("people-status").textContent + document.getElementById("people-error").textContent !== "");
    assert.match(await page.textContent("#people-status"), /Gevonden: 1 gesprek/, await page.textContent("#people-error"));
    await axeClean(page, `people ${name}`);
    await page.screenshot({ path: path.join(SHOTS, `staff-people-${viewport.width}x${viewport.height}.png`), fullPage: true });
    if (name !== "desktop") continue;
    await page.fill("#person-reason", "verzoek 2026/7");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#access")]);
    const given = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
    assert.equal(given.bookings[0].name, "Fatima Benali", "the access file holds it all, unmasked");
    await page.focus("#erase");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#erase-confirm:not([hidden])");
    assert.equal(await page.evaluate(() => document.activeElement.id), "erase-yes", "the confirmation has the focus");
    await axeClean(page, "erase confirmation");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /Gewist: 1 gesprek/.test(document.getElementById("people-status").textContent));
    await page.click("button[type=submit]");
    await page.waitForFunction(() => /Gevonden: 0 gesprek/.test(document.getElementById("people-status").textContent));
    assert.deepEqual(page.problems, []);
  }
});

test("throttling and a refused CSRF token are said; an expired session goes back to the login", async () => {
  const page = await newPage({ width: 1280, height: 800 });
  await page.goto(service.base + "/staff/");
  await page.waitForSelector("#name");
  for (let i = 0; i < 6; i++) {
    await page.fill("#name", "carol");
    await page.fill("#password", `guess ${i} of a password`);
    await page.click("button[type=submit]");
    await page.waitForFunction(() => document.getElementById("login-error").textContent !== "");
    if (i < 5) await page.evaluate(() => { document.getElementById("login-error").textContent = ""; });
  }
  assert.match(await page.textContent("#login-error"), /Te veel/);
  await axeClean(page, "throttled login");
  await page.screenshot({ path: path.join(SHOTS, "staff-throttled-1280x800.png") });

  await loginByKeyboard(page, ADMIN);
  await page.waitForSelector("table tbody tr a");
  const sid = await page.evaluate(() => decodeURIComponent(document.querySelector("table tbody tr a").getAttribute("href").slice(4)));
  const refused = await page.evaluate(async (id) => {
    const r = await fetch("/v1/staff/conversations/" + encodeURIComponent(id) + "/review", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ reviewed: true }),
    });
    return [r.status, (await r.json()).error.code];
  }, sid);
  assert.deepEqual(refused, [403, "csrf"], "a POST without the CSRF token is refused");

  // The same service, restarted 2 hours on: the session was idle too long.
  const port = new URL(service.base).port;
  const stopped = new Promise((resolve) => service.proc.on("exit", resolve));
  service.proc.kill("SIGTERM");
  await stopped;
  service = await startService(BIN, db, ["--port", port, "--now", "2026-12-01T11:30:00+01:00"]);
  await page.focus('nav a[href="#/inbox"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector("#name");
  assert.match(await page.textContent("#login-error"), /verlopen/);
  await axeClean(page, "an expired session");
  await page.screenshot({ path: path.join(SHOTS, "staff-expired-1280x800.png") });
  assert.deepEqual(page.problems, []);
});
