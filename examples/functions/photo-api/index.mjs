// API Gateway → photo API (REST or HTTP API proxy integration). A slow database call keeps each
// environment busy long enough that a spike runs into the function's reserved concurrency.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = async (event) => {
  const method = event.httpMethod ?? event.requestContext?.http?.method ?? 'GET';
  const path = event.path ?? event.rawPath ?? '/';
  await sleep(40);
  if (method !== 'GET') {
    return { statusCode: 405, headers: { allow: 'GET' }, body: JSON.stringify({ message: 'method not allowed' }) };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path, photos: [] }),
  };
};
