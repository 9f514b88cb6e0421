/** OFPT_TABLE_MOD (OpenFlow 1.3.5 §7.3.3): table_id, pad[3], config. */
import type { BodyCodec } from './body-codec.js';
import { checkU32, checkU8 } from './encode-check.js';

/** Table numbering: the last usable table and "all tables". */
export const OFPTT = { MAX: 0xfe, ALL: 0xff } as const;

/** ofp_table_config: in 1.3 only the deprecated (1.1/1.2 miss behaviour) bits exist. */
export const TableConfig = { DEPRECATED_MASK: 3 } as const;

export interface TableModMessage {
  type: 'TABLE_MOD';
  xid: number;
  /** A table id or OFPTT.ALL. */
  tableId: number;
  config: number;
}

export const tableModCodec: BodyCodec<TableModMessage> = {
  decode(r, xid) {
    r.need(8, 'ofp_table_mod');
    const tableId = r.u8();
    r.skip(3);
    return { type: 'TABLE_MOD', xid, tableId, config: r.u32() };
  },
  encode(w, m) {
    checkU8(m.tableId, 'tableId');
    checkU32(m.config, 'config');
    w.u8(m.tableId);
    w.zeros(3);
    w.u32(m.config);
  },
};
