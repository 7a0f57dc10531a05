import { ModregError } from '../../errors.js';
import { shownValue } from '../../message-text.js';
import type { ModuleRouter, ModuleRoutes, RecordedRoute } from '../types.js';

/**
 * The router a module's `setup` gets. It records what is registered, so an HTTP adapter made
 * before or after `setup` ran sees every route: it replays the recorded ones and follows the
 * ones to come.
 */
export interface RouteRecorder extends ModuleRouter, ModuleRoutes {}

/** Creates an empty recorder. */
export function createRouteRecorder(): RouteRecorder {
  const routes: RecordedRoute[] = [];
  const listeners = new Set<(route: RecordedRoute) => void>();
  const add =
    (method: RecordedRoute['method']) =>
    (...args: unknown[]) => {
      const route = { method, args };
      routes.push(route);
      for (const listener of listeners) listener(route);
      return recorder;
    };
  const recorder: RouteRecorder = {
    routes,
    follow(listener) {
      for (const route of routes) listener(route);
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    route(route) {
      // Checked here, in the module's setup, so a bad route fails that module with the reason.
      checkRoute(route);
      return add('route')(route);
    },
    get: add('get'),
    post: add('post'),
    put: add('put'),
    patch: add('patch'),
    delete: add('delete'),
    use: add('use'),
  };
  return recorder;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function checkRoute(route: unknown): void {
  const { method, path, handler } = (route ?? {}) as Record<string, unknown>;
  const fault =
    typeof method !== 'string' || !METHODS.has(method)
      ? `its method is ${shownValue(method)}, not one of GET, POST, PUT, PATCH, DELETE`
      : typeof path !== 'string' || !path.startsWith('/')
        ? `its path is ${shownValue(path)}, not a path starting with "/"`
        : typeof handler !== 'function'
          ? `its handler is ${shownValue(handler)}, not a function`
          : undefined;
  if (fault === undefined) return;
  throw new ModregError(
    'usage',
    `router.route(${shownValue(route)}) cannot be mounted: ${fault}. Pass { method: 'GET', path: '/plans', handler: (request) => result }.`,
  );
}
