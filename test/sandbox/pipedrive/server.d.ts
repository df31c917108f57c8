// Declarations for ./server.js (see ./index.d.ts).
export * from './index';
