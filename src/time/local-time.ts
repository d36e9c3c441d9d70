// Hospital-local wall time: the one implementation is shared with the browser (src/shared/local-time.ts,
// pure, Intl only); the server's modules keep importing it from here.
export * from '../shared/local-time.ts';
