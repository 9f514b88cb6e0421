/** Public library entry point: `import { decode, encode, OfpFramer } from 'vigil-sdn/openflow'`. */
export { decode, encode, encodeInto } from './codec.js';
export { OfpFramer } from './framer.js';
export { Reader, Writer } from './buffer.js';
export * from './errors.js';
export * from './header.js';
export type * from './messages.js';
export { describe, describeMatch, describeAction, describeInstruction } from './describe.js';
export { errorName, errorTypeName, errorCodeName } from './error-codes.js';
export { flowMod, FlowModCommand, FlowModFlags } from './flow-mod.js';
export { helloFor, negotiateVersion, bitmapsFor, versionsFromBitmaps } from './hello.js';
export { matchProblems, type Match, type OxmField } from './oxm.js';
export { OFPP, OFPCML_NO_BUFFER, OFPCML_MAX, type Action } from './actions.js';
export type { Instruction } from './instructions.js';
export type { Port } from './port.js';
export { mergeMultipartReplies, MultipartFlags, OFPTT_ALL } from './multipart.js';
export { GroupModCommand, GroupType, OFPG, type Bucket } from './group-mod.js';
export { MeterModCommand, MeterFlags, OFPM, type MeterBand } from './meter-mod.js';
