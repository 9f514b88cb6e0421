import { jest } from '@jest/globals';

// Integration tests drive real daemons: allow them time (they bound their own waits).
jest.setTimeout(90_000);
