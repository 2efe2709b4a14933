// Measuring helpers shared by the benchmarks.
import fs from 'node:fs';

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** CPU seconds (user + system) used so far by each group of processes, read from /proc. */
export function cpuSeconds(groups: Record<string, number[] | (() => number[])>): Record<string, number> {
  const read = (pid: number) => {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in USER_HZ ticks
    } catch {
      return 0;
    }
  };
  return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, (typeof v === 'function' ? v() : v).reduce((s, pid) => s + read(pid), 0)]));
}

/** Processes whose command line matches. */
export function pidsOf(pattern: RegExp): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return pattern.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      } catch {
        return false;
      }
    });
}

/** Resident memory of a process, in MB (VmRSS from /proc). */
export function rssMegabytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
