// The report of .ci/conformance-prism.sh: reads the JSON lines each conformance program
// printed (one per action) and prints, per definition, the actions, how many were called,
// the request violations Prism reported, the 2xx responses that failed to decode, the other
// failures and the skipped actions by reason; then the totals. Every failure is checked
// against the baseline (tab-separated: definition, action, kind, reason); one that is not
// listed fails the sweep. `<out>/failures.tsv` holds the current failures in that format.
//
// Usage: node conformance-report.mjs <sweep output dir> <baseline file>
import fs from "node:fs";
import path from "node:path";

const [out, baselineFile] = process.argv.slice(2);
const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");

const baseline = new Map();
for (const line of read(baselineFile).split("\n")) {
  if (!line.trim() || line.startsWith("#")) continue;
  const [def, action, kind, reason] = line.split("\t");
  baseline.set(`${def}\t${action}\t${kind}`, reason ?? "");
}

const rows = [];
const failures = [];
const skippedDefs = [];
const reasons = new Map();
const totals = { defs: 0, actions: 0, called: 0, ok: 0, violations: 0, violationEntries: 0, decode: 0, http: 0, errors: 0, skipped: 0 };
const fail = (def, action, kind, detail) => failures.push({ def, action, kind, detail });

for (const line of read(path.join(out, "definitions.tsv")).split("\n")) {
  if (!line.trim()) continue;
  const [name, def] = line.split("\t");
  const res = path.join(out, "results", name);
  const skip = read(`${res}.skip`).trim();
  if (skip) {
    skippedDefs.push({ def, reason: skip });
    if (skip.includes("did not compile") || skip.includes("not generated")) fail(def, "*", "build", skip);
    continue;
  }
  totals.defs++;
  const r = { def, actions: 0, called: 0, ok: 0, violations: 0, decode: 0, http: 0, errors: 0, skipped: 0 };
  for (const l of read(`${res}.jsonl`).split("\n")) {
    if (!l.trim()) continue;
    let e;
    try {
      e = JSON.parse(l);
    } catch {
      continue;
    }
    r.actions++;
    if (e.outcome === "skipped") {
      r.skipped++;
      reasons.set(e.message, (reasons.get(e.message) ?? 0) + 1);
      continue;
    }
    r.called++;
    // Request violations only: Prism also validates the response it made up itself
    // (`response.…`), and its dynamic mode's random bodies sometimes break their own schema
    // (a `byte` string that is not base64, too many properties): that is Prism's, not ours.
    const errs = (e.violations ?? []).filter(
      (v) => (v?.severity ?? "Error") === "Error" && (v?.location ?? [])[0] === "request",
    );
    if (errs.length) {
      r.violations++;
      totals.violationEntries += errs.length;
      const what = errs.map((v) => `${(v.location ?? []).join(".")}: ${v.message}`).join("; ");
      fail(def, e.action, "violation", `${e.status} ${what}`);
    } else if (e.outcome === "decode-error") {
      r.decode++;
      fail(def, e.action, "decode-error", `${e.status} ${e.message}`);
    } else if (e.outcome === "http-error") {
      r.http++;
      fail(def, e.action, "http-error", `${e.message}`);
    } else if (e.outcome === "error") {
      r.errors++;
      fail(def, e.action, "error", `${e.message}`);
    } else {
      r.ok++;
    }
  }
  const exit = read(`${res}.exit`).trim();
  if (exit) fail(def, "*", "program", exit);
  for (const k of Object.keys(r)) if (k !== "def") totals[k] += r[k];
  rows.push(r);
}

const cols = ["actions", "called", "ok", "violations", "decode", "http", "errors", "skipped"];
const width = Math.max(10, ...rows.map((r) => r.def.length));
const fmt = (def, r) => def.padEnd(width) + cols.map((c) => String(r[c]).padStart(11)).join("");
console.log("".padEnd(width) + cols.map((c) => c.padStart(11)).join(""));
for (const r of rows) console.log(fmt(r.def, r));
console.log(fmt(`TOTAL (${totals.defs} definitions)`, totals));
console.log(`request violations reported by Prism: ${totals.violations} actions (${totals.violationEntries} violations)`);
if (reasons.size) {
  console.log("actions skipped, by reason:");
  for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${why}`);
}
if (skippedDefs.length) {
  console.log(`definitions skipped: ${skippedDefs.length}`);
  for (const s of skippedDefs) console.log(`  ${s.def}: ${s.reason}`);
}

fs.writeFileSync(
  path.join(out, "failures.tsv"),
  failures.map((f) => `${f.def}\t${f.action}\t${f.kind}\t${f.detail.replace(/[\t\n]/g, " ")}`).join("\n") + "\n",
);
const fresh = failures.filter((f) => !baseline.has(`${f.def}\t${f.action}\t${f.kind}`));
const seen = new Set(failures.map((f) => `${f.def}\t${f.action}\t${f.kind}`));
// A baseline entry of a definition this run did not include (ONLY, or a scope that left it
// out) says nothing: it is neither fixed nor failing.
const ran = new Set(
  read(path.join(out, "definitions.tsv"))
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => l.split("\t")[1]),
);
const fixed = [...baseline.keys()].filter((k) => !seen.has(k) && ran.has(k.split("\t")[0]));
const notRun = [...baseline.keys()].filter((k) => !ran.has(k.split("\t")[0]));
if (notRun.length) {
  const defs = new Set(notRun.map((k) => k.split("\t")[0]));
  console.log(`baseline entries of definitions this run left out (kept): ${notRun.length}, of ${defs.size} definition(s)`);
}
console.log(`failures: ${failures.length} (${failures.length - fresh.length} known in the baseline, ${fresh.length} new); all in ${path.join(out, "failures.tsv")}`);
if (fixed.length) {
  console.log(`baseline entries no longer failing (remove them): ${fixed.length}`);
  for (const k of fixed) console.log(`  ${k.replace(/\t/g, " | ")}`);
}
if (fresh.length) {
  console.error(`error: failures not in the baseline (${baselineFile}):`);
  for (const f of fresh) console.error(`  ${f.def} | ${f.action} | ${f.kind} | ${f.detail.slice(0, 300)}`);
  process.exit(1);
}
