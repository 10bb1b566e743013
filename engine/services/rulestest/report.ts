/** The text report of a rule test run, promtool style: failures with expected vs got. */
import type { Uncovered } from './coverage.ts';
import type { TestResult } from './types.ts';

export function renderTestReport(
  results: TestResult[],
  uncovered: Uncovered[],
  strictCoverage: boolean,
): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const t = r.test;
    lines.push(`${r.passed ? 'PASS' : 'FAIL'}  ${t.name}  (${t.file}:${t.line})`);
    for (const f of r.failures) lines.push(`      ${f}`);
  }
  const failed = results.filter((r) => !r.passed).length;
  lines.push('');
  if (uncovered.length > 0) {
    lines.push(`${strictCoverage ? 'Not covered' : 'Not covered (warning)'}: ${uncovered.length}`);
    for (const u of uncovered)
      lines.push(`  ${u.file}:${u.line} ${u.kind} ${u.name} has no test that reaches it`);
    lines.push('');
  }
  lines.push(`${results.length - failed} passed, ${failed} failed, ${results.length} tests`);
  return lines;
}
