import type { Declared } from './types.ts';
import type { Loaded } from './docs.ts';
import type { RuleKind } from './kinds.ts';
import { locate } from './yaml-file.ts';

/** Where a compiled object was declared: its file and line. */
export function declaredAt(at: Loaded<RuleKind>, segments: readonly (string | number)[]): Declared {
  const { line, column } = locate(at.rf, segments);
  return { file: at.rf.file, line, column };
}
