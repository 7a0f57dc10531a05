import { ApiError } from './api.js';
import { el, replace, shownValue } from './dom.js';
import type { Change, ErrorBody, PlannedChange } from './types.js';

/** The option a refusal names, as the button that re-plans with it says. */
const ALTERNATIVE_TEXT: Record<'withDeps' | 'cascade', string> = {
  withDeps: 'Plan with its dependencies (withDeps)',
  cascade: 'Plan with the modules that need it (cascade)',
};

/** A change the dialog plans and applies. */
export interface PlannedRequest {
  /** The dialog's heading: `Enable crm for acme`. */
  title: string;
  /**
   * Sends the change: a dry run, or for real with `revision` as If-Match; `alternative` is
   * the option a refusal offered, once the user chose it.
   */
  send(
    dryRun: boolean,
    alternative: 'withDeps' | 'cascade' | undefined,
    revision: number | undefined,
  ): Promise<Change>;
}

/**
 * Plans `request` (a dry run), shows every change with its reason in a modal dialog, and
 * applies it on **Apply** with the revision the plan was made on. A refusal shows its
 * dependency paths and offers the option that lets it through; a 412 (the tenant changed
 * meanwhile) plans again. Resolves to the applied change, or undefined when cancelled.
 */
export function openPlanDialog(request: PlannedRequest): Promise<Change | undefined> {
  const headingId = `plan-title-${Date.now()}`;
  const content = el('div', { class: 'plan' });
  const notice = el('p', { class: 'notice', attrs: { role: 'status' } });
  const apply = el('button', { text: 'Apply', class: 'primary', attrs: { type: 'button' } });
  const cancel = el('button', { text: 'Cancel', attrs: { type: 'button' } });
  const dialog = el('dialog', { attrs: { 'aria-labelledby': headingId } }, [
    el('h2', { text: request.title, attrs: { id: headingId } }),
    notice,
    content,
    el('div', { class: 'actions' }, [apply, cancel]),
  ]);
  document.body.appendChild(dialog);
  let alternative: 'withDeps' | 'cascade' | undefined;
  let revision: number | undefined;

  return new Promise((resolve) => {
    const finish = (change: Change | undefined) => {
      dialog.close();
      dialog.remove();
      resolve(change);
    };
    const plan = async () => {
      apply.disabled = true;
      replace(content, [el('p', { class: 'muted', text: 'Planning…' })]);
      try {
        const change = await request.send(true, alternative, undefined);
        revision = change.revision;
        replace(content, [planList(change)]);
        apply.disabled = change.changes.length === 0;
        (apply.disabled ? cancel : apply).focus();
      } catch (error) {
        showError(error);
      }
    };
    const showError = (error: unknown) => {
      const body: ErrorBody =
        error instanceof ApiError ? error.body : { code: 'internal', message: String(error) };
      const replan =
        body.alternative === undefined || alternative !== undefined
          ? null
          : el('button', {
              text: ALTERNATIVE_TEXT[body.alternative],
              attrs: { type: 'button' },
              on: {
                click: () => {
                  alternative = body.alternative;
                  notice.textContent = '';
                  void plan();
                },
              },
            });
      replace(content, [refusal(body), replan]);
      apply.disabled = true;
      (replan ?? cancel).focus();
    };
    apply.addEventListener('click', async () => {
      apply.disabled = true;
      try {
        finish(await request.send(false, alternative, revision));
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          notice.textContent = `The tenant changed since this plan was made (revision ${revision}): planned again on what it holds now.`;
          await plan();
          return;
        }
        showError(error);
      }
    });
    cancel.addEventListener('click', () => finish(undefined));
    // Escape cancels: the dialog's own cancel event, turned into the same outcome.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(undefined);
    });
    dialog.showModal();
    void plan();
  });
}

/** `+ users required by invoicing`, one line per change, in the order they apply. */
export function changeLine(change: PlannedChange): string {
  switch (change.action) {
    case 'enable':
      return `+ ${change.module} ${change.reason}`;
    case 'disable':
      return `− ${change.module} ${change.reason}`;
    case 'set':
      return `set ${change.flag} ${shownValue(change.from)} → ${shownValue(change.to)} ${change.reason}`;
    case 'unset':
      return `unset ${change.flag} (was ${shownValue(change.from)}) ${change.reason}`;
  }
}

function planList(change: Change): HTMLElement {
  if (change.changes.length === 0) {
    return el('p', { text: 'Nothing to change: the tenant already is so.' });
  }
  return el('div', {}, [
    el('p', { text: `On revision ${change.revision}, this will:` }),
    el(
      'ul',
      { class: 'changes', attrs: { 'aria-label': 'Planned changes' } },
      change.changes.map((c) => el('li', { text: changeLine(c), class: `change ${c.action}` })),
    ),
  ]);
}

function refusal(body: ErrorBody): HTMLElement {
  const paths = body.paths ?? [];
  return el('div', { class: 'refusal', attrs: { role: 'alert' } }, [
    el('p', { text: body.code === 'refused' ? 'Refused' : 'Failed', class: 'error-title' }),
    el('p', { text: body.problem ?? body.message }),
    paths.length === 0
      ? null
      : el(
          'ul',
          { class: 'paths', attrs: { 'aria-label': 'Dependency paths' } },
          paths.map((path) => el('li', { text: path.join(' → ') })),
        ),
    body.fix === undefined ? null : el('p', { class: 'muted', text: body.fix }),
  ]);
}
