import { ApiError, api, tenantPath } from './api.js';
import { el, replace, shownTime } from './dom.js';
import { keepFlagDrafts } from './flag-drafts.js';
import { flagsEditor } from './flags-editor.js';
import { graphView } from './graph-view.js';
import { historyView } from './history-view.js';
import type { View } from './main.js';
import { focusedModule, focusModuleSwitch, moduleList } from './module-list.js';
import type { RegistryCache } from './registry-cache.js';
import type { HistoryEntry, Tenant } from './types.js';

/** History entries shown. */
const HISTORY_LIMIT = 20;

/**
 * One tenant: its modules with switches, its flags, its history with rollback, and the
 * dependency graph with its modules marked. Read again when a live event names it.
 */
export function tenantPageView(root: HTMLElement, tenant: string, registry: RegistryCache): View {
  let closed = false;
  let loading: Promise<void> | undefined;
  let again = false;
  const summary = el('p', { class: 'muted', attrs: { role: 'status' } });
  const modules = el('section', { attrs: { 'aria-labelledby': 'modules-title' } });
  const flags = el('section', { attrs: { 'aria-labelledby': 'flags-title' } });
  const history = el('section', { attrs: { 'aria-labelledby': 'history-title' } });
  const graph = el('section', { attrs: { 'aria-labelledby': 'graph-title' } });
  replace(root, [
    el('p', {}, [el('a', { text: '← All tenants', attrs: { href: '#/' } })]),
    el('h1', { text: tenant }),
    summary,
    el('div', { class: 'tenant-grid' }, [modules, flags, history, graph]),
  ]);

  // The switch to focus after the next redraw: the one just flipped, kept across the reads a
  // live event may fold it into.
  let focusAfter: string | undefined;
  const load = async () => {
    try {
      const [state, modulesView, past] = await Promise.all([
        api<Tenant>(tenantPath(tenant)),
        registry.get(),
        api<{ history: HistoryEntry[] }>(tenantPath(tenant, `/history?limit=${HISTORY_LIMIT}`)),
      ]);
      if (closed) return;
      summary.textContent = `Revision ${state.revision} · last change ${shownTime(state.updatedAt)} · ${state.modules.length} modules on`;
      // A redraw replaces the switches: the one with the focus gets it back.
      const focus = focusAfter ?? focusedModule(modules);
      focusAfter = undefined;
      const list = moduleList(state, (module) => void refresh(module));
      replace(modules, [el('h2', { text: 'Modules', attrs: { id: 'modules-title' } }), list]);
      if (state.unavailable.length > 0) {
        modules.appendChild(
          el(
            'ul',
            { class: 'warnings', attrs: { 'aria-label': 'Modules on that will not load' } },
            state.unavailable.map((u) => el('li', { text: `${u.module}: ${u.message}` })),
          ),
        );
      }
      if (focus !== undefined) focusModuleSwitch(list, focus);
      const drafts = keepFlagDrafts(flags);
      replace(flags, [
        el('h2', { text: 'Flags', attrs: { id: 'flags-title' } }),
        flagsEditor(state, modulesView, () => void refresh()),
      ]);
      drafts.restore(flags);
      replace(history, [
        el('h2', { text: 'History', attrs: { id: 'history-title' } }),
        historyView(tenant, past.history, () => void refresh()),
      ]);
      replace(graph, [
        el('h2', { text: 'Dependency graph', attrs: { id: 'graph-title' } }),
        graphView(modulesView, state),
      ]);
    } catch (error) {
      if (closed || (error instanceof ApiError && error.status === 401)) return;
      summary.textContent =
        error instanceof ApiError && error.status === 404
          ? `There is no tenant "${tenant}": ${error.message}`
          : `Cannot read tenant "${tenant}": ${(error as Error).message}`;
    }
  };
  // One read at a time; events that arrive meanwhile are folded into one more read.
  const refresh = async (focus?: string): Promise<void> => {
    if (focus !== undefined) focusAfter = focus;
    if (loading !== undefined) {
      again = true;
      return loading;
    }
    loading = load().finally(() => {
      loading = undefined;
      if (again && !closed) {
        again = false;
        void refresh();
      }
    });
    return loading;
  };
  void refresh();
  return {
    changed(changed) {
      if (changed === undefined || changed === tenant) void refresh();
    },
    registryChanged: () => void refresh(),
    close() {
      closed = true;
    },
  };
}
