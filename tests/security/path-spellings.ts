/**
 * The path-spelling corpus: every way of writing a request for a path that a server might see as
 * another path than its router does. A guard (rate limit, body limit, CSRF, role check, …) must
 * refuse the request whatever the spelling: path-spellings.test.ts sends each guarded request
 * through spellingsOf() and expects the guard's own refusal for spellings the router reads as
 * the same path, and 400 (or 308 for GET and HEAD) from the canonical-path gate for the others.
 * A new guard gets a case there, with this corpus.
 *
 * The spellings are sent raw (sendRaw), as `curl --path-as-is` does: fetch() and browsers would
 * resolve the dot segments before sending.
 */
import net from "node:net";

export interface Spelling {
  label: string;
  /** The request target as sent (path and query), or an absolute URL (absolute-form). */
  target: string;
  /** A Host header other than the server's own. */
  host?: string;
  /**
   * Whether the server takes this spelling as the path itself (the guard must answer), or must
   * refuse it before any guard as not canonical (400; 308 to the canonical path for GET/HEAD).
   */
  canonical: boolean;
}

function encodeFirstLetter(segment: string): string {
  const i = segment.search(/[a-z]/i);
  if (i === -1) return segment;
  return `${segment.slice(0, i)}%${segment.charCodeAt(i).toString(16).toUpperCase()}${segment.slice(i + 1)}`;
}

/**
 * Spellings of `path` (lower case, starting with "/", at least one segment) with `query`
 * ("" or "?…") appended. `dataRoute` adds Remix data-request spellings (`?_data=<route id>`).
 */
export function spellingsOf(path: string, { query = "", dataRoute, serverHost }: { query?: string; dataRoute?: string; serverHost: string }): Spelling[] {
  const segments = path.slice(1).split("/");
  const last = segments[segments.length - 1];
  const head = segments.slice(0, -1).map((s) => `/${s}`).join("");
  const q = query;
  const amp = q ? `${q}&` : "?";
  const list: Spelling[] = [
    { label: "as is", target: `${path}${q}`, canonical: true },
    { label: "upper case", target: `${path.toUpperCase()}${q}`, canonical: true },
    { label: "mixed case", target: `${head}/${last[0].toUpperCase()}${last.slice(1)}${q}`, canonical: true },
    { label: "trailing slash", target: `${path}/${q}`, canonical: true },
    { label: "a percent-encoded letter", target: `${head}/${encodeFirstLetter(last)}${q}`, canonical: true },
    { label: "?index", target: `${path}${amp}index`, canonical: true },
    { label: "an unknown query parameter", target: `${path}${amp}x=..%2F..`, canonical: true },
    { label: "/./ before", target: `/.${path}${q}`, canonical: false },
    { label: "/./ inside", target: `${head}/./${last}${q}`, canonical: false },
    { label: "/. after", target: `${path}/.${q}`, canonical: false },
    { label: "/x/../ before", target: `/x/..${path}${q}`, canonical: false },
    { label: "/api/../ before", target: `/api/..${path}${q}`, canonical: false },
    { label: "/personal/../ before", target: `/personal/..${path}${q}`, canonical: false },
    { label: "/%2e/ before", target: `/%2e${path}${q}`, canonical: false },
    { label: "/%2E%2E/ before", target: `/%2E%2E${path}${q}`, canonical: false },
    { label: "/x/.%2e/ before", target: `/x/.%2e${path}${q}`, canonical: false },
    { label: "/api/%2e%2e/ before", target: `/api/%2e%2e${path}${q}`, canonical: false },
    { label: "/x/../ inside", target: `${head}/x/../${last}${q}`, canonical: false },
    { label: "backslash dot dot", target: `/api\\..${path}${q}`, canonical: false },
    { label: "backslash for a slash", target: `${head}\\${last}${q}`.replace(/^\\/, "/\\"), canonical: false },
    { label: "double slash before", target: `/${path}${q}`, canonical: false },
    { label: "double slash after", target: `${path}//${q}`, canonical: false },
    { label: "encoded slash", target: `/api%2F..%2F${path.slice(1)}${q}`, canonical: false },
    { label: "encoded backslash", target: `/api%5C..%5C${path.slice(1)}${q}`, canonical: false },
    { label: "absolute-form target", target: `http://${serverHost}${path}${q}`, canonical: false },
    { label: "path in the Host header", target: `/api/x${q}`, host: `${serverHost.split(":")[0]}${path}?`, canonical: false },
    { label: "path in the Host header with a fragment", target: `/api/x${q}`, host: `${serverHost.split(":")[0]}${path}#`, canonical: false },
  ];
  if (segments.length > 1) list.push({ label: "double slash inside", target: `${head}//${last}${q}`, canonical: false });
  if (dataRoute) {
    list.push({ label: "?_data=", target: `${path}${amp}_data=${encodeURIComponent(dataRoute)}`, canonical: true });
    list.push({ label: "?_data= upper case", target: `${path.toUpperCase()}${amp}_data=${encodeURIComponent(dataRoute)}`, canonical: true });
    list.push({ label: "?_data= after /./", target: `/.${path}${amp}_data=${encodeURIComponent(dataRoute)}`, canonical: false });
  }
  return list;
}

export interface RawAnswer {
  status: number;
  /** Header names in lower case; Set-Cookie as a list. */
  headers: Record<string, string> & { "set-cookie"?: string[] };
  body: string;
}

/** Whether `raw` holds a whole answer (by Content-Length, or the last chunk). */
function isComplete(raw: Buffer, head: boolean): boolean {
  const end = raw.indexOf("\r\n\r\n");
  if (end === -1) return false;
  if (head) return true;
  const headText = raw.subarray(0, end).toString("latin1");
  const status = Number(headText.split(" ")[1]);
  if (status === 204 || status === 304) return true;
  const length = /\r\ncontent-length: *(\d+)/i.exec(headText);
  if (length) return raw.length - end - 4 >= Number(length[1]);
  if (/\r\ntransfer-encoding: *chunked/i.test(headText)) return raw.subarray(end).includes("\r\n0\r\n\r\n");
  return false;
}

function parseAnswer(raw: Buffer): RawAnswer {
  const end = raw.indexOf("\r\n\r\n");
  if (end === -1) throw new Error(`No complete answer: ${raw.subarray(0, 200).toString()}`);
  const [statusLine, ...lines] = raw.subarray(0, end).toString("latin1").split("\r\n");
  const headers: RawAnswer["headers"] = {};
  const cookies: string[] = [];
  for (const line of lines) {
    const i = line.indexOf(":");
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (name === "set-cookie") cookies.push(value);
    else headers[name] = value;
  }
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf("\r\n", at);
      if (lineEnd === -1) break;
      const size = parseInt(body.subarray(at, lineEnd).toString(), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: body.toString("utf8") };
}

/**
 * Sends one request over a plain socket with its target exactly as given (no normalisation, no
 * interception), like `curl --path-as-is`, and reads the answer (then closes; no
 * `Connection: close`, which would make the server close on a body it has not drained yet).
 * `chunks` sends the body with Transfer-Encoding: chunked.
 */
export function sendRaw(base: string, options: {
  method?: string;
  target: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  chunks?: Buffer[];
}): Promise<RawAnswer> {
  const url = new URL(base);
  const body = typeof options.body === "string" ? Buffer.from(options.body) : options.body;
  const headers: Record<string, string> = { Host: options.host ?? url.host, ...options.headers };
  if (options.chunks) headers["Transfer-Encoding"] = "chunked";
  else if (body) headers["Content-Length"] = String(body.length);
  const head = `${options.method ?? "GET"} ${options.target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`No answer in 30 s to ${options.method ?? "GET"} ${options.target}`)), 30_000);
    // The server may answer and close before a large body is sent (EPIPE, ECONNRESET while
    // writing): the answer is what counts, so an error only matters when no answer came.
    let failure: Error | undefined;
    socket.on("error", (error) => (failure ??= error));
    socket.on("data", (d: Buffer) => {
      received.push(d);
      if (isComplete(Buffer.concat(received), options.method === "HEAD")) socket.destroy();
    });
    socket.on("close", () => {
      clearTimeout(timer);
      if (received.length === 0) return reject(new Error(`${failure?.message ?? "Connection closed without an answer"} (${options.method ?? "GET"} ${options.target}, Host: ${headers.Host})`));
      try {
        resolve(parseAnswer(Buffer.concat(received)));
      } catch (error) {
        reject(error);
      }
    });
    socket.on("connect", () => {
      socket.write(head);
      if (options.chunks) {
        for (const chunk of options.chunks) socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString("latin1")}\r\n`, "latin1");
        socket.write("0\r\n\r\n");
      } else if (body) {
        socket.write(body);
      }
    });
  });
}
