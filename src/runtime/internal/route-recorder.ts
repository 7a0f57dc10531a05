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
    get: add('get'),
    post: add('post'),
    put: add('put'),
    patch: add('patch'),
    delete: add('delete'),
    use: add('use'),
  };
  return recorder;
}
