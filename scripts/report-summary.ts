// Sums the JSON reports of vitest and Playwright into one count. A missing or unreadable report
// counts as a failure: a tier that did not report did not pass.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export interface TierCount {
  tier: string;
  passed: number;
  failed: number;
  skipped: number;
  problem?: string;
}

const vitestReport = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number().default(0),
  // Suites that failed to load (a syntax error, a failing beforeAll) count no test but are failures.
  numFailedTestSuites: z.number().default(0),
  testResults: z.array(z.object({ assertionResults: z.array(z.unknown()), status: z.string() })).default([]),
});

const playwrightReport = z.object({
  stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }),
  errors: z.array(z.unknown()).default([]),
});

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function countVitest(path: string): TierCount {
  if (!existsSync(path)) return { tier: 'vitest', passed: 0, failed: 1, skipped: 0, problem: `no report at ${path}` };
  const parsed = vitestReport.safeParse(readJson(path));
  if (!parsed.success) return { tier: 'vitest', passed: 0, failed: 1, skipped: 0, problem: 'unreadable report' };
  const r = parsed.data;
  const emptyFailedSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  return {
    tier: 'vitest',
    passed: r.numPassedTests,
    failed: r.numFailedTests + emptyFailedSuites,
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

export function countPlaywright(path: string): TierCount {
  if (!existsSync(path)) return { tier: 'playwright', passed: 0, failed: 1, skipped: 0, problem: `no report at ${path}` };
  const parsed = playwrightReport.safeParse(readJson(path));
  if (!parsed.success) return { tier: 'playwright', passed: 0, failed: 1, skipped: 0, problem: 'unreadable report' };
  const { stats, errors } = parsed.data;
  return {
    tier: 'playwright',
    passed: stats.expected + stats.flaky,
    failed: stats.unexpected + errors.length,
    skipped: stats.skipped,
  };
}

export function total(counts: TierCount[]): { passed: number; failed: number; skipped: number } {
  return counts.reduce(
    (sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}

export const summaryLine = (t: { passed: number; failed: number; skipped: number }): string =>
  `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;

// CLI, the closing line of .ci/run:
//   report-summary.ts --extra-failures N --tests-exit CODE
// N counts steps that failed before the tests (typecheck, lint); a non-zero CODE from `npm test`
// whose reports show no failure still counts as one, so the line never says 0 failed on a red run.
if (import.meta.main) {
  const flag = (name: string): number => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1] ?? 0) || 0 : 0;
  };
  const counts = [countVitest('reports/vitest.json'), countPlaywright('reports/playwright.json')];
  for (const c of counts) if (c.problem) console.log(`${c.tier}: ${c.problem}`);
  const t = total(counts);
  let failed = t.failed + flag('--extra-failures');
  if (flag('--tests-exit') !== 0 && failed === 0) {
    console.log('npm test failed without a failing test in its reports');
    failed = 1;
  }
  console.log(summaryLine({ ...t, failed }));
  process.exit(failed > 0 ? 1 : 0);
}
