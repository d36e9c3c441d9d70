// Answers are written by compiled serializers (fast-json-stringify) made from the JSON Schema of each
// route's zod response schema, instead of zod encoding every answer and then JSON.stringify: the same
// fields, in the same order, anything the contract does not name left out (as zod's objects strip it),
// a missing required field still an error (a 500, never a silently short answer). A schema the
// compiled form cannot say exactly (a union other than "X or null", a transform) keeps the zod serializer.

import fastJson, { type Schema } from 'fast-json-stringify';
import type { FastifySchema, FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Json = { [key: string]: unknown };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNull = (v: unknown): boolean => isObject(v) && v.type === 'null' && Object.keys(v).length === 1;

/** Keywords that only validate: fast-json-stringify ignores them, except `const`, which it would write instead of the value. */
const DROPPED = new Set(['$schema', 'propertyNames', 'const', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'description', 'examples', 'default', 'id']);

class NotCompilable extends Error {}

/**
 * The output JSON Schema rewritten for fast-json-stringify: "X or null" becomes X with `nullable`
 * (instead of an `anyOf` that it would check with a validator on every answer), a one-branch
 * `allOf` becomes its branch, validation-only keywords go. Throws NotCompilable for what it cannot say exactly.
 */
export function forSerializer(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerializer);
  if (!isObject(schema)) return schema;
  let node: Json = schema;
  for (const union of ['anyOf', 'oneOf'] as const) {
    const branches = node[union];
    if (branches === undefined) continue;
    if (!Array.isArray(branches) || branches.length !== 2 || !branches.some(isNull)) throw new NotCompilable(`${union} other than X or null`);
    const other = branches.find((b) => !isNull(b)) as Json;
    const { [union]: _union, ...rest } = node;
    node = { ...rest, ...other, nullable: true };
  }
  // A described reference (`{ description, allOf: [{ $ref }] }`) is the reference.
  if (Array.isArray(node.allOf) && node.allOf.length === 1) {
    const { allOf, ...rest } = node;
    node = { ...rest, ...(allOf[0] as Json) };
  }
  for (const keyword of ['allOf', 'not', 'if', 'patternProperties', 'prefixItems']) {
    if (keyword in node) throw new NotCompilable(keyword);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    // `false`: extra fields are left out, which fast-json-stringify does anyway; a schema (a record's values) is kept.
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, forSerializer(s)]));
    } else if (key === 'definitions' && isObject(value)) {
      out.definitions = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, forSerializer(s)]));
    } else out[key] = forSerializer(value);
  }
  if (out.type === undefined && out.$ref === undefined && !('enum' in out)) throw new NotCompilable('a schema without a type');
  return out;
}

/** The compiled serializer of a zod response schema, or null when it must stay with zod. */
export function compiledSerializer(schema: unknown): ((data: unknown) => string) | null {
  if (!(schema instanceof z.ZodType)) return null;
  try {
    const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
    return fastJson(forSerializer(json) as Schema);
  } catch {
    // NotCompilable, or zod cannot say it in JSON Schema (a transform): zod serializes it.
    return null;
  }
}

/** The app's serializer compiler: compiled where exact, zod's elsewhere. */
export const serializerCompiler: FastifySerializerCompiler<FastifySchema | z.ZodType> = (route) => compiledSerializer(route.schema) ?? zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
