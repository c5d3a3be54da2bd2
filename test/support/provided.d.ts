// Values test/support/global-setup.ts provides to every test file (read them with `inject`).
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the Temporal server this run uses (a fresh dev server, or TEMPORAL_ADDRESS). */
    temporalAddress: string;
    temporalNamespace: string;
    /** Web UI of the dev server started for this run; empty when using an existing server. */
    temporalUiUrl: string;
    /** postgres://… of the run's projection server (its `postgres` database; case systems create their own). */
    projectionDatabaseUrl: string;
  }
}
