export * from './server/stdio.js';
