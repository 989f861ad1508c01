import { describe, expect, it } from 'vitest';
import { formatSearch, parseSearch } from '../../../src/renderer/src/state/search-query.ts';

describe('search box language', () => {
  it('reads fields, quoted values and free words', () => {
    expect(parseSearch('user:alice ip:10.0.0.0/8 verb:create,patch code:4xx ns:kube-system ua:"kubectl/v1.29 (linux)" chroot host')).toEqual({
      user: 'alice',
      ip: '10.0.0.0/8',
      verb: 'create,patch',
      code: '4xx',
      namespace: 'kube-system',
      userAgent: 'kubectl/v1.29 (linux)',
      text: 'chroot host',
    });
  });

  it('keeps an unknown field and a bare quoted phrase as words, and reads is:starred and tags', () => {
    expect(parseSearch('colour:red "admin token" is:starred tag:c2')).toEqual({ text: 'colour:red admin token', starred: true, tag: 'c2' });
  });

  it('an IPv6 address is a value, not a field', () => {
    expect(parseSearch('ip:2001:db8::/32')).toEqual({ ip: '2001:db8::/32' });
  });

  it('writes back what it reads', () => {
    const text = 'user:alice ip:198.51.100.0/24 name:debug ua:"curl/8.4 x" is:starred chroot';
    expect(parseSearch(formatSearch(parseSearch(text)))).toEqual(parseSearch(text));
  });
});
