// The OpenAPI document, generated from the zod schemas of the routes, with two touches the generator
// cannot make: a body that may be left out (lifecycle actions, call-next) is marked optional, and the
// component schemas that no operation uses (the generator writes every registered schema twice, as
// input and output) are dropped so that the reference stays readable.

import type { SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectRefs(v, into);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') into.add(v.replace('#/components/schemas/', ''));
      else collectRefs(v, into);
    }
  }
}

function markOptionalBodies(paths: Json): void {
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const op of Object.values(item)) {
      const body = isObject(op) ? op.requestBody : undefined;
      if (!isObject(body) || !isObject(body.content)) continue;
      const schema = (body.content as Json)['application/json'];
      const anyOf = isObject(schema) && isObject(schema.schema) ? schema.schema.anyOf : undefined;
      if (Array.isArray(anyOf) && anyOf.some((s) => isObject(s) && s.type === 'null')) body.required = false;
    }
  }
}

export const openApiTransformObject: SwaggerTransformObject = (document) => {
  const doc = jsonSchemaTransformObject(document) as Json;
  const paths = isObject(doc.paths) ? doc.paths : {};
  markOptionalBodies(paths);
  const components = isObject(doc.components) ? doc.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  // Used: referenced from the paths, and whatever those reference in turn.
  const used = new Set<string>();
  collectRefs(paths, used);
  for (let grew = true; grew; ) {
    const before = used.size;
    for (const name of [...used]) collectRefs(schemas[name], used);
    grew = used.size > before;
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...doc, components: { ...components, schemas: kept } } as ReturnType<SwaggerTransformObject>;
};
