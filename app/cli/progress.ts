/**
 * A progress bar on stderr for long work. On a terminal it redraws one line; elsewhere (CI,
 * pipes) it prints a line at each tenth so logs stay short.
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastTenth = -1;
  const started = Date.now();
  return {
    update(done: number, total: number) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(fraction * width);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${seconds}s`);
        if (done >= total) stream.write("\n");
      } else {
        const tenth = Math.floor(fraction * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          stream.write(`${label}: ${done}/${total} (${Math.round(fraction * 100)} %)\n`);
        }
      }
    },
  };
}
