import { expect, it, onTestFinished } from 'vitest';
import { DeadlineExceeded, withDeadline } from '../../src/stores/redis-deadline.js';
import { blockFor, createBlockedAnswer } from '../helpers/blocked-answer.js';

it('counts a reply that arrived while the process was busy past the deadline', async () => {
  const echo = await createBlockedAnswer();
  onTestFinished(() => echo.close());
  const reply = withDeadline(echo.ask('OK'), 50);
  blockFor(150);
  await expect(reply).resolves.toBe('OK');
});

it('still fails a command that gets no reply within the deadline', async () => {
  await expect(withDeadline(new Promise(() => {}), 50)).rejects.toBeInstanceOf(DeadlineExceeded);
});
