/**
 * A one-minute audit log of one service account sweeping many objects, one line per object: same
 * actor, distinct names, so each object is one node of one session graph. The graph benchmark and
 * the grouped-graph browser test both draw it, at different sizes.
 */
export interface SweepOptions {
  objects: number;
  resources: readonly string[];
  namespaces: number;
  /** Distinct source IPs (10.1.N.9). */
  ips: number;
  /** Every Nth request is a list (0: all gets). */
  listEvery?: number;
  /** Every Nth request is answered 403 (0: none). */
  forbiddenEvery?: number;
}

export function sweepLog(o: SweepOptions): string {
  const t0 = Date.UTC(2024, 2, 4, 12, 0, 0);
  const lines: string[] = [];
  for (let i = 0; i < o.objects; i++) {
    const resource = o.resources[i % o.resources.length];
    const ns = `ns-${i % o.namespaces}`;
    // Spread over the first 50 s so every request falls in the same one-minute session.
    const at = new Date(t0 + Math.floor((i * 50_000) / o.objects)).toISOString();
    lines.push(
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        stage: 'ResponseComplete',
        requestURI: `/api/v1/namespaces/${ns}/${resource}/obj-${i}`,
        verb: o.listEvery && i % o.listEvery === 0 ? 'list' : 'get',
        user: { username: 'system:serviceaccount:ops:sweeper', groups: ['system:serviceaccounts', 'system:authenticated'] },
        sourceIPs: [`10.1.${i % o.ips}.9`],
        userAgent: 'sweeper/1.0',
        objectRef: { resource, namespace: ns, name: `obj-${i}`, apiVersion: 'v1' },
        responseStatus: { code: o.forbiddenEvery && i % o.forbiddenEvery === 0 ? 403 : 200 },
        requestReceivedTimestamp: at,
        stageTimestamp: at,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}
