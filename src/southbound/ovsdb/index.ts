/** The OVSDB client: connection, reconnecting client, monitors, replicas, typed Open_vSwitch rows. */
export * from './client.js';
export * from './clock.js';
export * from './connection.js';
export * from './errors.js';
export * from './monitor.js';
export * from './replica.js';
export * from './vswitch.js';
