// The smallest useful function: greets whoever the event names.
export const handler = async (event, context) => ({
  message: `Hello, ${event?.name ?? 'world'}!`,
  requestId: context.awsRequestId,
});
