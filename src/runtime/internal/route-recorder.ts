import type { ModuleRouter } from './types.js';

/** A route a module registered: a router method, its path, its handlers. */
export interface RecordedRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'use';
  args: unknown[];
}

/**
 * The router a module's `setup` gets. It records what is registered, so an HTTP adapter
 * made before or after `setup` ran sees every route: it replays the recorded ones and
 * follows the ones to come.
 */
export interface RouteRecorder extends ModuleRouter {
  readonly routes: readonly RecordedRoute[];
  /** Calls `listener` for every route, past and future. */
  follow(listener: (route: RecordedRoute) => void): void;
}

/** Creates an empty recorder. */
export function createRouteRecorder(): RouteRecorder {
  const routes: RecordedRoute[] = [];
  const listeners: ((route: RecordedRoute) => void)[] = [];
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
      listeners.push(listener);
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
