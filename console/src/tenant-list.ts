import { ApiError, api } from './api.js';
import { el, replace, shownTime, tenantHref } from './dom.js';
import type { View } from './main.js';
import type { TenantPage, TenantSummary } from './types.js';

/** Tenants asked for per page. */
const PAGE = 200;

/**
 * The tenants, a page at a time, with a search over the ids loaded; each row links to the
 * tenant's page. A change to any tenant reads the pages shown again.
 */
export function tenantListView(root: HTMLElement): View {
  let closed = false;
  let rows: TenantSummary[] = [];
  let next: string | undefined;
  let pages = 1;
  const search = el('input', {
    attrs: { id: 'tenant-search', type: 'search', autocomplete: 'off' },
  });
  const status = el('p', { class: 'muted', attrs: { role: 'status' } });
  const body = el('tbody');
  const more = el('button', { text: 'More tenants', attrs: { type: 'button', hidden: '' } });
  const table = el('table', { class: 'tenants' }, [
    el('caption', { class: 'visually-hidden', text: 'Tenants' }),
    el('thead', {}, [
      el('tr', {}, [
        el('th', { text: 'Tenant', attrs: { scope: 'col' } }),
        el('th', { text: 'Revision', attrs: { scope: 'col' } }),
        el('th', { text: 'Modules on', attrs: { scope: 'col' } }),
        el('th', { text: 'Last change', attrs: { scope: 'col' } }),
      ]),
    ]),
    body,
  ]);
  replace(root, [
    el('h1', { text: 'Tenants' }),
    el('div', { class: 'search' }, [
      el('label', { text: 'Search tenants', attrs: { for: 'tenant-search' } }),
      search,
    ]),
    status,
    table,
    more,
  ]);

  const show = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = rows.filter((row) => row.tenant.toLowerCase().includes(needle));
    replace(body, shown.map(tenantRow));
    more.hidden = next === undefined;
    status.textContent =
      rows.length === 0
        ? 'No tenant has been written yet: enable a module for one with the CLI or the API.'
        : `${shown.length} of ${rows.length}${next === undefined ? '' : '+'} tenants`;
  };
  const load = async (count: number) => {
    const loaded: TenantSummary[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < count; page++) {
      const query = `limit=${PAGE}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const answer = await api<TenantPage>(`api/tenants?${query}`);
      loaded.push(...answer.tenants);
      cursor = answer.next;
      if (cursor === undefined) break;
    }
    if (closed) return;
    rows = loaded;
    next = cursor;
    show();
  };
  const refresh = () =>
    load(pages).catch((error: unknown) => {
      if (closed || (error instanceof ApiError && error.status === 401)) return;
      status.textContent = `Cannot read the tenants: ${(error as Error).message}`;
    });

  search.addEventListener('input', show);
  more.addEventListener('click', () => {
    pages += 1;
    void refresh();
  });
  void refresh();
  return {
    changed: () => void refresh(),
    registryChanged: () => void refresh(),
    close() {
      closed = true;
    },
  };
}

function tenantRow(row: TenantSummary): HTMLTableRowElement {
  return el('tr', {}, [
    el('th', { attrs: { scope: 'row' } }, [
      el('a', { text: row.tenant, attrs: { href: tenantHref(row.tenant) } }),
    ]),
    el('td', { text: String(row.revision) }),
    el('td', { text: String(row.modules) }),
    el('td', { text: shownTime(row.updatedAt) }),
  ]);
}
