/**
 * The Content-Security-Policy nonce of the request being rendered (see app/server/security.ts).
 * The server provides it around <RemixServer>; in the browser there is none, and none is needed:
 * the policy applies to the scripts the server's HTML names.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
