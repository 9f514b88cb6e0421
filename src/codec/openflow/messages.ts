/**
 * Every OpenFlow 1.3.5 message as one discriminated union keyed by `type` (the OFPT_* name).
 * Each family's body type and codec lives in its own file; this file only assembles the union.
 */
import type { HelloMessage } from './hello.js';
import type { ErrorMessage } from './error.js';
import type { EchoRequestMessage, EchoReplyMessage } from './echo.js';
import type { ExperimenterMessage } from './experimenter.js';
import type { FeaturesReplyMessage } from './features.js';
import type { GetConfigReplyMessage, SetConfigMessage } from './config.js';
import type { PacketInMessage } from './packet-in.js';
import type { FlowRemovedMessage } from './flow-removed.js';
import type { PortStatusMessage } from './port-status.js';
import type { PacketOutMessage } from './packet-out.js';
import type { FlowModMessage } from './flow-mod.js';
import type { GroupModMessage } from './group-mod.js';
import type { PortModMessage } from './port-mod.js';
import type { TableModMessage } from './table-mod.js';
import type { MultipartRequestMessage, MultipartReplyMessage } from './multipart.js';
import type { QueueGetConfigRequestMessage, QueueGetConfigReplyMessage } from './queue-config.js';
import type { RoleRequestMessage, RoleReplyMessage } from './role.js';
import type { GetAsyncReplyMessage, SetAsyncMessage } from './async.js';
import type { MeterModMessage } from './meter-mod.js';

/** Messages whose body is empty. */
export interface FeaturesRequestMessage { type: 'FEATURES_REQUEST'; xid: number }
export interface GetConfigRequestMessage { type: 'GET_CONFIG_REQUEST'; xid: number }
export interface BarrierRequestMessage { type: 'BARRIER_REQUEST'; xid: number }
export interface BarrierReplyMessage { type: 'BARRIER_REPLY'; xid: number }
export interface GetAsyncRequestMessage { type: 'GET_ASYNC_REQUEST'; xid: number }

export type EmptyMessage =
  | FeaturesRequestMessage
  | GetConfigRequestMessage
  | BarrierRequestMessage
  | BarrierReplyMessage
  | GetAsyncRequestMessage;

export type OfpMessage =
  | HelloMessage
  | ErrorMessage
  | EchoRequestMessage
  | EchoReplyMessage
  | ExperimenterMessage
  | FeaturesRequestMessage
  | FeaturesReplyMessage
  | GetConfigRequestMessage
  | GetConfigReplyMessage
  | SetConfigMessage
  | PacketInMessage
  | FlowRemovedMessage
  | PortStatusMessage
  | PacketOutMessage
  | FlowModMessage
  | GroupModMessage
  | PortModMessage
  | TableModMessage
  | MultipartRequestMessage
  | MultipartReplyMessage
  | BarrierRequestMessage
  | BarrierReplyMessage
  | QueueGetConfigRequestMessage
  | QueueGetConfigReplyMessage
  | RoleRequestMessage
  | RoleReplyMessage
  | GetAsyncRequestMessage
  | GetAsyncReplyMessage
  | SetAsyncMessage
  | MeterModMessage;

export type OfpMessageType = OfpMessage['type'];
/** The message type named `T`. */
export type MessageOf<T extends OfpMessageType> = Extract<OfpMessage, { type: T }>;

export type {
  HelloMessage,
  ErrorMessage,
  EchoRequestMessage,
  EchoReplyMessage,
  ExperimenterMessage,
  FeaturesReplyMessage,
  GetConfigReplyMessage,
  SetConfigMessage,
  PacketInMessage,
  FlowRemovedMessage,
  PortStatusMessage,
  PacketOutMessage,
  FlowModMessage,
  GroupModMessage,
  PortModMessage,
  TableModMessage,
  MultipartRequestMessage,
  MultipartReplyMessage,
  QueueGetConfigRequestMessage,
  QueueGetConfigReplyMessage,
  RoleRequestMessage,
  RoleReplyMessage,
  GetAsyncReplyMessage,
  SetAsyncMessage,
  MeterModMessage,
};
