/**
 * STS GetCallerIdentity on the emulator's endpoint, so `lambench run --target aws --endpoint URL`
 * can name the account it is about to use, as it does on AWS. STS speaks the query protocol:
 * a form-encoded POST to `/` with `Action=GetCallerIdentity`, answered in XML.
 */
import type { ServerResponse } from 'node:http';
import { invalidParameter } from './http-errors.js';

/** True when a request to `/` is an STS query-protocol call (the Lambda API has no route there). */
export function isStsRequest(method: string, pathname: string): boolean {
  return method === 'POST' && pathname === '/';
}

/** Answers GetCallerIdentity for `accountId`; any other STS action is refused. */
export function serveSts(body: Buffer, res: ServerResponse, accountId: string, requestId: string): void {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action');
  if (action !== 'GetCallerIdentity') {
    throw invalidParameter(
      `lambench's emulator answers only the STS action GetCallerIdentity; got '${action}'.`,
    );
  }
  const xml =
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
    '<GetCallerIdentityResult>' +
    `<Arn>arn:aws:iam::${accountId}:user/lambench-local</Arn>` +
    '<UserId>AIDALAMBENCHLOCAL</UserId>' +
    `<Account>${accountId}</Account>` +
    '</GetCallerIdentityResult>' +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    '</GetCallerIdentityResponse>';
  res.writeHead(200, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}
