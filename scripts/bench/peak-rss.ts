import { readFileSync } from 'node:fs';

/**
 * Peak resident set size of this process in MB. Linux's VmHWM belongs to the current address
 * space; `resourceUsage().maxRSS` is not used because it carries over the parent's high-water mark
 * across fork + exec, so a child spawned by a big bench would report the bench's memory.
 */
export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Math.round(Number(match[1]) / 1024);
  } catch {
    // Not Linux: fall back below.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
