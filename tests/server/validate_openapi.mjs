// Validates an OpenAPI document with @seriousme/openapi-schema-validator.
// Usage: node validate_openapi.mjs <path of the validator package> <openapi.json>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [packageDir, documentPath] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
const entry = manifest.exports?.["."]?.import ?? manifest.exports?.["."] ?? manifest.main ?? "index.js";
const { Validator } = await import(pathToFileURL(join(packageDir, typeof entry === "string" ? entry : entry.default)).href);
const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(documentPath, "utf8")));
if (!result.valid) {
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}`);
