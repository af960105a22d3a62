/**
 * Alexa custom-skill requests (synchronous invoke). @types/aws-lambda has no Alexa types, so the
 * request envelope is typed here from the Alexa Skills Kit request reference: version "1.0",
 * `session`, `context.System`, and `request` with `requestId`, `timestamp` (ISO 8601, no
 * milliseconds) and `locale`; IntentRequest carries `intent` with slots and `dialogState`,
 * SessionEndedRequest a `reason`.
 */
import { isoSeconds } from './common.js';
import { type Build, definePushSource } from './define.js';
import { chars, pick, randomBase64, uuid } from './random.js';

export interface AlexaSlot {
  name: string;
  value?: string;
  confirmationStatus: 'NONE' | 'CONFIRMED' | 'DENIED';
  source?: string;
}

export interface AlexaIntent {
  name: string;
  confirmationStatus: 'NONE' | 'CONFIRMED' | 'DENIED';
  slots?: Record<string, AlexaSlot>;
}

interface RequestBase {
  requestId: string;
  timestamp: string;
  locale: string;
}

export type AlexaRequest =
  | (RequestBase & { type: 'LaunchRequest' })
  | (RequestBase & {
      type: 'IntentRequest';
      dialogState: 'STARTED' | 'IN_PROGRESS' | 'COMPLETED';
      intent: AlexaIntent;
    })
  | (RequestBase & {
      type: 'SessionEndedRequest';
      reason: 'USER_INITIATED' | 'ERROR' | 'EXCEEDED_MAX_REPROMPTS';
      error?: { type: string; message: string };
    });

export interface AlexaRequestEnvelope {
  version: '1.0';
  session: {
    new: boolean;
    sessionId: string;
    application: { applicationId: string };
    attributes: Record<string, unknown>;
    user: { userId: string };
  };
  context: {
    System: {
      application: { applicationId: string };
      user: { userId: string };
      device: { deviceId: string; supportedInterfaces: Record<string, unknown> };
      apiEndpoint: string;
      apiAccessToken: string;
    };
  };
  request: AlexaRequest;
}

const OPTIONS = [
  'intent',
  'slots',
  'dialogState',
  'reason',
  'locale',
  'applicationId',
  'userId',
  'deviceId',
  'sessionId',
  'newSession',
  'attributes',
] as const;

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'en-IN'];
const INTENTS = [
  'GetWeatherIntent',
  'PlayMusicIntent',
  'OrderPizzaIntent',
  'AMAZON.HelpIntent',
  'AMAZON.StopIntent',
];
const REASONS = ['USER_INITIATED', 'ERROR', 'EXCEEDED_MAX_REPROMPTS'] as const;
const DIALOG_STATES = ['STARTED', 'IN_PROGRESS', 'COMPLETED'] as const;

function build(b: Build): AlexaRequestEnvelope {
  const { o, r } = b;
  const applicationId = o.string('applicationId') ?? `amzn1.ask.skill.${uuid(r)}`;
  const userId =
    o.string('userId') ?? `amzn1.ask.account.${chars(r, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
  const base: RequestBase = {
    requestId: `amzn1.echo-api.request.${uuid(r)}`,
    timestamp: isoSeconds(b.now),
    locale: o.string('locale') ?? pick(r, LOCALES),
  };
  const attributes = o.json('attributes');
  return {
    version: '1.0',
    session: {
      new: o.bool('newSession') ?? b.type === 'LaunchRequest',
      sessionId: o.string('sessionId') ?? `amzn1.echo-api.session.${uuid(r)}`,
      application: { applicationId },
      attributes:
        typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, unknown>) : {},
      user: { userId },
    },
    context: {
      System: {
        application: { applicationId },
        user: { userId },
        device: {
          deviceId:
            o.string('deviceId') ??
            `amzn1.ask.device.${chars(r, 48, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
          supportedInterfaces: {},
        },
        apiEndpoint: 'https://api.amazonalexa.com',
        apiAccessToken: `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${randomBase64(r, 96).replace(/=+$/, '')}`,
      },
    },
    request: requestOf(b, base),
  };
}

function requestOf(b: Build, base: RequestBase): AlexaRequest {
  const { o, r } = b;
  if (b.type === 'LaunchRequest') return { type: 'LaunchRequest', ...base };
  if (b.type === 'SessionEndedRequest') {
    const reason = (o.string('reason') ?? 'USER_INITIATED').toUpperCase() as (typeof REASONS)[number];
    if (!REASONS.includes(reason)) o.fail('reason', REASONS.join(', '), o.raw('reason'));
    if (reason !== 'ERROR') return { type: 'SessionEndedRequest', ...base, reason };
    const error = { type: 'INVALID_RESPONSE', message: 'The skill response was not valid' };
    return { type: 'SessionEndedRequest', ...base, reason, error };
  }
  const name = o.string('intent') ?? pick(r, INTENTS);
  const slots: Record<string, AlexaSlot> = {};
  for (const [slot, value] of Object.entries(o.stringMap('slots') ?? {})) {
    slots[slot] = { name: slot, value, confirmationStatus: 'NONE', source: 'USER' };
  }
  const dialogState = (
    o.string('dialogState') ?? 'COMPLETED'
  ).toUpperCase() as (typeof DIALOG_STATES)[number];
  if (!DIALOG_STATES.includes(dialogState))
    o.fail('dialogState', DIALOG_STATES.join(', '), o.raw('dialogState'));
  return { type: 'IntentRequest', ...base, dialogState, intent: { name, confirmationStatus: 'NONE', slots } };
}

export const alexaGenerator = definePushSource<AlexaRequestEnvelope>({
  source: 'alexa',
  description: 'Alexa custom-skill requests: launch, intent with slots, session ended',
  types: [
    { name: 'LaunchRequest', description: 'the user opened the skill', aliases: ['launch', 'start-session'] },
    {
      name: 'IntentRequest',
      description: 'the user spoke an intent (--intent, --slot k=v)',
      aliases: ['intent'],
    },
    {
      name: 'SessionEndedRequest',
      description: 'the session ended (--reason)',
      aliases: ['session-ended', 'end-session'],
    },
  ],
  defaultType: 'LaunchRequest',
  options: OPTIONS,
  build,
});
