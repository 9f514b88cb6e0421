import { jest } from '@jest/globals';

// Lab tests start Mininet topologies and wait for RSTP convergence.
jest.setTimeout(300_000);
