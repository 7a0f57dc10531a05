import { describe, expect, it } from 'vitest';
import { validateTenantId } from '../../src/tenant/tenant-id.js';
import { thrownBy } from '../planner/planner-registry.js';

const RULE =
  'a tenant id is 1 to 128 letters (A-Z, a-z), digits, ".", "_" or "-", starting with a letter or digit. Choose an id that follows this rule.';

describe('validateTenantId', () => {
  it.each(['acme', 'constructor', 'toString', 'a.b-c_d', '0', 'A'.repeat(128), 'hasOwnProperty'])(
    'accepts %s',
    (id) => {
      expect(validateTenantId(id)).toBe(id);
    },
  );

  it.each([
    ['../x', '"../x"'],
    ['', '""'],
    ['__proto__', '"__proto__"'],
    ['.hidden', '".hidden"'],
    ['a/b', '"a/b"'],
    ['a b', '"a b"'],
    ['acme\n', '"acme\\n"'],
    ['a\u0000b', '"a\\u0000b"'],
    ['a\u001b[2Jb', '"a\\u001b[2Jb"'],
    ['a\u202eb', '"a\\u202eb"'],
    ['a\u0085b', '"a\\u0085b"'],
    ['é', '"é"'],
    ['A'.repeat(129), `"${'A'.repeat(40)}"… (129 characters)`],
    ['x'.repeat(10_240), `"${'x'.repeat(40)}"… (10240 characters)`],
  ])('refuses %j', (id, shown) => {
    expect(thrownBy(() => validateTenantId(id))).toEqual({
      name: 'ModregError',
      code: 'invalid',
      message: `Tenant id ${shown} is not valid: ${RULE}`,
    });
  });

  it('does not split a surrogate pair when it cuts a long id', () => {
    const id = `${'a'.repeat(39)}😀${'b'.repeat(100)}`;
    expect(thrownBy(() => validateTenantId(id)).message).toBe(
      `Tenant id "${'a'.repeat(39)}"… (141 characters) is not valid: ${RULE}`,
    );
  });

  it('refuses a value that is not a string', () => {
    expect(thrownBy(() => validateTenantId(42 as unknown as string)).message).toBe(
      'A tenant id must be a string, not number; a tenant id is 1 to 128 letters (A-Z, a-z), digits, ".", "_" or "-", starting with a letter or digit.',
    );
  });
});
