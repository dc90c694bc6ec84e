/**
 * Writing the command line's output so that a pipe gets all of it (`| jq`, `| head`, a slow
 * reader). A pipe takes 64 KiB at a time; the rest waits in the process until the reader has
 * taken it. So a command waits for 'drain' after a large write, and the process ends by itself
 * (process.exitCode) once everything is written, never with process.exit(), which drops it.
 */
import type { Writable } from "node:stream";

/** Writes `text` and resolves when the stream has taken it (or is gone: a closed pipe). */
export async function writeOut(text: string, stream: Writable = process.stdout): Promise<void> {
  if (stream.destroyed || stream.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      stream.off("error", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}

/**
 * A reader that stops early (`| head`) closes the pipe: further writes fail with EPIPE. That is
 * the reader's choice, not an error of the command: stop writing quietly, exit as usual.
 */
export function ignoreClosedPipe(stream: Writable = process.stdout): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") {
      stream.destroy();
      return;
    }
    throw error;
  });
}
