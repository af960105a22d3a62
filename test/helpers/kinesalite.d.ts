// kinesalite ships no types: the part of its library API the tests use (an http.Server factory).
declare module 'kinesalite' {
  import type { Server } from 'node:http';
  export default function kinesalite(options?: {
    createStreamMs?: number;
    path?: string;
    shardLimit?: number;
  }): Server;
}
