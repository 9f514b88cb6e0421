/** The lab client lives in lab/ (the demo uses it too); tests import it from here. */
export * from '../../lab/fabric-client.js';
export * from '../../lab/vigil-process.js';
export * from '../../lab/neo4j-client.js';
