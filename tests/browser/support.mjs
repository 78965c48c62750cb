// What the browser tests share: the real service on an ephemeral port, and
// axe-core's verdict on a page.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// `wegwijs serve` on a free port with the database file `db`, its clock at
// 1 December 2026, 09:00 Brussels; resolves to { base, proc } once it listens.
export function startService(bin, db, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      bin,
      ["serve", "--port", "0", "--db", db, "--now", "2026-12-01T09:00:00+01:00", ...extraArgs],
      { stdio: ["ignore", "pipe", "pipe"] }
    );
    let out = "";
    let err = "";
    proc.stderr.on("data", (d) => (err += d));
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/port (\d+)/);
      if (m) resolve({ base: `http://127.0.0.1:${m[1]}`, proc });
    });
    proc.on("exit", (code) => reject(new Error(`wegwijs exited with ${code}: ${err}`)));
  });
}

// Fails the test with every violation axe-core finds on the page.
export async function axeClean(page, where) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document));
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
  );
  assert.deepEqual(violations, [], `axe at ${where}`);
}
