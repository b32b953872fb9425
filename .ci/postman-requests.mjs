// Counts the requests of Postman collections (v1, v2.x, the {"collection": …} envelope),
// independently of connectorkit's reader, and prints "<count>\t<file>" per file.
//   node .ci/postman-requests.mjs FILE...
import { readFileSync } from "node:fs";

function countItems(items) {
  let n = 0;
  for (const it of Array.isArray(items) ? items : []) {
    if (it && typeof it === "object") {
      if (it.request !== undefined) n += 1;
      else if (it.item !== undefined) n += countItems(it.item);
    }
  }
  return n;
}

for (const file of process.argv.slice(2)) {
  let doc = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  if (doc && doc.collection && typeof doc.collection === "object") doc = doc.collection;
  const n = Array.isArray(doc.requests) && doc.item === undefined
    ? doc.requests.length
    : countItems(doc.item);
  console.log(`${n}\t${file}`);
}
