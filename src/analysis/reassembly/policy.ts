/**
 * Target-based overlap policies (Novak, "Target-Based Fragmentation Reassembly", 2005; Shankar & Paxson's
 * Active Mapping; the policy set of Snort's frag3 and Suricata's defrag).
 *
 * The model: a datagram in reassembly is a list of disjoint pieces, each the (possibly trimmed) surviving
 * part of a fragment received earlier. When a new fragment N overlaps a held piece P, the policy says whose
 * bytes the target keeps in the overlap. The decision compares N's offset/end with P's *current* (trimmed)
 * offset/end, as the stacks do (BSD's ip_reass and Linux's ip_frag_queue trim the held fragment's front
 * and move its offset when the new fragment wins):
 *
 *   first      the held data always wins
 *   last       the new data always wins (Cisco IOS in Novak's survey)
 *   bsd        new wins iff it starts before P; ties on offset go to the held fragment (BSD ip_reass)
 *   linux      new wins iff it starts at or before P; ties go to the new fragment (Linux ip_fragment.c
 *              before its 2018 rbtree rewrite; current Linux, and IPv6 per RFC 5722, drop overlapping
 *              datagrams instead)
 *   bsd-right  the fragment reaching further right wins; on equal ends the one starting at or before the
 *              other (so an exact repeat replaces the held one) (HP JetDirect)
 *   windows    new wins iff it starts before P and ends after P's end
 *   solaris    new wins iff it starts before P and ends at or after P's end
 *
 * Snort's README.frag3 maps operating systems to these names (e.g. Windows 95-XP and HP-UX 11 to first,
 * FreeBSD/AIX/IRIX/Tru64 to bsd, Linux 2.2-2.4 and OpenBSD to linux); a per-destination policy can be
 * chosen with ReassemblerOptions.policyFor.
 *
 * These reproduce Novak's 6-fragment test and the 17-fragment Sturges/Novak test (the expected strings
 * of Suricata's defrag unit tests; bsd-right there is unpublished), see
 * test/unit/analysis/reassembly/novak.test.ts.
 */

export const OVERLAP_POLICIES = ['first', 'last', 'bsd', 'bsd-right', 'linux', 'windows', 'solaris'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export const DEFAULT_POLICY: OverlapPolicy = 'linux';

export function isOverlapPolicy(s: unknown): s is OverlapPolicy {
  return typeof s === 'string' && (OVERLAP_POLICIES as readonly string[]).includes(s);
}

/**
 * Whether the new fragment [nOff, nEnd) keeps its bytes where it overlaps the held piece [pOff, pEnd)
 * (byte offsets in the datagram's fragmentable part; the two ranges overlap).
 */
export function newDataWins(policy: OverlapPolicy, nOff: number, nEnd: number, pOff: number, pEnd: number): boolean {
  switch (policy) {
    case 'first':
      return false;
    case 'last':
      return true;
    case 'bsd':
      return nOff < pOff;
    case 'linux':
      return nOff <= pOff;
    case 'bsd-right':
      // frag3: a left overlap (P starts first) goes to N only when N reaches past P's end; a right overlap
      // (N starts at or before P) goes to N when N covers P to its end.
      return pOff < nOff ? nEnd > pEnd : nEnd >= pEnd;
    case 'windows':
      return nOff < pOff && nEnd > pEnd;
    case 'solaris':
      return nOff < pOff && nEnd >= pEnd;
  }
}
