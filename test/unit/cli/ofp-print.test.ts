import { readFileSync } from 'node:fs';
import { printOpenFlow } from '../../../src/cli/ofp-print.js';

const stream = Uint8Array.from(
  Buffer.from(readFileSync(new URL('../../fixtures/openflow/ovs-session.hex', import.meta.url), 'utf8').replace(/\s/g, ''), 'hex'),
);

describe('vigil ofp print', () => {
  it('prints one line per message of a captured OVS session', () => {
    const r = printOpenFlow(stream, { json: false });
    expect(r.ok).toBe(true);
    const lines = r.text.trim().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toMatch(/^HELLO/);
    expect(lines.some((l) => l.startsWith('PACKET_IN'))).toBe(true);
    expect(lines.some((l) => /^ERROR .*OFPET_BAD_INSTRUCTION\/OFPBIC_BAD_TABLE_ID/.test(l))).toBe(true);
  });

  it('prints JSON objects with 64-bit values and bytes as hex', () => {
    const r = printOpenFlow(stream, { json: true });
    const objs = r.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const features = objs.find((o) => o.type === 'FEATURES_REPLY')!;
    expect(features.datapathId).toBe('0xcafe');
  });

  it('reports a malformed message and a truncated tail, and fails', () => {
    const bad = Uint8Array.from([0x04, 0x0c, 0x00, 0x0d, 0, 0, 0, 1, 1, 2, 3, 4, 5, 0x04, 0x02, 0x00, 0x10, 0, 0]);
    const r = printOpenFlow(bad, { json: false });
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/malformed message at byte 0: .*OFPET_BAD_REQUEST\/OFPBRC_BAD_LEN/);
    expect(r.text).toMatch(/truncated message at byte 13/);
  });
});
