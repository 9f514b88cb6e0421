/** Public library entry point: `import { decode, encode, OfpFramer } from 'vigil-sdn/openflow'`. */
export { decode, encode, encodeInto } from './codec.js';
export { OfpFramer } from './framer.js';
export { Reader, Writer } from './buffer.js';
export * from './errors.js';
export * from './header.js';
export type * from './messages.js';
