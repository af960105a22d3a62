// About 20 ms of CPU on one core of the benchmark machine: a fixed count of xorshift steps (the
// same work on every call and every tool, not a wall-clock spin, so a tool that shares or throttles
// the CPU shows it as a lower rate).
const STEPS = 12_500_000;

exports.handler = async () => {
  let x = 2463534242;
  for (let i = 0; i < STEPS; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return { statusCode: 200, body: String(x >>> 0) };
};
