// Progress bars for the headless commands (cli-progress on a TTY; one line per few seconds otherwise, so logs of a
// CI job stay readable).
import { SingleBar, Presets } from 'cli-progress';

export interface Bar {
  update(value: number, total: number, detail: string): void;
  stop(): void;
}

export function progressBar(title: string, stream: NodeJS.WriteStream = process.stderr): Bar {
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        format: `${title.padEnd(22)} {bar} {percentage}% | {value}/{total} | {detail}`,
        hideCursor: true,
        clearOnComplete: false,
        stream,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(value, total, detail) {
        if (!started) bar.start(total, value, { detail });
        started = true;
        bar.setTotal(total);
        bar.update(value, { detail });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update(value, total, detail) {
      const now = Date.now();
      if (now - last < 5000 && value < total) return;
      last = now;
      stream.write(`${title}: ${value}/${total} ${detail}\n`);
    },
    stop: () => undefined,
  };
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
