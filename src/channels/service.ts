/** A long-running part of the product (a chat channel, a server): started once, stopped once on a signal. */
export interface Service {
  /** Names the service in the logs (a shutdown that runs late says which are still stopping). */
  readonly name?: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
