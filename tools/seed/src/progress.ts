import type { SeedProgress } from './seed';

/**
 * Renders seed progress: a counter line redrawn in place on a terminal, plain lines
 * otherwise (CI logs, pipes).
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stdout): {
  update: (progress: SeedProgress) => void;
  done: () => void;
} {
  const tty = stream.isTTY === true;
  let open = false;
  return {
    update(progress) {
      if (progress.phase === 'reading') {
        if (open) stream.write('\n');
        open = false;
        stream.write(`reading ${progress.products} products from the table\n`);
        return;
      }
      const percent = Math.floor((progress.written / progress.total) * 100);
      const line = `writing items ${progress.written}/${progress.total} (${percent}%)`;
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        open = true;
      } else {
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
