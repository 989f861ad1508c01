import { describe, expect, it } from 'vitest';
import { renderCasePdf } from '../../../src/engine/report/pdf/render.ts';
import { pdfText } from '../../../src/engine/report/pdf/sanitize.ts';
import { layoutGraph } from '../../../src/engine/report/pdf/layout.ts';
import { buildCaseExport } from '../../../src/engine/report/build.ts';
import { correlate } from '../../../src/engine/hunt/correlate.ts';
import type { HuntRuleHit, HuntGraph } from '../../../src/engine/hunt/types.ts';
import { pdfkitText, pdfPageCount, pdfToText } from './pdf-text.ts';

const T0 = Date.UTC(2026, 0, 5, 9) * 1000;

function exportWith(n: number) {
  const hits: HuntRuleHit[] = Array.from({ length: n }, (_, i) => ({
    ruleId: `rule-${i}`,
    title: `Suspicious thing number ${i}`,
    severity: 'medium',
    techniques: ['T1609'],
    auditID: `id-${i}`,
    timeUs: T0 + i * 60e6,
    user: `user-${i}`,
    sourceIPs: ['10.1.1.1'],
  }));
  const findings = correlate([], hits, { threshold: 0.6 });
  return buildCaseExport({
    caseName: 'unit', examiner: null, events: n, fromUs: T0, toUs: T0 + n * 60e6, toolVersion: '0.1.0', model: null, modelMetrics: null,
    huntConfig: { contamination: 0.004 }, huntMetrics: { findings: n }, evidence: [], findings, citedEvents: [], notes: [], journal: [], exportedAt: new Date(T0 / 1000),
  });
}

const graph: HuntGraph = {
  nodes: [
    { id: 0, type: 'ip', label: '10.1.1.1' },
    { id: 1, type: 'user', label: 'eve' },
    { id: 2, type: 'resource', label: 'pods/exec' },
    { id: 3, type: 'decision', label: 'allow' },
  ],
  edges: [
    { src: 0, dst: 1, weight: 3 },
    { src: 1, dst: 2, weight: 3 },
    { src: 2, dst: 3, weight: 1 },
  ],
  auditIDs: [],
};

describe('PDF report', () => {
  it('has 8 fixed pages (no incidents, few findings) plus one per top finding, capped by `top`', async () => {
    for (const [n, top, pages] of [[0, 10, 8], [1, 10, 9], [3, 10, 11], [12, 10, 18], [12, 2, 10]] as const) {
      const exp = exportWith(n);
      const pdf = await renderCasePdf({ export: exp, timeline: { startUs: T0, bucketUs: 60e6, counts: [1, 5, 2, 0, 7] }, graphs: new Map(), events: new Map(), top });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPageCount(pdf), `${n} findings, top ${top}`).toBe(pages);
    }
  });

  it('lists the whole case journal with who did what, in words', async () => {
    const exp = {
      ...exportWith(1),
      journal: [
        { id: 1, at: '2026-01-05T09:00:00.000Z', actor: null, action: 'ingest', findingId: null, detail: { files: 2, events: 5120, recordErrors: 3 } },
        { id: 2, at: '2026-01-05T09:05:00.000Z', actor: 'Dana Reyes', action: 'triage', findingId: 'f-1', detail: { from: null, to: 'malicious' } },
        { id: 3, at: '2026-01-05T09:06:00.000Z', actor: 'Dana Reyes', action: 'note', findingId: 'f-1', detail: { text: 'token minted from 203.0.113.45' } },
      ],
    };
    const pdf = await renderCasePdf({ export: exp, timeline: null, graphs: new Map(), events: new Map() });
    const text = pdfkitText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Case journal');
    expect(text).toContain('ingested 2 files, 5,120 new events, 3 lines skipped');
    // The PDF's Latin-1 text spells the arrow out.
    expect(text).toContain('Dana Reyes triage triage new -> malicious');
    expect(text).toContain('Dana Reyes');
    expect(text).toContain('token minted from 203.0.113.45');
  });

  it('draws the session graph and puts finding titles in extractable text', async () => {
    const exp = exportWith(3);
    const graphs = new Map(exp.findings.map((f) => [f.id, graph]));
    const pdf = await renderCasePdf({ export: exp, timeline: null, graphs, events: new Map() });
    for (const text of [pdfToText(pdf), pdfkitText(pdf)]) {
      expect(text).toContain('Suspicious thing number 2');
      expect(text).toContain('Session graph');
      expect(text).toContain('pods/exec');
    }
  });

  it('lays a graph out deterministically in typed columns, busiest nodes kept', () => {
    const big: HuntGraph = {
      nodes: Array.from({ length: 30 }, (_, i) => ({ id: i, type: i < 25 ? 'ip' : 'user', label: `n${i}` })),
      edges: Array.from({ length: 25 }, (_, i) => ({ src: i, dst: 25 + (i % 5), weight: i === 7 ? 9 : 1 })),
      auditIDs: [],
    };
    const a = layoutGraph(big, 500, 200, 12);
    expect(a).toEqual(layoutGraph(big, 500, 200, 12));
    expect(a.columns.map((c) => c.type)).toEqual(['ip', 'user']);
    expect(a.hidden.get('ip')).toBe(13);
    expect(a.nodes.filter((n) => n.type === 'ip')[0].label).toBe('n7');
    expect(a.edges.every((e) => a.nodes.some((n) => n.id === e.src) && a.nodes.some((n) => n.id === e.dst))).toBe(true);
  });
});

describe('pdfText', () => {
  it('keeps markup as literal text and makes invisible and direction controls visible', () => {
    expect(pdfText('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
    expect(pdfText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(pdfText('a\u202Eb\u0000c\u200Bd\uFEFF')).toBe('a[U+202E]b[U+0000]c[U+200B]d[U+FEFF]');
  });

  it('transliterates what it can and marks the rest, staying within WinAnsi', () => {
    expect(pdfText('Café “quoted” — x → y ﬁ')).toBe('Café "quoted" -- x -> y fi');
    expect(pdfText('Žluťoučký')).toBe('Zlutoucký');
    expect(pdfText('日本 😀')).toBe('[U+65E5][U+672C] [U+1F600]');
    for (const ch of pdfText('\u0001\u009F\u2028 ok')) expect(ch.codePointAt(0)!).toBeLessThan(0x100);
    expect(pdfText('x'.repeat(50), 10)).toBe('xxxxxxx...');
    expect(pdfText(null)).toBe('');
  });
});
