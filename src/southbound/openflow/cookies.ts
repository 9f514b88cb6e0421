/**
 * Cookie layout of every flow Vigil installs, so ownership survives restarts and reconciliation is exact:
 *
 *   63..48  0x5647 ("VG")  marks the flow as Vigil's; flows without it are never touched
 *   47..40  owner kind      pipeline, discovery, mirror, segment, host, transit
 *   39..0   owner id        e.g. the decision that owns the rule (0 for fixed pipeline rules)
 */
export const COOKIE_MAGIC = 0x5647n << 48n;
export const COOKIE_MAGIC_MASK = 0xffffn << 48n;
export const COOKIE_KIND_MASK = 0xffffffn << 40n;
const ID_MASK = (1n << 40n) - 1n;

/**
 * HOST: learned-host rules (in_port + eth_src -> forward without copying to Vigil; id = the MAC's low 40
 * bits, informational). TRANSIT: switch-to-switch ports (in_port -> forward without copying; id = port
 * number). Discovery reconciles both from what it knows; the pipeline reconciliation never touches them.
 */
export const OwnerKind = { PIPELINE: 1, DISCOVERY: 2, MIRROR: 3, SEGMENT: 4, HOST: 5, TRANSIT: 6 } as const;
export type OwnerKind = (typeof OwnerKind)[keyof typeof OwnerKind];
const kindNames = Object.fromEntries(Object.entries(OwnerKind).map(([k, v]) => [v, k.toLowerCase()])) as Record<number, string>;

export function cookieFor(kind: OwnerKind, id: bigint | number = 0n): bigint {
  const n = BigInt(id);
  if (n < 0n || n > ID_MASK) throw new RangeError(`cookie owner id ${n} does not fit 40 bits`);
  return COOKIE_MAGIC | (BigInt(kind) << 40n) | n;
}

export interface CookieOwner {
  kind: OwnerKind;
  kindName: string;
  id: bigint;
}

/** The owner a cookie names, or undefined if the flow is not Vigil's. */
export function parseCookie(cookie: bigint): CookieOwner | undefined {
  if ((cookie & COOKIE_MAGIC_MASK) !== COOKIE_MAGIC) return undefined;
  const kind = Number((cookie >> 40n) & 0xffn) as OwnerKind;
  const kindName = kindNames[kind];
  if (kindName === undefined) return undefined;
  return { kind, kindName, id: cookie & ID_MASK };
}

/** Cookie/mask pair selecting every flow of one owner kind. */
export function kindSelector(kind: OwnerKind): { cookie: bigint; cookieMask: bigint } {
  return { cookie: cookieFor(kind, 0n), cookieMask: COOKIE_KIND_MASK };
}
