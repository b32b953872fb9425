// Round trip of every named type (issue 15), the Node half of .ci/roundtrip.sh.
//
//   node .ci/roundtrip.mjs sample  <crate-dir>...   writes <crate>/roundtrip/instances.json
//   node .ci/roundtrip.mjs compare <report.json> <baseline> <crate-dir>...
//   node .ci/roundtrip.mjs baseline <report.json>     prints baseline lines for its failures
//
// `sample`: for every named type listed in roundtrip/types.json (name, kind, JSON pointer
// into roundtrip/openapi.json, the normalized OpenAPI 3.0 document), json-schema-faker (an
// independent sampler, pinned in package.json) makes INSTANCES instances, seeded by the type
// name and the instance number so runs are deterministic: instance 0 and 2 with every
// optional property, instance 1 with about half of them. Each instance is checked with Ajv
// (draft-04 flavour, OpenAPI 3.0's `nullable` understood natively, formats checked, `oneOf`
// read as `anyOf`: see anyOfForOneOf) against the schema as written; instances Ajv rejects
// are sampler faults, counted and not run. A nullable schema's root is drawn again until it is
// not null (that `null` is the use site's `Option`, not the named type's). The definition's
// own examples of a schema (a media type's `example`/`examples`, a schema's `example`; for a
// Postman collection, the saved bodies its types were inferred from) are added as instances,
// Ajv-checked the same way (examples that contradict their schema are counted apart).
// A type pointer that misses an `allOf` step is looked up through the `allOf` members and
// counted as repaired (see schemaAt).
//
// What the sampler is given differs from the document in three documented ways (a pre-pass
// on a copy; the validator sees the document as it is):
//   - `nullable: true` becomes JSON Schema's `type: [T, "null"]` (or `anyOf [.., null]`);
//     an `enum` is left as it is (OpenAPI 3.0.3: null must be listed to be allowed);
//   - an object schema that does not mention `additionalProperties` gets `false`: properties
//     the definition does not declare are not the generated types' business, and the
//     sampler would invent 1–5 random ones;
//   - a `oneOf`/`anyOf` with a `discriminator` gets, on each member, the tag values the
//     mapping (or the member's component name) gives it, as OpenAPI says it must be.
//   - a sized integer format (`uint8`, `uint16`, `int16`…) becomes `minimum`/`maximum`.
//   The `byte` format (base64) is added to the sampler, which does not know it.
//
// `compare`: reads <crate>/roundtrip/results.json (the crate's roundtrip example's output)
// and compares each re-encoded value with its instance. The re-encoded value must hold every
// field of the instance at the same place with an equal value, and nothing else. Allowed,
// counted differences:
//   - null-absent: a `null` the instance has for a property that is not required comes back
//     absent (`Option` skipped when `None`: the same thing for an optional property);
//   - same-instant: a `date-time` string re-formatted to the same instant;
//   - same-bytes: a `byte` (base64) string re-encoded to the same bytes;
//   - runtime-filled: a top-level property of a JSON request body that the client fills in
//     itself comes back absent. types.json lists them per type (`runtime`): the webhook
//     callback URL (`x-ms-notification-url: true`, a trigger's subscription body) and internal
//     constants (`x-ms-visibility: internal` with a default). The generated body type leaves
//     them out ON PURPOSE: the runtime sets them on every request, so a field for them would
//     take a value from the caller only to overwrite it. A user expects to pass the fields
//     they choose, and the runtime's own ones to be right; Prism's conformance sweep checks
//     the request that goes out with them;
//   - enum-tag: the struct of an internally tagged enum's variant (`#[serde(tag = …)]`)
//     drops the tag property when decoded on its own: the enum reads and writes the tag,
//     the struct has no field for it (types.json: `enum_tag`). Through the enum, the tag is
//     kept, and the enum's own round trip checks it;
//   - undeclared: a property that no schema at that place declares, where none says
//     `additionalProperties`, comes back absent. The sampler never makes one (its copy says
//     `additionalProperties: false`, see above): they come from the definitions' own examples
//     (Power Platform examples showing keys their schema omits). A generated struct holds
//     the declared properties, as a user reading the definition expects; the definition
//     promises nothing about the others, so this is not a loss of a described field.
// Numbers are compared as numbers (JSON.parse: `1.0` and `1` are equal, uncounted).
// Anything else is a failure with its kind: decode (a valid instance does not decode),
// encode, dropped (a field of the instance is missing), changed (a different value),
// added (a field the instance did not have). Failures are matched against the baseline
// (`definition<TAB>type<TAB>kind<TAB>reason` lines); a failure not in it fails the run.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jsf = require('json-schema-faker');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const INSTANCES = 3;

function readJson(p) {
  return JSON.parse(fs.readFileSync(p, 'utf8'));
}

function unescapePointer(s) {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function at(doc, pointer) {
  if (pointer === '') return doc;
  let node = doc;
  for (const part of pointer.split('/').slice(1).map(unescapePointer)) {
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

// The schema a type's pointer names. The model points at a property of an `allOf` member
// as `<schema>/properties/<name>` (without `allOf/<i>`): when a step is missing, it is looked
// for in the `allOf` members (through their `$ref`s), and the pointer counted as repaired;
// the real pointer is returned too.
// The mark of prepass's `anyOf: [schema, null]` wrapper around a `nullable` schema without a
// `type` (not a pointer step of the document).
const WRAPPED = 'x-connectorkit-nullable-wrapper';

function schemaAt(doc, pointer) {
  const parts = pointer.split('/').slice(1).map(unescapePointer);
  // → [node, real pointer] or undefined
  const walk = (node, here, i, depth) => {
    if (i === parts.length) return [node, here];
    if (node === null || typeof node !== 'object' || depth > 32) return undefined;
    // The sampler's copy wraps a `nullable` schema without a `type` (see prepass).
    if (node[WRAPPED] && Array.isArray(node.anyOf)) return walk(node.anyOf[0], here, i, depth + 1);
    if (parts[i] in node) {
      const found = walk(node[parts[i]], `${here}/${esc(parts[i])}`, i + 1, depth);
      if (found !== undefined) return found;
    }
    const members = Array.isArray(node.allOf) ? node.allOf : [];
    for (let j = 0; j < members.length; j++) {
      const member = members[j];
      const found =
        member && typeof member.$ref === 'string'
          ? walk(at(doc, member.$ref.replace(/^#/, '')), member.$ref.replace(/^#/, ''), i, depth + 1)
          : walk(member, `${here}/allOf/${j}`, i, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const found = pointer === '' ? undefined : walk(doc, '', 0, 0);
  if (found === undefined) return { schema: undefined, real: pointer };
  return { schema: found[0], real: found[1] };
}

// The document's examples by the pointer of the schema they illustrate: a media type's
// `example` and `examples/*/value` (for its schema, or the component its `$ref` names) and a
// schema's own `example`. → Map(pointer → [[where, value]]).
function collectExamples(doc) {
  const found = new Map();
  const add = (schemaPtr, where, value) => {
    if (value === undefined) return;
    if (!found.has(schemaPtr)) found.set(schemaPtr, []);
    found.get(schemaPtr).push([where, value]);
  };
  const walk = (node, ptr, depth) => {
    if (node === null || typeof node !== 'object' || depth > 200) return;
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, `${ptr}/${i}`, depth + 1));
      return;
    }
    const media = node.schema && typeof node.schema === 'object' && !Array.isArray(node.schema);
    if (media && ('example' in node || (node.examples && typeof node.examples === 'object'))) {
      const target = typeof node.schema.$ref === 'string' ? node.schema.$ref.replace(/^#/, '') : `${ptr}/schema`;
      if ('example' in node) add(target, `${ptr}/example`, node.example);
      for (const [k, ex] of Object.entries(node.examples || {})) {
        if (ex && typeof ex === 'object' && 'value' in ex) add(target, `${ptr}/examples/${esc(k)}/value`, ex.value);
      }
    }
    if ('example' in node && (node.type !== undefined || node.properties || node.allOf || node.oneOf || node.anyOf)) {
      add(ptr, `${ptr}/example`, node.example);
    }
    for (const [k, v] of Object.entries(node)) {
      if (k !== 'example' && k !== 'examples') walk(v, `${ptr}/${esc(k)}`, depth + 1);
    }
  };
  walk(doc, '', 0);
  return found;
}

// Seeded PRNG (mulberry32) from a string.
function seeded(text) {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The sampler's copy of a schema tree (see the pre-pass above).
// Keywords whose value is a map from names to schemas: its keys are names, not keywords.
const NAMED = new Set(['properties', 'patternProperties', 'schemas', 'definitions']);
// Keywords whose value is data, not schemas.
const DATA = new Set(['example', 'examples', 'default', 'enum', 'x-ms-dynamic-values']);

// Integer formats with the range they name (int64/uint64 beyond 2^53 are left to JSON).
const INT_FORMATS = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

function prepass(node, doc, names = false) {
  if (Array.isArray(node)) return node.map((n) => prepass(n, doc));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  if (names) {
    for (const [k, v] of Object.entries(node)) out[k] = prepass(v, doc);
    return out;
  }
  for (const [k, v] of Object.entries(node)) {
    out[k] = DATA.has(k) ? v : prepass(v, doc, NAMED.has(k));
  }
  // Sized integer formats (Dropshot's `uint8`, `uint16`…) become the range they name: the
  // sampler does not know them and would draw any integer, which the generated `u8`/`u16`
  // rightly refuses.
  const range = INT_FORMATS[out.format];
  if (range && (out.type === 'integer' || out.type === 'number')) {
    out.minimum = typeof out.minimum === 'number' ? Math.max(out.minimum, range[0]) : range[0];
    out.maximum = typeof out.maximum === 'number' ? Math.min(out.maximum, range[1]) : range[1];
  }
  const isObject = out.type === 'object' || (out.type === undefined && out.properties);
  if (isObject && !('additionalProperties' in out)) out.additionalProperties = false;
  const union = out.oneOf ? 'oneOf' : out.anyOf ? 'anyOf' : null;
  if (union && out.discriminator && typeof out.discriminator.propertyName === 'string') {
    const prop = out.discriminator.propertyName;
    const mapping = out.discriminator.mapping || {};
    out[union] = out[union].map((member) => {
      if (!member || typeof member.$ref !== 'string') return member;
      // Every tag that maps to the member (several may), as the generator reads the mapping:
      // the same reference, or the component's name (bare or as the last pointer token).
      const name = unescapePointer(member.$ref.split('/').pop());
      let tags = Object.keys(mapping).filter((k) => {
        const r = mapping[k];
        return r === member.$ref || r === name || unescapePointer(String(r).split('/').pop()) === name;
      });
      if (tags.length === 0) tags = [name];
      return { allOf: [member, { properties: { [prop]: { enum: tags } }, required: [prop] }] };
    });
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
    } else if (out.type === undefined) {
      // Marked so that schemaAt walks through it: the pointers name the schema as written.
      return { anyOf: [out, { type: 'null' }], [WRAPPED]: true };
    }
  }
  return out;
}

function base64Sample() {
  const n = Math.floor(jsf.random.number(1, 12));
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = Math.floor(jsf.random.number(0, 255));
  return bytes.toString('base64');
}

// The validator's copy: `oneOf` checked as `anyOf`, string `id`s, data and `x-` extensions
// dropped, `nullable` without `type` as an `anyOf` with null. Definitions commonly have members that
// overlap (objects with no `required`), so a value built from one member also matches
// another, which `oneOf` rejects; the sampler builds each instance from one member, which is
// what a server sends.
function anyOfForOneOf(node, names = false) {
  if (Array.isArray(node)) return node.map((n) => anyOfForOneOf(n));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (names) {
      out[k] = anyOfForOneOf(v);
      continue;
    }
    // OpenAPI 3.0 has no `id`/`$id`/`$schema`; draft-04 would read a string `id` as a base
    // URI. Examples and defaults do not take part in validation (and Ajv walks every key).
    if ((k === 'id' || k === '$id' || k === '$schema') && typeof v === 'string') continue;
    if ((DATA.has(k) && k !== 'enum') || k.startsWith('x-')) continue;
    const key = k === 'oneOf' && Array.isArray(v) && !('anyOf' in node) ? 'anyOf' : k;
    out[key] = k === 'enum' ? v : anyOfForOneOf(v, NAMED.has(k));
  }
  // A discriminator allows only the tags its mapping (or a member's name) gives, and a tag
  // selects its member: JSON Schema alone would take any value a member's own `type`
  // property allows (DigitalOcean's `droplet_action` lists `reboot`, which the by-tag
  // request's mapping does not), and `{type: assign}` without the `droplet_id` the assign
  // member requires (it is a valid unassign). Appended as the last `allOf` entries, so that
  // no pointer into the schema moves.
  const disc = node.discriminator;
  const members = node.oneOf || node.anyOf;
  if (!names && disc && typeof disc.propertyName === 'string' && Array.isArray(members) && members.every((m) => m && typeof m.$ref === 'string')) {
    const mapping = disc.mapping || {};
    const prop = disc.propertyName;
    // Each tag with the member it selects: a value with that tag must be that member.
    const selects = [];
    for (const m of members) {
      const name = unescapePointer(m.$ref.split('/').pop());
      const mine = Object.keys(mapping).filter((t) => {
        const r = mapping[t];
        return r === m.$ref || r === name || unescapePointer(String(r).split('/').pop()) === name;
      });
      for (const t of mine.length ? mine : [name]) selects.push([t, m.$ref]);
    }
    out.allOf = [
      ...(out.allOf || []),
      { properties: { [prop]: { enum: selects.map(([t]) => t) } }, required: [prop] },
      ...selects.map(([t, ref]) => ({ if: { properties: { [prop]: { const: t } }, required: [prop] }, then: { $ref: ref } })),
    ];
  }
  // Ajv knows `nullable` only next to `type`; elsewhere (`allOf`/`anyOf` + `nullable`) it
  // means what JSON Schema says with an `anyOf` of null.
  if ('nullable' in out && out.type === undefined) {
    const nullable = out.nullable === true;
    delete out.nullable;
    if (nullable) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

// A `pattern` JavaScript cannot compile (`\p{Print}`, a POSIX class from the AWS definitions)
// is left unchecked, so that the rest of the schema still is: without this, Ajv refuses the
// whole schema and its instances would go to the decoder unvalidated.
const uncheckedPatterns = new Set();
function lenientRegExp(source, flags) {
  try {
    return new RegExp(source, flags);
  } catch {
    uncheckedPatterns.add(source);
    return { test: () => true };
  }
}

// The pointer of a schema in the validator's copy, where a `oneOf` is an `anyOf` (see
// anyOfForOneOf): without this, a type found through a `oneOf` member had no validator.
function validatorPointer(doc, pointer) {
  const parts = pointer.split('/');
  let node = doc;
  for (let i = 1; i < parts.length; i++) {
    const key = unescapePointer(parts[i]);
    if (key === 'oneOf' && node && typeof node === 'object' && !('anyOf' in node)) parts[i] = 'anyOf';
    node = node && typeof node === 'object' ? node[key] : undefined;
  }
  return parts.join('/');
}

function validator(doc) {
  const ajv = new Ajv({
    strict: false,
    logger: false,
    allErrors: false,
    validateSchema: false,
    code: { regExp: lenientRegExp },
  });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  for (const [f, [lo, hi]] of Object.entries(INT_FORMATS)) {
    if (f !== 'int32') ajv.addFormat(f, { type: 'number', validate: (n) => Number.isInteger(n) && n >= lo && n <= hi });
  }
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addSchema(anyOfForOneOf(doc), 'doc');
  return ajv;
}

function sample(crate) {
  const types = readJson(path.join(crate, 'roundtrip/types.json'));
  const doc = readJson(path.join(crate, 'roundtrip/openapi.json'));
  const samplerDoc = { components: prepass(doc.components || {}, doc), paths: prepass(doc.paths || {}, doc) };
  const ajv = validator(doc);
  // The sampler resolves each `#/…` reference through this (it would clone a whole root
  // document for every instance otherwise).
  const refs = new Proxy(
    {},
    {
      get(target, key) {
        if (typeof key === 'string' && key.startsWith('#/')) return at(samplerDoc, key.slice(1));
        return target[key];
      },
    },
  );
  jsf.format('byte', base64Sample);
  const instances = {};
  const faults = [];
  const untested = [];
  const origins = {};
  const exampleFaults = [];
  const examples = collectExamples(doc);
  const repaired = [];
  for (const t of types) {
    const { schema, real } = schemaAt(samplerDoc, t.pointer);
    if (t.pointer === '') {
      // A Power Platform connection parameter's allowed values (apiProperties.json), not a
      // schema of the document: nothing for the sampler to read.
      untested.push(`${t.name} (from apiProperties.json, not the document)`);
      continue;
    }
    if (schema === undefined || schema === null || typeof schema !== 'object') {
      untested.push(`${t.name} (no schema at '${t.pointer}')`);
      continue;
    }
    if (real !== t.pointer) repaired.push(`${t.name}: ${t.pointer} → ${real}`);
    let validate;
    try {
      validate = ajv.getSchema(`doc#${validatorPointer(doc, real).split('/').map((s) => encodeURIComponent(unescapePointer(s)).replace(/~/g, '~0')).join('/')}`);
      if (!validate) {
        validate = null;
        faults.push({ type: t.name, instance: -1, why: `validator has no schema at '${real}': instances not validated` });
      }
    } catch (e) {
      validate = null;
      faults.push({ type: t.name, instance: -1, why: `validator cannot compile the schema: ${e.message.slice(0, 200)}` });
    }
    const list = [];
    const from = [];
    // A nullable schema's `null` is the use site's `Option`, not the named type's: the root
    // of an instance is drawn again (at most 4 times) until it is not null.
    const rootNullable = at(doc, real)?.nullable === true;
    for (let i = 0; i < INSTANCES; i++) {
      let value;
      let error;
      for (let attempt = 0; attempt < 4; attempt++) {
        jsf.option({
          random: seeded(attempt ? `${t.name}#${i}/${attempt}` : `${t.name}#${i}`),
          alwaysFakeOptionals: i !== 1,
          optionalsProbability: i === 1 ? 0.5 : null,
          fixedProbabilities: true,
          failOnInvalidTypes: false,
          failOnInvalidFormat: false,
          useDefaultValue: false,
          useExamplesValue: false,
          fillProperties: false,
          refDepthMin: 4,
          refDepthMax: 4,
          maxItems: 2,
          ignoreMissingRefs: true,
          renderTitle: false,
          renderDescription: false,
        });
        try {
          value = jsf.generate(schema, refs);
          error = undefined;
        } catch (e) {
          error = e;
        }
        // A draw the validator refuses (json-schema-faker merges an `allOf` of enums by
        // joining them, so a discriminator's tag can come out as any value of the member's
        // own enum) is drawn again too.
        const invalid = error === undefined && validate && value !== undefined && !validate(JSON.parse(JSON.stringify(value, (_k, v) => (v === undefined ? null : v))));
        if (!(rootNullable && value === null) && !invalid) break;
      }
      if (error) {
        faults.push({ type: t.name, instance: i, why: `sampler error: ${String(error.message).slice(0, 200)}` });
        continue;
      }
      if (rootNullable && value === null) continue;
      if (value === undefined) {
        faults.push({ type: t.name, instance: i, why: 'sampler produced nothing' });
        continue;
      }
      // What the decoder reads is the JSON text, where a property the sampler left
      // `undefined` (it does so for the empty schema `{}`) would vanish: such a property
      // becomes `null` (a value `{}` allows), and the validator checks the instance as sent.
      value = JSON.parse(JSON.stringify(value, (_k, v) => (v === undefined ? null : v)));
      if (validate && !validate(value)) {
        const err = (validate.errors || [])[0] || {};
        faults.push({ type: t.name, instance: i, why: `invalid instance: ${err.instancePath || '/'} ${err.message || ''}`, value: JSON.stringify(value).slice(0, 300) });
        continue;
      }
      list.push(value);
      from.push(`sampler #${i}`);
    }
    // The definition's own examples of this schema (Postman collections: the saved bodies
    // the types were inferred from), checked the same way.
    for (const [where, value] of examples.get(real) || []) {
      // Likewise an example `null` of a nullable schema, or of an object schema that leaves
      // out `type: object` (GitHub's optional request bodies, `examples: {default: null}`):
      // the generated type is an object's, the `null` the `Option` around it (an absent body).
      const untypedObject = at(doc, real)?.type === undefined && at(doc, real)?.properties !== undefined;
      if (value === null && (rootNullable || untypedObject)) continue;
      if (validate && !validate(value)) {
        const err = (validate.errors || [])[0] || {};
        exampleFaults.push({ type: t.name, example: where, why: `${err.instancePath || '/'} ${err.message || ''}` });
        continue;
      }
      list.push(value);
      from.push(`example ${where}`);
    }
    if (list.length) {
      instances[t.name] = list;
      origins[t.name] = from;
    }
  }
  fs.writeFileSync(path.join(crate, 'roundtrip/instances.json'), JSON.stringify(instances));
  fs.writeFileSync(path.join(crate, 'roundtrip/origins.json'), JSON.stringify(origins));
  const unchecked = [...uncheckedPatterns];
  fs.writeFileSync(path.join(crate, 'roundtrip/sampler.json'), JSON.stringify({ faults, untested, repaired, exampleFaults, unchecked }, null, 1));
}

// Whether a property's schema lets its value be null: `nullable`, a `null` type or enum
// value, or no constraint on the kind of value at all.
function allowsNull(schema, doc) {
  const all = expand(schema, doc);
  if (all.some((s) => s.nullable === true || s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null')))) return true;
  if (all.some((s) => Array.isArray(s.enum) && s.enum.includes(null))) return true;
  return all.every((s) => s.type === undefined && !s.properties && !s.items && !Array.isArray(s.enum));
}

// Schemas that may describe the value at a place, through $ref, allOf, oneOf, anyOf.
function expand(schema, doc, seen = new Set(), value = undefined) {
  if (!schema || typeof schema !== 'object') return [];
  if (typeof schema.$ref === 'string') {
    if (seen.has(schema.$ref)) return [];
    seen.add(schema.$ref);
    return expand(at(doc, schema.$ref.replace(/^#/, '')), doc, seen, value);
  }
  const out = [schema];
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    if (!Array.isArray(schema[k])) continue;
    let members = schema[k];
    // A discriminated union: only the members the value's tag selects describe it.
    const tag = k !== 'allOf' ? selected(schema, members, value) : undefined;
    if (tag !== undefined) members = tag;
    let expanded = members.map((s) => expand(s, doc, new Set(seen), value));
    if (k !== 'allOf') {
      // A member some part of which fixes a property to another value than the value's
      // (Box's `folder` beside a `file`) does not describe it, nor do its other parts.
      // Nor does one that requires a property the value does not have (GitHub's draft issue
      // beside a pull request that requires `body`).
      const isObj = value !== null && typeof value === 'object' && !Array.isArray(value);
      const hasRequired = (s) => !isObj || !Array.isArray(s.required) || s.required.every((r) => r in value);
      const fitting = expanded.filter((all) => all.every((s) => fixedFits(s, value) && hasRequired(s)));
      if (fitting.length) expanded = fitting;
    }
    for (const all of expanded) out.push(...all);
  }
  return out;
}

// Whether the value agrees with every property `s` fixes to one value (`enum` of one).
function fixedFits(s, value) {
  if (!s || !s.properties || value === null || typeof value !== 'object' || Array.isArray(value)) return true;
  return Object.entries(s.properties).every(([name, prop]) => {
    const e = prop && Array.isArray(prop.enum) && prop.enum.length === 1 ? prop.enum[0] : undefined;
    return e === undefined || !(name in value) || value[name] === e;
  });
}

// The members of a discriminated union that the tag of `value` selects (its mapping, else
// the members' names); `undefined` when there is no discriminator, tag, or match.
function selected(schema, members, value) {
  const disc = schema.discriminator;
  if (!disc || typeof disc.propertyName !== 'string') return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const tag = value[disc.propertyName];
  if (typeof tag !== 'string') return undefined;
  const mapping = disc.mapping || {};
  const picked = members.filter((m) => {
    if (!m || typeof m.$ref !== 'string') return false;
    const name = unescapePointer(m.$ref.split('/').pop());
    const r = mapping[tag];
    if (r !== undefined) return r === m.$ref || r === name || unescapePointer(String(r).split('/').pop()) === name;
    return tag === name;
  });
  return picked.length ? picked : undefined;
}

function child(schemas, key, doc, value) {
  const out = [];
  for (const s of schemas) {
    if (typeof key === 'number') {
      if (s.items) out.push(...expand(s.items, doc, new Set(), value));
    } else if (s.properties && s.properties[key]) {
      out.push(...expand(s.properties[key], doc, new Set(), value));
    } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      out.push(...expand(s.additionalProperties, doc, new Set(), value));
    }
  }
  return out;
}

function esc(k) {
  return String(k).replace(/~/g, '~0').replace(/\//g, '~1');
}

// Differences between an instance and its re-encoding: [{pointer, kind, allowed}].
function diff(a, b, schemas, doc, ptr, out) {
  if (a === b) return;
  const hasFormat = (f) => schemas.some((s) => s.format === f);
  if (typeof a === 'string' && typeof b === 'string') {
    if (hasFormat('date-time') && !Number.isNaN(Date.parse(a)) && Date.parse(a) === Date.parse(b)) {
      out.push({ pointer: ptr, kind: 'same-instant', allowed: true });
    } else if (hasFormat('byte') && Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'))) {
      out.push({ pointer: ptr, kind: 'same-bytes', allowed: true });
    } else {
      out.push({ pointer: ptr, kind: 'changed', allowed: false, detail: `${JSON.stringify(a).slice(0, 60)} → ${JSON.stringify(b).slice(0, 60)}` });
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const p = `${ptr}/${i}`;
      if (i >= b.length) out.push({ pointer: p, kind: 'dropped', allowed: false });
      else if (i >= a.length) out.push({ pointer: p, kind: 'added', allowed: false });
      else diff(a[i], b[i], child(schemas, i, doc, a[i]), doc, p, out);
    }
    return;
  }
  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of Object.keys(a)) {
      const p = `${ptr}/${esc(k)}`;
      if (!(k in b)) {
        // A union member the instance's fixed-value properties rule out (Stripe's
        // `object: "card"` against `bank_account`, which requires `country`) is not asked.
        const fits = (s) =>
          !s.properties ||
          Object.entries(s.properties).every(([name, prop]) => {
            const e = prop && Array.isArray(prop.enum) && prop.enum.length === 1 ? prop.enum[0] : undefined;
            return e === undefined || !(name in a) || a[name] === e;
          });
        // Nor is a member that declares the property without allowing null, when the value is
        // null (GitHub's `owner: anyOf [simple-user, enterprise]`: a null `name` is a
        // simple-user's, where it is optional; an enterprise requires a non-null one).
        const nullIn = (s) => a[k] !== null || !(s.properties && s.properties[k]) || allowsNull(s.properties[k], doc);
        const asked = schemas.filter((s) => fits(s) && nullIn(s));
        const required = (asked.length ? asked : schemas).some((s) => Array.isArray(s.required) && s.required.includes(k));
        const objects = schemas.filter((s) => s.type === 'object' || s.properties || 'additionalProperties' in s);
        const undeclared =
          objects.length > 0 &&
          !schemas.some((s) => (s.properties && k in s.properties) || 'additionalProperties' in s || s.patternProperties);
        if (a[k] === null && !required) out.push({ pointer: p, kind: 'null-absent', allowed: true });
        else if (undeclared) out.push({ pointer: p, kind: 'undeclared', allowed: true });
        else out.push({ pointer: p, kind: 'dropped', allowed: false, detail: JSON.stringify(a[k]).slice(0, 60) });
      } else {
        diff(a[k], b[k], child(schemas, k, doc, a[k]), doc, p, out);
      }
    }
    for (const k of Object.keys(b)) {
      if (!(k in a)) out.push({ pointer: `${ptr}/${esc(k)}`, kind: 'added', allowed: false, detail: JSON.stringify(b[k]).slice(0, 60) });
    }
    return;
  }
  if (typeof a === 'number' && typeof b === 'number' && a === b) return;
  out.push({ pointer: ptr || '/', kind: 'changed', allowed: false, detail: `${JSON.stringify(a).slice(0, 60)} → ${JSON.stringify(b).slice(0, 60)}` });
}

function compare(reportPath, baselinePath, crates) {
  const baseline = new Map();
  if (fs.existsSync(baselinePath)) {
    for (const line of fs.readFileSync(baselinePath, 'utf8').split('\n')) {
      if (!line.trim() || line.startsWith('#')) continue;
      const [def, type, kind, reason] = line.split('\t');
      baseline.set(`${def}\t${type}\t${kind}`, reason || '');
    }
  }
  const rows = [];
  const failures = [];
  const allowed = {};
  const totals = { types: 0, tested: 0, instances: 0, examples: 0, faults: 0, exampleFaults: 0, untested: 0, repaired: 0, failures: 0 };
  for (const crate of crates) {
    const def = path.basename(crate);
    const types = readJson(path.join(crate, 'roundtrip/types.json'));
    const doc = readJson(path.join(crate, 'roundtrip/openapi.json'));
    const instances = readJson(path.join(crate, 'roundtrip/instances.json'));
    const sampler = readJson(path.join(crate, 'roundtrip/sampler.json'));
    const originsPath = path.join(crate, 'roundtrip/origins.json');
    const origins = fs.existsSync(originsPath) ? readJson(originsPath) : {};
    const resultsPath = path.join(crate, 'roundtrip/results.json');
    const results = fs.existsSync(resultsPath) ? readJson(resultsPath) : null;
    const row = { def, types: types.length, tested: 0, instances: 0, faults: sampler.faults.length, untested: sampler.untested.length, repaired: (sampler.repaired || []).length, exampleFaults: (sampler.exampleFaults || []).length, examples: 0, byKind: {} };
    const pointers = Object.fromEntries(types.map((t) => [t.name, t]));
    for (const [name, list] of Object.entries(instances)) {
      row.tested += 1;
      row.instances += list.length;
      row.examples += (origins[name] || []).filter((o) => o.startsWith('example')).length;
      const got = results ? results[name] : undefined;
      list.forEach((instance, i) => {
        const r = got ? got[i] : undefined;
        const fail = (kind, pointer, detail) => {
          row.byKind[kind] = (row.byKind[kind] || 0) + 1;
          const origin = (origins[name] || [])[i] || `#${i}`;
          failures.push({ def, type: name, typeKind: pointers[name].kind, instance: i, origin, kind, pointer, detail });
        };
        if (!r) return fail('not-run', '', results ? 'no result for this type' : 'the round-trip program did not run');
        if (r.decode !== undefined) return fail('decode', '', r.decode);
        if (r.encode !== undefined) return fail('encode', '', r.encode);
        const out = [];
        diff(instance, JSON.parse(r.ok), expand(schemaAt(doc, pointers[name].pointer).schema, doc, new Set(), instance), doc, '', out);
        const kinds = new Set();
        const runtime = new Set((pointers[name].runtime || []).map((f) => `/${esc(f)}`));
        const enumTag = new Set((pointers[name].enum_tag || []).map((f) => `/${esc(f)}`));
        for (const d of out) {
          if (d.kind === 'dropped' && runtime.has(d.pointer)) Object.assign(d, { kind: 'runtime-filled', allowed: true });
          if (d.kind === 'dropped' && enumTag.has(d.pointer)) Object.assign(d, { kind: 'enum-tag', allowed: true });
          if (d.allowed) {
            allowed[d.kind] = (allowed[d.kind] || 0) + 1;
          } else if (!kinds.has(d.kind)) {
            kinds.add(d.kind);
            fail(d.kind, d.pointer, d.detail);
          }
        }
      });
    }
    rows.push(row);
    for (const k of ['types', 'tested', 'instances', 'examples', 'faults', 'exampleFaults', 'untested', 'repaired']) totals[k] += row[k];
  }
  const newOnes = [];
  const seen = new Set();
  for (const f of failures) {
    const key = `${f.def}\t${f.type}\t${f.kind}`;
    seen.add(key);
    if (!baseline.has(key)) newOnes.push(f);
  }
  totals.failures = failures.length;
  const kinds = {};
  for (const f of failures) kinds[f.kind] = (kinds[f.kind] || 0) + 1;
  const pad = (s, n) => String(s).padEnd(n);
  console.log(`${pad('definition', 44)} ${pad('types', 6)} ${pad('tested', 6)} ${pad('inst', 6)} ${pad('faults', 6)} failures by kind`);
  for (const r of rows) {
    const byKind = Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || '0';
    console.log(`${pad(r.def, 44)} ${pad(r.types, 6)} ${pad(r.tested, 6)} ${pad(r.instances, 6)} ${pad(r.faults, 6)} ${byKind}`);
  }
  console.log(`TOTAL: ${rows.length} definitions, ${totals.types} named types, ${totals.tested} tested, ${totals.untested} without a schema, ${totals.repaired} type pointers repaired (allOf), ${totals.instances} instances run (${totals.examples} of them the definitions' examples), ${totals.faults} sampler faults and ${totals.exampleFaults} examples invalid against their schema (not run), ${totals.failures} failing instances ${JSON.stringify(kinds)}; allowed differences ${JSON.stringify(allowed)}`);
  const stale = [...baseline.keys()].filter((k) => !seen.has(k) && crates.some((c) => k.startsWith(`${path.basename(c)}\t`)));
  for (const k of stale) console.log(`fixed (remove from the baseline): ${k.replace(/\t/g, ' / ')}`);
  fs.writeFileSync(reportPath, JSON.stringify({ totals, kinds, allowed, rows, failures }, null, 1));
  for (const f of newOnes.slice(0, 40)) {
    console.log(`NEW FAILURE ${f.def} / ${f.type} (${f.typeKind}) ${f.origin}: ${f.kind} at '${f.pointer}' ${f.detail ? String(f.detail).slice(0, 200) : ''}`);
  }
  if (newOnes.length) {
    console.log(`${newOnes.length} failing instance(s) not in the baseline ${baselinePath} (full list: ${reportPath})`);
    process.exitCode = 1;
  }
}

// The baseline lines of a report's failures, one per (definition, type, kind), with the first
// instance's place and detail as the reason.
function baselineOf(reportPath) {
  const report = readJson(reportPath);
  const lines = new Map();
  for (const f of report.failures) {
    const key = `${f.def}\t${f.type}\t${f.kind}`;
    if (lines.has(key)) continue;
    const what = { decode: 'does not decode', encode: 'does not encode', dropped: 'drops a field', changed: 'changes a value', added: 'adds a field', 'not-run': 'was not run' }[f.kind] || f.kind;
    const detail = String(f.detail || '').replace(/[\t\n]/g, ' ').slice(0, 160);
    lines.set(key, `${key}\t${f.typeKind} ${what} (${f.origin}, at '${f.pointer}'): ${detail}`);
  }
  console.log('# Known round-trip failures of .ci/roundtrip.sh: definition<TAB>type<TAB>kind<TAB>reason.');
  console.log('# A failure of a (definition, type, kind) not listed here fails CI; the target is none.');
  console.log('# Written by `node .ci/roundtrip.mjs baseline target/roundtrip/report.json`, then read.');
  for (const key of [...lines.keys()].sort()) console.log(lines.get(key));
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'sample') {
  for (const crate of args) {
    try {
      sample(crate);
    } catch (e) {
      // Nothing of this definition is run; the table shows its types as untested.
      console.error(`${crate}: cannot sample: ${String(e.message).slice(0, 300)}`);
      fs.writeFileSync(path.join(crate, 'roundtrip/instances.json'), '{}');
      fs.writeFileSync(path.join(crate, 'roundtrip/origins.json'), '{}');
      fs.writeFileSync(path.join(crate, 'roundtrip/sampler.json'), JSON.stringify({ faults: [], untested: [`all (${String(e.message).slice(0, 200)})`], repaired: [], exampleFaults: [] }));
    }
  }
} else if (cmd === 'baseline') {
  baselineOf(args[0]);
} else if (cmd === 'compare') {
  compare(args[0], args[1], args.slice(2));
} else {
  console.error('usage: roundtrip.mjs sample <crate-dir>... | compare <report.json> <baseline> <crate-dir>...');
  process.exitCode = 2;
}
