import { ApiError, api, tenantPath } from './api.js';
import { el, shownValue, uniqueId } from './dom.js';
import type { FlagDeclaration, JsonValue, Modules, Tenant } from './types.js';

/**
 * Every declared flag with a control of its type — a switch for a boolean, a number field,
 * a text field, a JSON text area — its default and the tenant's own value. A value is sent
 * as typed; the API checks it against the declaration, and its error is shown at the field.
 */
export function flagsEditor(tenant: Tenant, modules: Modules, onSaved: () => void): HTMLElement {
  const declared = new Map<string, { module: string; declaration: FlagDeclaration }>();
  for (const record of modules.modules) {
    for (const [key, declaration] of Object.entries(record.flags)) {
      declared.set(key, { module: record.name, declaration });
    }
  }
  const rows = [...declared].map(([key, { module, declaration }]) =>
    flagRow(tenant, key, declaration, `declared by ${module}`, onSaved),
  );
  for (const key of Object.keys(tenant.ownFlags)) {
    if (declared.has(key)) continue;
    rows.push(flagRow(tenant, key, { type: 'json' }, 'declared by no module', onSaved));
  }
  return el('div', { class: 'flags' }, rows);
}

function flagRow(
  tenant: Tenant,
  key: string,
  declaration: FlagDeclaration,
  origin: string,
  onSaved: () => void,
): HTMLElement {
  const own = Object.hasOwn(tenant.ownFlags, key);
  const value = own ? tenant.ownFlags[key] : declaration.default;
  const labelId = uniqueId('flag');
  const errorId = uniqueId('flag-error');
  const error = el('p', { class: 'field-error', attrs: { id: errorId, role: 'alert' } });
  const showError = (message: string) => {
    error.textContent = message;
    control.setAttribute('aria-invalid', message === '' ? 'false' : 'true');
  };
  const send = async (body: { set?: Record<string, unknown>; unset?: string[] }) => {
    showError('');
    try {
      await api(tenantPath(tenant.tenant, '/flags'), {
        method: 'PATCH',
        body,
        ifMatch: tenant.revision,
      });
      onSaved();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 412) {
        showError(`${failure.message} The tenant was read again: check the value and save again.`);
        onSaved();
        return;
      }
      showError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const set = (next: unknown) => send({ set: Object.fromEntries([[key, next]]) });
  const control = flagControl(key, declaration.type, value, labelId, errorId, set, showError);
  const described = [
    `${declaration.type}`,
    `default ${shownValue(declaration.default)}`,
    own ? `tenant value ${shownValue(tenant.ownFlags[key])}` : 'tenant value: the default',
    origin,
  ].join(' · ');
  const reset = own
    ? el('button', {
        text: 'Reset to default',
        attrs: { type: 'button', 'aria-label': `Reset ${key} to its default` },
        on: { click: () => void send({ unset: [key] }) },
      })
    : null;
  return el('div', { class: `flag${own ? ' own' : ''}` }, [
    el('div', { class: 'flag-head' }, [
      el('label', { text: key, class: 'flag-key', attrs: { id: labelId, for: control.id } }),
      own ? el('span', { class: 'badge', text: 'set for this tenant' }) : null,
    ]),
    control.element,
    reset,
    el('p', { class: 'muted', text: described }),
    declaration.description === undefined
      ? null
      : el('p', { class: 'muted', text: declaration.description }),
    error,
  ]);
}

/** The control of one flag: `element` to show, `id` to label, `setAttribute` for aria-invalid. */
interface FlagControl {
  element: HTMLElement;
  id: string;
  setAttribute(name: string, value: string): void;
}

function flagControl(
  key: string,
  type: FlagDeclaration['type'],
  value: JsonValue | undefined,
  labelId: string,
  errorId: string,
  set: (next: unknown) => Promise<void>,
  showError: (message: string) => void,
): FlagControl {
  const id = uniqueId('flag-input');
  if (type === 'boolean') {
    const on = value === true;
    const toggle = el(
      'button',
      {
        class: 'switch',
        attrs: {
          id,
          type: 'button',
          role: 'switch',
          'aria-checked': String(on),
          'aria-labelledby': labelId,
          'aria-describedby': errorId,
        },
      },
      [el('span', { class: 'thumb', attrs: { 'aria-hidden': 'true' } })],
    );
    toggle.dataset.flag = key;
    toggle.addEventListener('click', () => void set(!on));
    return { element: toggle, id, setAttribute: (n, v) => toggle.setAttribute(n, v) };
  }
  const field =
    type === 'json'
      ? el('textarea', {
          attrs: { id, rows: '3', spellcheck: 'false', 'aria-describedby': errorId },
        })
      : el('input', {
          attrs: {
            id,
            type: 'text',
            inputmode: type === 'number' ? 'decimal' : undefined,
            spellcheck: 'false',
            'aria-describedby': errorId,
          },
        });
  // The default value, not only the value: an edit not saved yet is told from it by a redraw.
  field.dataset.flag = key;
  field.defaultValue =
    type === 'string' && typeof value === 'string'
      ? value
      : value === undefined
        ? ''
        : JSON.stringify(value);
  const save = el('button', {
    text: 'Save',
    attrs: { type: 'submit', 'aria-label': `Save ${key}` },
  });
  const form = el('form', { class: 'flag-form' }, [field, save]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const typed = typedValue(type, field.value);
    if ('error' in typed) showError(typed.error);
    else void set(typed.value);
  });
  return { element: form, id, setAttribute: (n, v) => field.setAttribute(n, v) };
}

/**
 * What a field's text stands for: a number field's text is a number when it reads as one
 * and is sent as text otherwise (the API says why that is wrong); a JSON field must parse.
 */
function typedValue(
  type: FlagDeclaration['type'],
  text: string,
): { value: unknown } | { error: string } {
  if (type === 'string') return { value: text };
  if (type === 'number') {
    const trimmed = text.trim();
    const number = Number(trimmed);
    return { value: trimmed !== '' && Number.isFinite(number) ? number : text };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return {
      error: `Not JSON: ${(error as Error).message}. Write a JSON value, e.g. ["a", "b"] or {"k": 1}.`,
    };
  }
}
