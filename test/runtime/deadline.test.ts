import { expect, it, onTestFinished } from 'vitest';
import { withDeadline } from '../../src/runtime/internal/deadline.js';
import { blockFor, createBlockedAnswer } from '../helpers/blocked-answer.js';

it('counts an answer that arrived while the process was busy past the deadline', async () => {
  const echo = await createBlockedAnswer();
  onTestFinished(() => echo.close());
  // The answer is in the socket within a millisecond; the loop turns again after 150 ms.
  const answer = withDeadline(echo.ask('pong'), 50, 'memory store test', 'asking');
  blockFor(150);
  await expect(answer).resolves.toBe('pong');
});

it('still fails a call that gets no answer within the deadline', async () => {
  const never = new Promise<string>(() => {});
  const started = Date.now();
  await expect(withDeadline(never, 50, 'memory store test', 'asking')).rejects.toMatchObject({
    code: 'environment',
    message: expect.stringContaining('did not answer within 50 ms (asking)'),
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(45);
});
