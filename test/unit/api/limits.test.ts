import { parse, print } from 'graphql';
import { inlinePageVariables } from '../../../src/api/limits.js';

describe('inlinePageVariables', () => {
  it('writes integer first/last variables in, and leaves everything else', () => {
    const doc = parse('query ($n: Int, $a: String, $m: Int) { hosts(first: $n, after: $a) { edges { node { mac } } } links(first: $m) { totalCount } }');
    const out = inlinePageVariables(doc, { n: 400, a: 'x', m: null });
    expect(print(out!)).toContain('hosts(first: 400, after: $a)');
    expect(print(out!)).toContain('links(first: $m)');
  });

  it('is null when no page size comes from a variable', () => {
    expect(inlinePageVariables(parse('{ hosts(first: 5) { totalCount } }'), {})).toBeNull();
    expect(inlinePageVariables(parse('query ($n: Int) { hosts(first: $n) { totalCount } }'), {})).toBeNull();
  });
});
