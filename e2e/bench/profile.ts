// BENCH_PROFILE=<dir>: V8 CPU profiles of the processes a panel-open run keeps
// busy (the page with the shim and bridge, the panel, the background worker),
// written as .cpuprofile files (open them in DevTools' Performance panel) and
// summed up as the functions with the most self time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from './chromium-pipe';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOP = 12;
/** Microseconds between samples: fine enough for a run of about a second. */
const SAMPLING_US = 100;

/** Starts profiling every target; the returned function stops, writes `<dir>/<prefix>-<name>.cpuprofile` and returns a summary. */
export async function startProfiles(targets: Record<string, Target>, dir: string, prefix: string): Promise<() => Promise<string>> {
  for (const target of Object.values(targets)) {
    await target.send('Profiler.enable');
    await target.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    await target.send('Profiler.start');
  }
  return async () => {
    mkdirSync(dir, { recursive: true });
    const parts: string[] = [];
    for (const [name, target] of Object.entries(targets)) {
      const { profile } = (await target.send('Profiler.stop')) as { profile: Profile };
      await target.send('Profiler.disable');
      const file = join(dir, `${prefix}-${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      parts.push(`${name} (${file}):\n${selfTimes(profile)}`);
    }
    return parts.join('\n');
  };
}

/** The functions with the most self time, in milliseconds. */
function selfTimes(profile: Profile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return;
    const file = frame.url.split('/').pop() || '';
    const key = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
    const us = profile.timeDeltas[i] ?? 0;
    totals.set(key, (totals.get(key) ?? 0) + us);
    all += us;
  });
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([key, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${((us / all) * 100).toFixed(1).padStart(5)} %  ${key}`)
    .join('\n');
}
