// Validates OpenAPI documents with @apidevtools/swagger-parser (an independent validator:
// JSON Schema of the spec plus its semantic checks). Prints one line per file and a total;
// exits 1 when any file is invalid.
//   node .ci/validate-openapi.mjs FILE...
import SwaggerParser from "@apidevtools/swagger-parser";

const files = process.argv.slice(2);
let failed = 0;
for (const file of files) {
  try {
    await SwaggerParser.validate(file);
    console.log(`valid   ${file}`);
  } catch (e) {
    failed += 1;
    let msg = String(e && e.message ? e.message : e);
    if (e && Array.isArray(e.details)) {
      msg += "\n" + e.details
        .slice(0, 5)
        .map((d) => `${(d.path || []).join("/")}: ${d.message}`)
        .join("\n");
    }
    msg = msg.split("\n").slice(0, 8).join("\n        ");
    console.log(`INVALID ${file}\n        ${msg}`);
  }
}
console.log(`swagger-parser: ${files.length - failed} of ${files.length} documents valid`);
process.exit(failed ? 1 : 0);
