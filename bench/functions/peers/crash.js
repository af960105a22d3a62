// Kills its runtime in the middle of an invoke, as a native crash or process.exit in a library would.
exports.handler = async () => {
  process.exit(1);
};
