// The trivial handler every tool runs: answers at once, so what is measured is the tool.
exports.handler = async () => ({ statusCode: 200, body: 'ok' });
