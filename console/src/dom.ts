/**
 * Building the page: elements are made here with text set as textContent, never parsed
 * from strings, so a tenant id or a module name is always shown as text.
 */

type Child = Node | string | null | undefined | false;

/** Attributes of {@link el}: `text` is the textContent; `on` are event listeners. */
export interface ElementProps {
  text?: string;
  class?: string;
  attrs?: Record<string, string | undefined>;
  on?: Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>;
}

/** An HTML element with its props and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  apply(node, props);
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element: attributes only (no style attribute: the CSP forbids it). */
export function svg(
  tag: string,
  attrs: Record<string, string | number> = {},
  children: readonly Child[] = [],
): SVGElement {
  const node = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  append(node, children);
  return node;
}

/** Replaces the children of `node`. */
export function replace(node: Element, children: readonly Child[]): void {
  node.replaceChildren();
  append(node, children);
}

let counter = 0;

/** An id unique in the page, for aria-labelledby / aria-describedby (never from a name). */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** The hash route of a tenant's page; the id is percent-encoded. */
export function tenantHref(tenant: string): string {
  return `#/tenants/${encodeURIComponent(tenant)}`;
}

/** A time as the reader's locale shows it, or a dash. */
export function shownTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A JSON value as one line of text. */
export function shownValue(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function apply(node: Element, props: ElementProps): void {
  if (props.text !== undefined) node.textContent = props.text;
  if (props.class !== undefined) node.setAttribute('class', props.class);
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value !== undefined) node.setAttribute(name, value);
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    if (listener !== undefined) node.addEventListener(type, listener);
  }
}

function append(node: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}
