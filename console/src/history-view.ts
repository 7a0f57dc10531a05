import { api, tenantPath } from './api.js';
import { el, shownTime, shownValue } from './dom.js';
import { openPlanDialog } from './plan-dialog.js';
import type { Change, HistoryEntry, TenantSettings } from './types.js';

/**
 * The tenant's history, newest first, each change with what it did to modules and flags;
 * every older revision has a rollback: a preview (dry run) in the plan dialog, then Apply.
 */
export function historyView(
  tenant: string,
  history: readonly HistoryEntry[],
  onRolledBack: () => void,
): HTMLElement {
  if (history.length === 0)
    return el('p', { class: 'muted', text: 'No history is kept for this tenant.' });
  return el(
    'ol',
    { class: 'history', attrs: { 'aria-label': 'Changes, newest first' } },
    history.map((entry, index) => {
      const rollback =
        index === 0
          ? el('span', { class: 'muted', text: 'current' })
          : el('button', {
              text: `Roll back to revision ${entry.revision}`,
              attrs: { type: 'button' },
              on: { click: () => void rollBack(tenant, entry.revision, onRolledBack) },
            });
      return el('li', { class: 'entry' }, [
        el('p', { class: 'entry-head' }, [
          el('strong', { text: `#${entry.revision}` }),
          ` ${shownTime(entry.at)} · ${entry.actor} · `,
          el('span', { text: entry.operation }),
        ]),
        el(
          'ul',
          { class: 'diff', attrs: { 'aria-label': `What revision ${entry.revision} changed` } },
          diffLines(entry.before, entry.after).map((line) =>
            el('li', {
              text: line,
              class: line.startsWith('+') ? 'added' : line.startsWith('−') ? 'removed' : 'changed',
            }),
          ),
        ),
        rollback,
      ]);
    }),
  );
}

/** `+ crm`, `− billing`, `billing.new-checkout: false → true`, `unset reports.max-rows`. */
export function diffLines(before: TenantSettings, after: TenantSettings): string[] {
  const lines: string[] = [];
  const was = new Set(before.modules);
  const now = new Set(after.modules);
  for (const name of after.modules) if (!was.has(name)) lines.push(`+ ${name}`);
  for (const name of before.modules) if (!now.has(name)) lines.push(`− ${name}`);
  const keys = new Set([...Object.keys(before.flags), ...Object.keys(after.flags)]);
  for (const key of [...keys].sort()) {
    const from = Object.hasOwn(before.flags, key) ? before.flags[key] : undefined;
    const to = Object.hasOwn(after.flags, key) ? after.flags[key] : undefined;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (to === undefined) lines.push(`unset ${key} (was ${shownValue(from)})`);
    else lines.push(`${key}: ${shownValue(from)} → ${shownValue(to)}`);
  }
  return lines.length === 0 ? ['no change'] : lines;
}

async function rollBack(tenant: string, to: number, onRolledBack: () => void): Promise<void> {
  const applied = await openPlanDialog({
    title: `Roll ${tenant} back to revision ${to}`,
    send: (dryRun, _alternative, revision) =>
      api<Change>(tenantPath(tenant, '/rollback'), {
        method: 'POST',
        body: { to, dryRun },
        ...(revision === undefined ? {} : { ifMatch: revision }),
      }),
  });
  if (applied !== undefined) onRolledBack();
}
