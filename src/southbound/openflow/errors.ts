/** Typed failures of switch sessions: what the switch refused, what timed out, what was cut off. */
import { errorName } from '../../codec/openflow/error-codes.js';
import type { OfpMessage } from '../../codec/openflow/messages.js';

/** The switch answered a request with OFPT_ERROR. Carries OVS's own error type and code. */
export class SwitchRefusedError extends Error {
  override readonly name = 'SwitchRefusedError';
  constructor(
    readonly dpid: bigint | undefined,
    readonly errType: number,
    readonly errCode: number,
    /** The start of the offending request as echoed by the switch. */
    readonly data: Uint8Array,
    readonly request?: OfpMessage,
  ) {
    super(`switch ${dpid === undefined ? '?' : `0x${dpid.toString(16)}`} refused ${request?.type ?? 'a request'}: ${errorName(errType, errCode)} (type ${errType}, code ${errCode})`);
  }

  /** e.g. 'OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ' */
  get errorName(): string {
    return errorName(this.errType, this.errCode);
  }
}

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly dpid: bigint | undefined,
    readonly requestType: string,
    readonly timeoutMs: number,
  ) {
    super(`switch ${dpid === undefined ? '?' : `0x${dpid.toString(16)}`} did not answer ${requestType} within ${timeoutMs} ms`);
  }
}

export class SessionClosedError extends Error {
  override readonly name = 'SessionClosedError';
  constructor(
    readonly dpid: bigint | undefined,
    readonly reason: string,
  ) {
    super(`switch session ${dpid === undefined ? '?' : `0x${dpid.toString(16)}`} closed: ${reason}`);
  }
}

/** A barrier-closed batch in which the switch refused one or more messages. */
export class BatchRefusedError extends Error {
  override readonly name = 'BatchRefusedError';
  constructor(
    readonly dpid: bigint | undefined,
    /** Refusals, each with the index of the message in the batch. */
    readonly failures: { index: number; error: SwitchRefusedError }[],
    readonly batchSize: number,
  ) {
    super(
      `switch ${dpid === undefined ? '?' : `0x${dpid.toString(16)}`} refused ${failures.length} of ${batchSize} message(s): ` +
        failures
          .slice(0, 3)
          .map((f) => `#${f.index} ${f.error.errorName}`)
          .join(', ') +
        (failures.length > 3 ? ', ...' : ''),
    );
  }
}
