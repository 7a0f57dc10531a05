/** A JSON Schema (2020-12) object, as the OpenAPI document holds them. */
export type Schema = Record<string, unknown>;

/** `{ $ref: '#/components/schemas/<name>' }`. */
export function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}

/** An object with these properties, the `required` ones listed, nothing else allowed. */
export function object(
  properties: Record<string, Schema>,
  required: readonly string[] = Object.keys(properties),
  description?: string,
): Schema {
  return {
    type: 'object',
    ...(description === undefined ? {} : { description }),
    properties,
    required: [...required],
    additionalProperties: false,
  };
}

/** A list of `items`. */
export function list(items: Schema, description?: string): Schema {
  return { type: 'array', items, ...(description === undefined ? {} : { description }) };
}

/** A list of names, described. */
export function names(description: string): Schema {
  return list(text(), description);
}

/** A string or null, described. */
export function nullableText(description: string): Schema {
  return { type: ['string', 'null'], description };
}

/** A string, described. */
export function text(description?: string): Schema {
  return { type: 'string', ...(description === undefined ? {} : { description }) };
}

/** A whole number from `minimum`, described. */
export function whole(description?: string, minimum = 0): Schema {
  return { type: 'integer', minimum, ...(description === undefined ? {} : { description }) };
}

/** A boolean, described. */
export function flag(description?: string): Schema {
  return { type: 'boolean', ...(description === undefined ? {} : { description }) };
}

/** A map of string keys to `values`. */
export function map(values: Schema, description?: string): Schema {
  return {
    type: 'object',
    additionalProperties: values,
    ...(description === undefined ? {} : { description }),
  };
}

/** Any JSON value (a flag's value). */
export const ANY_JSON: Schema = { description: 'Any JSON value.' };
