// Runs past its 1 s timeout: waits 5 s (asynchronously, so an in-process tool can still answer).
exports.handler = async () => {
  await new Promise((resolve) => setTimeout(resolve, 5000));
  return { statusCode: 200, body: 'finished after 5 s' };
};
