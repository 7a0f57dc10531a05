import { api, tenantPath } from './api.js';
import { el, uniqueId } from './dom.js';
import { openPlanDialog } from './plan-dialog.js';
import type { Change, ModuleState, Tenant } from './types.js';

/**
 * Every module in load order with a switch named by the module and a line saying why it is
 * in its state. Flipping a switch plans the change (a dry run) and shows the plan; core and
 * blocked modules cannot be flipped.
 */
export function moduleList(tenant: Tenant, onApplied: (module: string) => void): HTMLElement {
  return el(
    'ul',
    { class: 'modules', attrs: { 'aria-label': 'Modules in load order' } },
    tenant.moduleStates.map((state) => moduleRow(tenant.tenant, state, onApplied)),
  );
}

/** The module whose switch inside `root` has the focus, if one has. */
export function focusedModule(root: HTMLElement): string | undefined {
  const active = document.activeElement;
  return active instanceof HTMLButtonElement && root.contains(active)
    ? active.dataset.module
    : undefined;
}

/** Puts the focus back on a module's switch after the list is drawn again. */
export function focusModuleSwitch(list: HTMLElement, module: string): void {
  for (const button of list.querySelectorAll<HTMLButtonElement>('button[role="switch"]')) {
    if (button.dataset.module === module) button.focus();
  }
}

function moduleRow(
  tenant: string,
  state: ModuleState,
  onApplied: (module: string) => void,
): HTMLElement {
  const nameId = uniqueId('module');
  const reasonId = uniqueId('reason');
  const on = state.state === 'core' || state.state === 'enabled' || state.state === 'failed';
  const fixed = state.state === 'core' || state.state === 'blocked';
  const toggle = el(
    'button',
    {
      class: 'switch',
      attrs: {
        type: 'button',
        role: 'switch',
        'aria-checked': String(on),
        'aria-labelledby': nameId,
        'aria-describedby': reasonId,
        disabled: fixed ? '' : undefined,
      },
    },
    [el('span', { class: 'thumb', attrs: { 'aria-hidden': 'true' } })],
  );
  toggle.dataset.module = state.module;
  toggle.addEventListener('click', async () => {
    const applied = await openPlanDialog({
      title: `${on ? 'Disable' : 'Enable'} ${state.module} for ${tenant}`,
      send: (dryRun, alternative, revision) =>
        api<Change>(tenantPath(tenant, on ? '/disable' : '/enable'), {
          method: 'POST',
          body: {
            modules: [state.module],
            ...(alternative === undefined ? {} : { [alternative]: true }),
            dryRun,
          },
          ...(revision === undefined ? {} : { ifMatch: revision }),
        }),
    });
    // The focus goes back to the switch, and to its successor once the list is redrawn.
    toggle.focus();
    if (applied !== undefined) onApplied(state.module);
  });
  return el('li', { class: `module-row state-${state.state}` }, [
    toggle,
    el('span', { class: 'name', text: state.module, attrs: { id: nameId } }),
    el('span', { class: 'state', text: state.state }),
    el('span', { class: 'reason', text: shownReason(state), attrs: { id: reasonId } }),
  ]);
}

/** The API's reason, unless it only repeats the state shown beside it (`enabled`). */
function shownReason(state: ModuleState): string {
  if (state.reason !== state.state) return state.reason;
  if (state.state === 'enabled') return 'switched on for this tenant';
  if (state.state === 'disabled') return 'off for this tenant';
  return state.reason;
}
