/**
 * `modreg/admin`: the admin server as a node:http handler — the JSON API, its OpenAPI
 * document, the event stream and the web console — with bearer tokens or the host's own
 * `authorize`. `modreg.admin(options)` gives the same handler, loaded on first use.
 */
export { createAdminHandler } from './admin/create-admin-handler.js';
export type { AdminErrorBody, AdminErrorCode } from './admin/http/request-error.js';
export { CONTENT_SECURITY_POLICY } from './admin/http/security-headers.js';
export { adminOpenApiDocument } from './admin/openapi/document.js';
export { parseTokenFile } from './admin/token-file.js';
export { createTokenAuthorizer, MIN_TOKEN_LENGTH, tokenSha256 } from './admin/tokens.js';
export type {
  AdminAccess,
  AdminAuthorize,
  AdminHandler,
  AdminIdentity,
  AdminNext,
  AdminOfrepOptions,
  AdminOptions,
  AdminToken,
} from './admin/types.js';
