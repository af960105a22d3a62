"""A Python hello function: greets whoever the event names."""


def handler(event, context):
    name = (event or {}).get("name", "world")
    return {"message": "Hello, %s!" % name, "requestId": context.aws_request_id}
