/**
 * @module Marks optional request bodies as optional in `/openapi.json`: @fastify/swagger always writes
 * `requestBody.required: true`, though routes such as legacy `PUT /api/v1/sessions/{id}/end` accept no body.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Transforms = Required<Pick<FastifyDynamicSwaggerOptions, 'transform' | 'transformObject'>>;
type BodySchema = { safeParse?: (value: unknown) => { success: boolean } };
type Operation = { requestBody?: { required?: boolean } };

export function openapiTransforms(): Transforms {
  // "PUT /api/v1/sessions/{id}/end", as the OpenAPI document spells routes.
  const optional = new Set<string>();
  return {
    transform(input) {
      const body = (input.schema as { body?: BodySchema } | undefined)?.body;
      if (body?.safeParse?.(undefined).success) {
        const methods = [input.route.method].flat();
        const path = input.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        for (const method of methods) optional.add(`${method.toLowerCase()} ${path}`);
      }
      return jsonSchemaTransform(input);
    },
    transformObject(document) {
      if (!('openapiObject' in document)) return document.swaggerObject;
      // Fills components.schemas: the schemas with a `.meta({ id })` (Session, Error, …) are `$ref`s in paths.
      const openapiObject = jsonSchemaTransformObject(document) as typeof document.openapiObject;
      const paths = (openapiObject.paths ?? {}) as Record<string, Record<string, Operation>>;
      for (const [path, operations] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (operation.requestBody && optional.has(`${method} ${path}`))
            operation.requestBody.required = false;
        }
      }
      return openapiObject;
    },
  };
}
