/** Independent oracle: Open vSwitch's own decoder (`ovs-ofctl ofp-print <hex>`). */
import { execFileSync } from 'node:child_process';

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** OVS's reading of one or more OpenFlow messages. Throws with OVS's message if it cannot decode them. */
export function ofpPrint(bytes: Uint8Array, verbosity = 2): string {
  return execFileSync('ovs-ofctl', ['ofp-print', hex(bytes), String(verbosity)], { encoding: 'utf8' });
}

export function haveOvsOfctl(): boolean {
  try {
    execFileSync('ovs-ofctl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
