// CloudFormation custom resource: answers every request by PUTting a response to the pre-signed
// ResponseURL, as cfn-response does. Deleting a resource that was never created is reported as
// FAILED so the scenario shows both outcomes.
export const handler = async (event) => {
  const physicalId = event.PhysicalResourceId ?? `bucket-policy-${event.RequestId.slice(0, 8)}`;
  const failed = event.RequestType === 'Delete' && event.ResourceProperties?.Protected === 'true';
  const body = JSON.stringify({
    Status: failed ? 'FAILED' : 'SUCCESS',
    Reason: failed ? 'resource is protected' : 'see the function logs',
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: { Arn: `arn:aws:s3:::${physicalId}` },
  });
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`ResponseURL answered ${response.status}`);
  return { status: failed ? 'FAILED' : 'SUCCESS' };
};
