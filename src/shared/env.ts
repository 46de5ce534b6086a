/** The environment as the CLI and the gateway see it: a plain map, so it can be passed and replaced in tests. */
export type Env = Record<string, string | undefined>;
