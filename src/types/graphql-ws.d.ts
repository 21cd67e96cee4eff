// graphql-ws publishes its ws adapter through package "exports", which this project's
// `moduleResolution: node` does not read; the runtime (Node's require) does.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
