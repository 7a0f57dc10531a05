import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { adminOpenApiDocument } from '../../../src/admin/openapi/document.js';

/** The admin API's OpenAPI document, as the tests check responses against it. */
export const document = adminOpenApiDocument() as {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, ResponseObject> };
};

interface Operation {
  responses?: Record<string, ResponseObject | { $ref: string }>;
}
interface ResponseObject {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: unknown }>;
}

const ID = 'urn:modreg:admin-openapi';
// The document is one schema resource: refs such as #/components/schemas/Tenant resolve in
// it. Its OpenAPI keywords are declared, so strict mode still catches a mistyped schema word.
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'security', 'paths', 'components']);
ajv.addSchema(document, ID);
const compiled = new Map<string, ValidateFunction>();

/** What a response was, as checked against the document. */
export interface CheckedResponse {
  method: string;
  /** The request path (query left out), relative to the API's root. */
  path: string;
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Throws unless the document describes this response: the operation (or, for a path or
 * method the API lacks, the NotFound / MethodNotAllowed response), the status, the headers it
 * lists, and the JSON body against the response schema (JSON Schema 2020-12).
 */
export function checkResponse({ method, path, status, headers, body }: CheckedResponse): void {
  const template = templateOf(path);
  // HEAD answers as GET, without the body.
  const verb = method === 'HEAD' ? 'get' : method.toLowerCase();
  const operation = template === undefined ? undefined : document.paths[template]?.[verb];
  let pointer: string;
  let response: ResponseObject;
  if (operation === undefined) {
    const name =
      status === 405
        ? 'MethodNotAllowed'
        : status === 404
          ? 'NotFound'
          : status === 401
            ? 'Unauthorized'
            : undefined;
    if (name === undefined)
      throw new Error(
        `${method} ${path} is not in the document, and ${status} is not one of its answers for that`,
      );
    // OFREP clients read OFREP's bodies: outside its operations too, its error is OfrepError.
    const shared = path.startsWith('/ofrep/') ? 'OfrepError' : name;
    pointer = `/components/responses/${shared}`;
    response = document.components.responses[shared] as ResponseObject;
  } else {
    const found = operation.responses?.[String(status)];
    if (found === undefined)
      throw new Error(`${method} ${template} does not document status ${status}`);
    if ('$ref' in found && typeof found.$ref === 'string') {
      pointer = found.$ref.slice(1);
      response = document.components.responses[
        found.$ref.split('/').at(-1) as string
      ] as ResponseObject;
    } else {
      pointer = `/paths/${pointerPart(template as string)}/${verb}/responses/${status}`;
      response = found as ResponseObject;
    }
  }
  for (const header of Object.keys(response.headers ?? {})) {
    if (!headers.has(header))
      throw new Error(`${method} ${path} ${status} lacks the ${header} header the document lists`);
  }
  const type = (headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  // A response the document gives no content (304) must come without a body.
  if (response.content === undefined && type === '' && body === '') return;
  if (response.content?.[type] === undefined) {
    throw new Error(
      `${method} ${path} ${status} answered ${type || 'no content type'}, which the document does not list`,
    );
  }
  if (type !== 'application/json' || method === 'HEAD') return;
  const at = `${pointer}/content/application~1json/schema`;
  let validate = compiled.get(at);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `${ID}#${at.split('/').map(encodeURIComponent).join('/')}` });
    compiled.set(at, validate);
  }
  if (!validate(body)) {
    throw new Error(
      `${method} ${path} ${status}: the body does not match the document:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(body).slice(0, 600)}`,
    );
  }
}

/** The document's path template a request path matches: `/api/tenants/{tenant}`. */
export function templateOf(path: string): string | undefined {
  const parts = path.split('/');
  return Object.keys(document.paths).find((template) => {
    const want = template.split('/');
    return (
      want.length === parts.length &&
      want.every((part, i) => (part.startsWith('{') ? parts[i] !== '' : part === parts[i]))
    );
  });
}

function pointerPart(template: string): string {
  return template.replaceAll('~', '~0').replaceAll('/', '~1');
}
