import { describe, expect, it } from 'vitest';
import { isAppUrl, senderAllowed } from '../../src/main/origin.ts';

describe('IPC sender check', () => {
  it('accepts only the app origin', () => {
    expect(isAppUrl('app://gumshoe/index.html')).toBe(true);
    expect(isAppUrl('app://gumshoe/')).toBe(true);
    for (const url of ['', 'about:blank', 'file:///work/main/out/renderer/index.html', 'https://gumshoe/', 'app://gumshoe.evil.example/', 'app://evil/gumshoe', 'data:text/html,app://gumshoe/', 'http://127.0.0.1:1234/']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('refuses sub-frames and missing frames even on the app origin', () => {
    expect(senderAllowed({ url: 'app://gumshoe/index.html', parent: null })).toBe(true);
    expect(senderAllowed({ url: 'app://gumshoe/index.html', parent: {} })).toBe(false);
    expect(senderAllowed({ url: 'https://example.com/', parent: null })).toBe(false);
    expect(senderAllowed(null)).toBe(false);
    expect(senderAllowed(undefined)).toBe(false);
  });
});
