/**
 * @fileoverview Peak-RSS fallback for `npm run bench` when `/usr/bin/time` is missing: loaded
 * into a contender with `node --import`, it writes `process.resourceUsage().maxRSS` (KiB, the
 * whole process, worker threads included) to the file named by LMI_BENCH_RSS_FILE at exit.
 */
import * as fs from 'node:fs';

const target = process.env.LMI_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    fs.writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
