// EventBridge (scheduled rule) → a report job. Module scope survives between invocations of a
// warm environment, as on Lambda: the count shows how often the environment was reused.
let runs = 0;

export const handler = async (event) => {
  runs += 1;
  if (event['detail-type'] !== 'Scheduled Event') throw new Error(`unexpected event: ${event['detail-type']}`);
  return { rule: event.resources?.[0], runsInThisEnvironment: runs };
};
