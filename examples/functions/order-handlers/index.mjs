// SNS → two subscribers of one "orders" topic. Each subscription has a filter policy in the
// scenario, so billing sees only paid orders and shipping only orders bound for some countries.
export const billing = async (event) => {
  const message = JSON.parse(event.Records[0].Sns.Message);
  return { billed: message.orderId };
};

export const shipping = async (event) => {
  const sns = event.Records[0].Sns;
  return { shipTo: sns.MessageAttributes?.country?.Value };
};
