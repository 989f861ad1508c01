import { describe, expect, it } from 'vitest';
import { formatRoute, navView, parseRoute, type Route } from '../../../src/renderer/src/state/routes.ts';

describe('hash routes', () => {
  it.each<[Route, string]>([
    [{ view: 'cases' }, '#/cases'],
    [{ view: 'events', q: 'user:alice chroot', fromUs: 1709510400000000, toUs: 1709514000000000 }, '#/search?q=user%3Aalice+chroot&from=1709510400000000&to=1709514000000000'],
    [{ view: 'incidents', finding: 'F-12' }, '#/incidents?finding=F-12'],
    [{ view: 'session', id: 42 }, '#/session/42'],
    [{ view: 'incident', id: 'I-alice/1' }, '#/incident/I-alice%2F1'],
    [{ view: 'entity', kind: 'object', key: 'secrets/kube-system/admin-token' }, '#/entity/object/secrets%2Fkube-system%2Fadmin-token'],
    [{ view: 'entity', kind: 'user', key: 'system:serviceaccount:web:default' }, '#/entity/user/system%3Aserviceaccount%3Aweb%3Adefault'],
  ])('%j ⇄ %s', (route, hash) => {
    expect(formatRoute(route)).toBe(hash);
    expect(parseRoute(hash)).toEqual(route);
  });

  it('reads links written by hand: unencoded object keys, old view names, a finding link', () => {
    expect(parseRoute('#/entity/object/clusterrolebindings//backdoor')).toEqual({ view: 'entity', kind: 'object', key: 'clusterrolebindings//backdoor' });
    expect(parseRoute('#/findings')).toEqual({ view: 'incidents' });
    expect(parseRoute('#/finding/F-3')).toEqual({ view: 'incidents', finding: 'F-3' });
    expect(parseRoute('#/events')).toEqual({ view: 'events' });
  });

  it('falls back to Cases for anything it does not know, and never throws on bad escapes', () => {
    expect(parseRoute('')).toEqual({ view: 'cases' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'cases' });
    expect(parseRoute('#/entity/planet/earth')).toEqual({ view: 'cases' });
    expect(parseRoute('#/entity/user/%E0%A4%A')).toEqual({ view: 'entity', kind: 'user', key: '%E0%A4%A' });
  });

  it('entity and incident pages sit under Incidents in the sidebar', () => {
    expect(navView({ view: 'entity', kind: 'ip', key: '10.0.0.1' })).toBe('incidents');
    expect(navView({ view: 'incident', id: 'I-1' })).toBe('incidents');
    expect(navView({ view: 'events' })).toBe('events');
  });
});
