/**
 * Sigma condition expressions: `sel1 and not (sel2 or sel3)`, `1 of selection_*`,
 * `all of them`, `any of filter*`. Aggregations after a pipe (`| count() by x > 5`) are
 * deprecated in Sigma v2 and are rejected with a clear message rather than half-supported.
 */
export type Cond =
  | { op: 'ref'; name: string }
  | { op: 'not'; arg: Cond }
  | { op: 'and' | 'or'; args: Cond[] }
  | { op: 'of'; quantifier: 'one' | 'all'; pattern: string };

type Tok = { t: 'word' | '(' | ')'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(\(|\)|[^\s()]+)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    const v = m[1];
    out.push(v === '(' || v === ')' ? { t: v, v } : { t: 'word', v });
  }
  if (src.slice(re.lastIndex).trim() !== '') throw new Error(`cannot read condition near '${src.slice(re.lastIndex)}'`);
  return out;
}

export function parseCondition(src: string): Cond {
  if (src.includes('|')) throw new Error('aggregation conditions (| count() …) are not supported');
  const toks = tokenize(src);
  let i = 0;
  const peek = (): Tok | undefined => toks[i];
  const kw = (w: string): boolean => peek()?.t === 'word' && peek()!.v.toLowerCase() === w;

  const parseOr = (): Cond => {
    const args = [parseAnd()];
    while (kw('or')) {
      i++;
      args.push(parseAnd());
    }
    return args.length === 1 ? args[0] : { op: 'or', args };
  };
  const parseAnd = (): Cond => {
    const args = [parseNot()];
    while (kw('and')) {
      i++;
      args.push(parseNot());
    }
    return args.length === 1 ? args[0] : { op: 'and', args };
  };
  const parseNot = (): Cond => {
    if (kw('not')) {
      i++;
      return { op: 'not', arg: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): Cond => {
    const tok = toks[i++];
    if (!tok) throw new Error(`condition '${src}' ends too early`);
    if (tok.t === '(') {
      const inner = parseOr();
      if (toks[i++]?.t !== ')') throw new Error(`missing ')' in condition '${src}'`);
      return inner;
    }
    if (tok.t === ')') throw new Error(`unexpected ')' in condition '${src}'`);
    const q = tok.v.toLowerCase();
    if ((q === '1' || q === 'all' || q === 'any') && kw('of')) {
      i++;
      const target = toks[i++];
      if (!target || target.t !== 'word') throw new Error(`'${q} of' needs a name pattern or 'them'`);
      return { op: 'of', quantifier: q === 'all' ? 'all' : 'one', pattern: target.v };
    }
    if (['and', 'or', 'not', 'of'].includes(q)) throw new Error(`unexpected '${tok.v}' in condition '${src}'`);
    return { op: 'ref', name: tok.v };
  };

  const cond = parseOr();
  if (i < toks.length) throw new Error(`unexpected '${toks[i].v}' in condition '${src}'`);
  return cond;
}

/** Selection names a condition pattern covers: 'them' is all of them, '*' a glob. */
export function expandPattern(pattern: string, names: string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return names.filter((n) => re.test(n));
}

/** Checks every reference resolves, so a typo fails at load, not silently at match time. */
export function checkRefs(c: Cond, names: string[]): void {
  switch (c.op) {
    case 'ref':
      if (!names.includes(c.name)) throw new Error(`condition names '${c.name}', which the detection does not define`);
      return;
    case 'not':
      return checkRefs(c.arg, names);
    case 'and':
    case 'or':
      return c.args.forEach((a) => checkRefs(a, names));
    case 'of':
      if (expandPattern(c.pattern, names).length === 0) throw new Error(`'of ${c.pattern}' matches no selection`);
  }
}

/**
 * Replaces each `of` with the and/or of the selections it names, once at load: expanding the
 * pattern per event (a RegExp each time) cost more than all the matching.
 */
export function resolveOf(c: Cond, names: string[]): Cond {
  switch (c.op) {
    case 'ref':
      return c;
    case 'not':
      return { op: 'not', arg: resolveOf(c.arg, names) };
    case 'and':
    case 'or':
      return { op: c.op, args: c.args.map((a) => resolveOf(a, names)) };
    case 'of': {
      const args: Cond[] = expandPattern(c.pattern, names).map((name) => ({ op: 'ref', name }));
      return { op: c.quantifier === 'all' ? 'and' : 'or', args };
    }
  }
}

export function evalCondition(c: Cond, test: (name: string) => boolean, names: string[]): boolean {
  switch (c.op) {
    case 'ref':
      return test(c.name);
    case 'not':
      return !evalCondition(c.arg, test, names);
    case 'and':
      return c.args.every((a) => evalCondition(a, test, names));
    case 'or':
      return c.args.some((a) => evalCondition(a, test, names));
    case 'of': {
      const sel = expandPattern(c.pattern, names);
      return c.quantifier === 'all' ? sel.every(test) : sel.some(test);
    }
  }
}
