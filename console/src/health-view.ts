import { ApiError, api } from './api.js';
import { el, replace, shownTime } from './dom.js';
import type { View } from './main.js';
import type { Health } from './types.js';

/** The instance's health: the store, the registry's freshness, doctor's findings. */
export function healthView(root: HTMLElement): View {
  let closed = false;
  const body = el('div', { attrs: { 'aria-live': 'polite' } }, [
    el('p', { class: 'muted', text: 'Reading…' }),
  ]);
  const again = el('button', { text: 'Check again', attrs: { type: 'button' } });
  replace(root, [el('h1', { text: 'Health' }), body, again]);
  const load = async () => {
    try {
      const health = await api<Health>('api/health');
      if (!closed) replace(body, healthParts(health));
    } catch (error) {
      if (closed || (error instanceof ApiError && error.status === 401)) return;
      replace(body, [
        el('p', { class: 'error', text: `Cannot read the health: ${(error as Error).message}` }),
      ]);
    }
  };
  again.addEventListener('click', () => void load());
  void load();
  return {
    changed: () => {},
    registryChanged: () => void load(),
    close() {
      closed = true;
    },
  };
}

function healthParts(health: Health): (HTMLElement | null)[] {
  const { store, registry, modules, doctor } = health;
  const problems = [
    ...modules.failed.map((m) => `${m.module} failed: ${m.reason}`),
    ...modules.blocked.map((m) => `${m.module} blocked: ${m.reason}`),
  ];
  return [
    el('p', { class: `status status-${health.status}` }, [
      el('strong', { text: `Status: ${health.status}` }),
      health.reason === undefined ? '' : ` — ${health.reason}`,
      health.since === undefined ? '' : ` (since ${shownTime(health.since)})`,
    ]),
    el('dl', { class: 'facts' }, [
      el('dt', { text: 'Store' }),
      el('dd', { text: `${store.kind} store at ${store.location}` }),
      el('dt', { text: 'Registry' }),
      el('dd', {
        text: `${registry.source}, ${registry.modules} modules, loaded ${shownTime(registry.loadedAt)}`,
      }),
      registry.reloadFailure === undefined ? null : el('dt', { text: 'Registry reload' }),
      registry.reloadFailure === undefined
        ? null
        : el('dd', { class: 'error', text: registry.reloadFailure }),
    ]),
    el('h2', { text: 'Modules that cannot run' }),
    problems.length === 0
      ? el('p', { class: 'muted', text: 'None.' })
      : el(
          'ul',
          { class: 'warnings' },
          problems.map((text) => el('li', { text })),
        ),
    el('h2', { text: 'Doctor' }),
    el('p', {
      text: `${doctor.ok ? 'No findings' : `${doctor.findings.length} findings`} over ${doctor.tenants} tenants${doctor.complete ? '' : ' (not all tenants were checked)'}.`,
    }),
    doctor.findings.length === 0
      ? null
      : el(
          'ul',
          { class: 'warnings', attrs: { 'aria-label': 'Findings' } },
          doctor.findings.map((f) => el('li', { text: `${f.check} · ${f.subject}: ${f.message}` })),
        ),
  ];
}
