/** A long-running part of the product (a chat channel, a server): started once, stopped once on a signal. */
export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
}
