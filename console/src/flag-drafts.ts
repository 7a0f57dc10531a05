/**
 * The flags editor is drawn again whenever its tenant changes (a live event, a save). What
 * the user had typed and not saved, the field that had the focus, and the error shown at a
 * field would be lost with the old elements: they are taken from them here and put on the new
 * ones, found by their `data-flag` key.
 */
export interface FlagDrafts {
  /** Puts the drafts, the focus and the errors on the editor drawn in `root` since. */
  restore(root: HTMLElement): void;
}

/** A control of the flags editor: an input or text area, or a boolean's switch. */
type FlagField = HTMLInputElement | HTMLTextAreaElement | HTMLButtonElement;

/** Takes the unsaved values, the focus and the errors of the flags editor in `root`. */
export function keepFlagDrafts(root: HTMLElement): FlagDrafts {
  const drafts = new Map<string, string>();
  const errors = new Map<string, string>();
  let focused: { key: string; start: number | null; end: number | null } | undefined;
  for (const field of fields(root)) {
    const key = field.dataset.flag as string;
    if (isText(field) && field.value !== field.defaultValue) drafts.set(key, field.value);
    const error = errorOf(field)?.textContent ?? '';
    if (error !== '') errors.set(key, error);
    if (document.activeElement === field) {
      focused = isText(field)
        ? { key, start: field.selectionStart, end: field.selectionEnd }
        : { key, start: null, end: null };
    }
  }
  return {
    restore(next) {
      for (const field of fields(next)) {
        const key = field.dataset.flag as string;
        const draft = drafts.get(key);
        if (draft !== undefined && isText(field)) field.value = draft;
        const error = errors.get(key);
        const shown = errorOf(field);
        if (error !== undefined && shown !== null) {
          shown.textContent = error;
          field.setAttribute('aria-invalid', 'true');
        }
        if (focused?.key !== key) continue;
        field.focus();
        if (isText(field) && focused.start !== null && focused.end !== null)
          field.setSelectionRange(focused.start, focused.end);
      }
    },
  };
}

function fields(root: HTMLElement): FlagField[] {
  return [...root.querySelectorAll<FlagField>('[data-flag]')];
}

function isText(field: FlagField): field is HTMLInputElement | HTMLTextAreaElement {
  return field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement;
}

/** The element the field's `aria-describedby` names: where its error is written. */
function errorOf(field: FlagField): HTMLElement | null {
  const id = field.getAttribute('aria-describedby');
  return id === null ? null : document.getElementById(id);
}
