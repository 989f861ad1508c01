import { describe, expect, it } from 'vitest';
import { getPath, podSpecs } from '../../../src/engine/rules/index.ts';
import { cronjob, deployment, ev, pod } from './events.ts';

describe('getPath', () => {
  const obj = {
    spec: {
      containers: [{ name: 'a', securityContext: { privileged: true } }, { name: 'b' }],
      volumes: [{ hostPath: { path: '/etc' } }, { configMap: { name: 'c' } }, { hostPath: { path: '/' } }],
    },
  };
  it('fans out over [*] and implicit arrays, skipping missing steps', () => {
    expect(getPath(obj, 'spec.containers[*].securityContext.privileged')).toEqual([true]);
    expect(getPath(obj, 'spec.volumes[*].hostPath.path')).toEqual(['/etc', '/']);
    expect(getPath(obj, 'spec.containers.name')).toEqual(['a', 'b']);
    expect(getPath(obj, 'spec.containers[1].name')).toEqual(['b']);
    expect(getPath(obj, 'spec.containers[9].name')).toEqual([]);
    expect(getPath(obj, 'spec.hostPID')).toEqual([]);
    expect(getPath(null, 'spec')).toEqual([]);
    expect(getPath({ a: { toString: 1 } }, 'a.constructor')).toEqual([]);
    expect(() => getPath(obj, 'spec.containers[x]')).toThrow(/bad field path/);
  });
});

describe('podSpecs', () => {
  it('finds the pod spec in pods, workload templates and cronjob templates only', () => {
    expect(podSpecs(pod({ hostPID: true }))[0].hostPID).toBe(true);
    expect(podSpecs(deployment({ hostPID: true }))[0].hostPID).toBe(true);
    expect(podSpecs(cronjob({ hostPID: true }))[0].hostPID).toBe(true);
    expect(podSpecs(ev({ verb: 'create', resource: 'configmaps', requestObject: { spec: { hostPID: true } } }))).toEqual([]);
    // A subresource body (exec options, a binding) is not a pod spec.
    expect(podSpecs(ev({ verb: 'create', resource: 'pods', subresource: 'binding', requestObject: { spec: { hostPID: true } } }))).toEqual([]);
  });
});
