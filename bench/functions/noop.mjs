// The benchmark's function: does nothing, so every microsecond measured is the harness's.
export const handler = async () => null;
