/**
 * Per-key sliding-window counting for threshold rules, bounded in memory whatever the input:
 * at most `maxKeys` keys (least recently seen evicted first, via Map insertion order) and at
 * most `threshold` timestamps per key, since older ones can never matter once the count is
 * reached. Distinct-value windows keep at most `threshold` values per key for the same reason.
 *
 * Events are expected roughly in time order (ingest sorts per file); a late event only shortens
 * the window it lands in, it never grows memory.
 */
export interface WindowOptions {
  windowUs: number;
  threshold: number;
  maxKeys?: number;
}

interface KeyState {
  times: number[];
  values: Map<string, number> | null;
  /** After firing, stay quiet until this time, so one burst gives one hit. */
  quietUntil: number;
}

export class WindowCounter {
  private readonly keys = new Map<string, KeyState>();
  private readonly maxKeys: number;

  constructor(private readonly opts: WindowOptions) {
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  /** Counts one occurrence; returns the count in the window when it reaches the threshold. */
  add(key: string, timeUs: number): number | null {
    const st = this.state(key);
    const start = timeUs - this.opts.windowUs;
    while (st.times.length > 0 && st.times[0] <= start) st.times.shift();
    st.times.push(timeUs);
    if (st.times.length > this.opts.threshold) st.times.shift();
    return this.fire(st, st.times.length, timeUs);
  }

  /** Counts a distinct value; returns the distinct count when it reaches the threshold. */
  addDistinct(key: string, value: string, timeUs: number): number | null {
    const st = this.state(key);
    const values = (st.values ??= new Map());
    const start = timeUs - this.opts.windowUs;
    for (const [v, t] of values) if (t <= start) values.delete(v);
    values.delete(value);
    values.set(value, timeUs);
    if (values.size > this.opts.threshold) values.delete(values.keys().next().value as string);
    return this.fire(st, values.size, timeUs);
  }

  get size(): number {
    return this.keys.size;
  }

  private fire(st: KeyState, count: number, timeUs: number): number | null {
    if (count < this.opts.threshold || timeUs < st.quietUntil) return null;
    st.quietUntil = timeUs + this.opts.windowUs;
    return count;
  }

  private state(key: string): KeyState {
    let st = this.keys.get(key);
    if (st) {
      // Re-insert to mark as recently used.
      this.keys.delete(key);
    } else {
      st = { times: [], values: null, quietUntil: -Infinity };
      if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value as string);
    }
    this.keys.set(key, st);
    return st;
  }
}
