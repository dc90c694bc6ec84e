/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// An augmentation (this file is a module), not a replacement of the package's types.
export {};

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** This request's Content-Security-Policy nonce for inline scripts (app/server/security.ts). */
    cspNonce?: string;
    /** The client's address as the rate limits key it (app/server/rate-limit.ts clientKey): sign-in delays count per address. */
    clientKey?: string;
    /** The client's address as the server sees it (the proxy's view with TRUST_PROXY=on), for the audit trail. */
    clientAddress?: string;
  }
}
