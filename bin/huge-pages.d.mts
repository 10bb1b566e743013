// Types of huge-pages.mjs (plain JavaScript: bin/ runs before anything is compiled).
export declare const HUGE_PAGES_TUNABLE: string;
export declare function readsWholeFolder(args: readonly string[]): boolean;
export declare function hugePageMode(read?: () => string): string | undefined;
export declare function hugePageEnv(
  env: NodeJS.ProcessEnv,
  platform?: NodeJS.Platform,
  mode?: () => string | undefined,
  execArgv?: readonly string[],
): NodeJS.ProcessEnv | undefined;
export declare function runAgainWith(env: NodeJS.ProcessEnv): void;
