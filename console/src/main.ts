import { forgetToken, storedToken, storeToken, whenUnauthorized } from './api.js';
import { el, replace } from './dom.js';
import { healthView } from './health-view.js';
import { type LiveState, openLive } from './live.js';
import { createRegistryCache } from './registry-cache.js';
import type { ServerEvent } from './sse-parser.js';
import { tenantListView } from './tenant-list.js';
import { tenantPageView } from './tenant-page.js';

/** A screen of the console: it re-reads what a live event says has changed. */
export interface View {
  /** A tenant changed (`undefined`: anything may have, read everything again). */
  changed(tenant: string | undefined): void;
  /** The registry changed. */
  registryChanged(): void;
  /** The screen is left. */
  close(): void;
}

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'connecting…',
  live: 'live',
  offline: 'offline, reconnecting',
};

const view = document.getElementById('view') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const liveBadge = document.getElementById('live') as HTMLElement;
const signOut = document.getElementById('sign-out') as HTMLButtonElement;
const registry = createRegistryCache();
let current: View | undefined;
let live: { stop(): void } | undefined;

whenUnauthorized((message) => askForToken(`The access token was refused: ${message}`));
signOut.addEventListener('click', () => askForToken('Signed out.'));
window.addEventListener('hashchange', route);
route();

/** Shows the screen the hash names, or the token form when there is no token yet. */
function route(): void {
  if (storedToken() === undefined) {
    askForToken();
    return;
  }
  current?.close();
  nav.hidden = false;
  signOut.hidden = false;
  live ??= openLive(onLiveEvent, (state) => {
    liveBadge.textContent = LIVE_TEXT[state];
    liveBadge.dataset.state = state;
  });
  const hash = location.hash.replace(/^#/, '');
  const tenant = /^\/tenants\/([^/]+)$/.exec(hash)?.[1];
  if (tenant !== undefined) {
    let id: string;
    try {
      id = decodeURIComponent(tenant);
    } catch {
      id = tenant;
    }
    current = tenantPageView(view, id, registry);
  } else if (hash === '/health') {
    current = healthView(view);
  } else {
    current = tenantListView(view);
  }
}

function onLiveEvent(event: ServerEvent): void {
  if (event.event === 'unauthorized') {
    askForToken('The access token was refused by the event stream.');
    return;
  }
  if (event.event === 'change') {
    const { tenant } = parse(event.data) as { tenant?: string };
    current?.changed(typeof tenant === 'string' ? tenant : undefined);
  } else if (event.event === 'reset') {
    registry.invalidate();
    current?.changed(undefined);
  } else if (event.event === 'registry') {
    registry.invalidate();
    current?.registryChanged();
  }
}

/** The token form: one password field; the token goes to sessionStorage, then the screen. */
function askForToken(message?: string): void {
  forgetToken();
  live?.stop();
  live = undefined;
  current?.close();
  current = undefined;
  nav.hidden = true;
  signOut.hidden = true;
  liveBadge.textContent = '';
  const input = el('input', {
    attrs: {
      id: 'token',
      type: 'password',
      name: 'token',
      autocomplete: 'current-password',
      required: '',
      spellcheck: 'false',
    },
  });
  const form = el('form', { class: 'token-form' }, [
    el('h1', { text: 'Sign in' }),
    el('p', {
      text: 'The admin server printed an access token when it started (or use the one in MODREG_ADMIN_TOKEN or your token file). It is kept in this tab only.',
    }),
    message === undefined
      ? null
      : el('p', { class: 'error', text: message, attrs: { role: 'alert' } }),
    el('label', { text: 'Access token', attrs: { for: 'token' } }),
    input,
    el('button', { text: 'Open the console', attrs: { type: 'submit' } }),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === '') return;
    storeToken(token);
    route();
  });
  replace(view, [form]);
  input.focus();
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return {};
  }
}
