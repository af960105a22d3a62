/**
 * A small SNS endpoint speaking the query protocol @aws-sdk/client-sns uses (form-encoded POST,
 * XML answers), for PublishBatch: it records what arrived — messages and their attributes — and
 * fails entries on request: a message containing "transient" fails once on SNS's side
 * (InternalError, SenderFault false), one containing "invalid" always as the sender's fault.
 * `onPublished` plays the topic's subscriptions: it is called for every message accepted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  topicArn: string;
  message: string;
  subject?: string;
  attributes: Record<string, string>;
}

export interface SnsQueryServer {
  url: string;
  received: ReceivedMessage[];
  /** PublishBatch calls, with their entry counts. */
  calls: number[];
  close(): Promise<void>;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function entriesOf(form: URLSearchParams): Array<{ id: string; entry: ReceivedMessage }> {
  const out: Array<{ id: string; entry: ReceivedMessage }> = [];
  const topicArn = form.get('TopicArn') ?? '';
  for (let n = 1; form.has(`PublishBatchRequestEntries.member.${n}.Id`); n++) {
    const p = `PublishBatchRequestEntries.member.${n}`;
    const attributes: Record<string, string> = {};
    for (let a = 1; form.has(`${p}.MessageAttributes.entry.${a}.Name`); a++) {
      attributes[form.get(`${p}.MessageAttributes.entry.${a}.Name`) ?? ''] =
        form.get(`${p}.MessageAttributes.entry.${a}.Value.StringValue`) ?? '';
    }
    const subject = form.get(`${p}.Subject`);
    out.push({
      id: form.get(`${p}.Id`) ?? '',
      entry: {
        topicArn,
        message: form.get(`${p}.Message`) ?? '',
        attributes,
        ...(subject === null ? {} : { subject }),
      },
    });
  }
  return out;
}

export interface SnsQueryServerOptions {
  /** Called for each message accepted, with its MessageId (a subscription delivering it). */
  onPublished?: (message: ReceivedMessage, messageId: string) => void;
  /** Which messages fail as the sender's fault; default those containing "invalid". */
  invalid?: (message: string) => boolean;
}

export async function startSnsQueryServer(options: SnsQueryServerOptions = {}): Promise<SnsQueryServer> {
  const received: ReceivedMessage[] = [];
  const calls: number[] = [];
  const seen = new Set<string>();
  let nextId = 1;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('Action') !== 'PublishBatch') {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>only PublishBatch</Message></Error></ErrorResponse>',
        );
        return;
      }
      const entries = entriesOf(form);
      calls.push(entries.length);
      let ok = '';
      let failed = '';
      for (const { id, entry } of entries) {
        const transient = entry.message.includes('transient') && !seen.has(entry.message);
        seen.add(entry.message);
        if ((options.invalid ?? ((m: string) => m.includes('invalid')))(entry.message)) {
          failed += `<member><Id>${xmlEscape(id)}</Id><Code>InvalidParameter</Code><Message>bad message</Message><SenderFault>true</SenderFault></member>`;
        } else if (transient) {
          failed += `<member><Id>${xmlEscape(id)}</Id><Code>InternalError</Code><Message>try again</Message><SenderFault>false</SenderFault></member>`;
        } else {
          received.push(entry);
          const messageId = `msg-${nextId++}`;
          options.onPublished?.(entry, messageId);
          ok += `<member><Id>${xmlEscape(id)}</Id><MessageId>${messageId}</MessageId></member>`;
        }
      }
      const xml = `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful>${ok}</Successful><Failed>${failed}</Failed></PublishBatchResult><ResponseMetadata><RequestId>r-${calls.length}</RequestId></ResponseMetadata></PublishBatchResponse>`;
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
