/**
 * The last touches to the OpenAPI document at /docs/json, where route schemas cannot say it themselves:
 * problem answers (every 4xx/5xx) are `application/problem+json`, a route that takes a body may answer
 * 413 and 415, and an action whose fields are all optional accepts no body at all (it means `{}`).
 */
import { PROBLEM_CONTENT_TYPE } from './problems';

type JsonObject = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** An action route (`…/actions/{name}`): its body may be left out when no field is required. */
const isActionPath = (path: string) => /\/actions\/[^/]+$/.test(path);

function problemSchemaOf(responses: JsonObject): unknown {
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) < 400 || !isObject(response) || !isObject(response.content)) continue;
    const media = response.content[PROBLEM_CONTENT_TYPE] ?? response.content['application/json'];
    if (isObject(media) && media.schema) return media.schema;
  }
  return { type: 'object', properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' } }, required: ['type', 'title', 'status', 'detail'] };
}

/** Rewrites the document in place and returns it. */
export function refineOpenApi<T>(document: T): T {
  const paths = (document as { paths?: JsonObject }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      const responses = operation.responses;
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400 || !isObject(response) || !isObject(response.content)) continue;
        const { 'application/json': json, ...others } = response.content;
        if (json !== undefined) response.content = { [PROBLEM_CONTENT_TYPE]: json, ...others };
      }
      const body = operation.requestBody;
      if (!isObject(body)) continue;
      // The body limit and the JSON-only parser are the app's, in front of every route that takes a body.
      if (!responses['413']) {
        responses['413'] = { description: 'The body is larger than 1 MiB', content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchemaOf(responses) } } };
      }
      if (!responses['415']) {
        responses['415'] = { description: 'The body is not application/json', content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchemaOf(responses) } } };
      }
      if (isActionPath(path)) {
        const schema = isObject(body.content) && isObject(body.content['application/json']) ? body.content['application/json'].schema : undefined;
        const required = isObject(schema) && Array.isArray(schema.required) ? schema.required : [];
        body.required = required.length > 0;
        if (required.length === 0) body.description = 'Optional: every field is optional, and no body at all means {}';
      }
    }
  }
  return document;
}
