import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

describe('gumshoe CLI', () => {
  it('rejects an unknown command with a non-zero exit code', async () => {
    const code = await main(['node', 'gumshoe', 'no-such-command']);
    expect(code).not.toBe(0);
  });
});
