"""lambench's Python runtime client (standard library only).

Speaks the Lambda Runtime API like the AWS Python runtime: loads `module.function` from
LAMBDA_TASK_ROOT (nested paths `dir/sub/file.fn` become `dir.sub.file`), then loops on
GET /next -> handler(event, context) -> POST /response or /error. Errors use Python's shape:
{"errorMessage", "errorType", "requestId", "stackTrace"}.
"""

import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

RUNTIME_API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
BASE = "/2018-06-01/runtime"


class Client:
    """One keep-alive connection to the Runtime API; /next blocks with no client timeout."""

    def __init__(self):
        host, port = RUNTIME_API.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=None)

    def call(self, method, path, body=None, headers=None):
        hdrs = dict(headers or {})
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        self.conn.request(method, BASE + path, body=body, headers=hdrs)
        res = self.conn.getresponse()
        data = res.read()
        return res, data

    def next(self):
        return self.call("GET", "/invocation/next")

    def response(self, request_id, body):
        self.call("POST", "/invocation/%s/response" % request_id, body)

    def error(self, request_id, body, error_type):
        hdrs = {"Lambda-Runtime-Function-Error-Type": error_type}
        self.call("POST", "/invocation/%s/error" % request_id, body, hdrs)

    def init_error(self, body, error_type):
        self.call("POST", "/init/error", body, {"Lambda-Runtime-Function-Error-Type": error_type})


class Context:
    """The Python context object (LambdaContext)."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0"))
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = _json(headers.get("Lambda-Runtime-Cognito-Identity"))
        self.client_context = _json(headers.get("Lambda-Runtime-Client-Context"))

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def _json(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class RequestIdFilter(logging.Filter):
    request_id = None

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def setup_logging():
    """The logging module in Lambda's format: [LEVEL]\\t<ISO time>\\t<request id>\\t<message>."""
    handler = logging.StreamHandler(sys.stdout)
    fmt = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S")
    fmt.converter = time.gmtime
    handler.setFormatter(fmt)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.INFO)


def error_body(exc, error_type=None, request_id=None, skip=0):
    """skip: frames of this runtime client at the top of the traceback, which Lambda does not show."""
    body = {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": request_id or "",
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)[skip:]),
    }
    return body


def load_handler(handler_string):
    """Returns the handler function or raises (error_type, message)."""
    module_path, _, function_name = handler_string.rpartition(".")
    if not module_path or not function_name:
        raise InitFailure("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack" % handler_string)
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        raise InitFailure("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, exc))
    except ImportError as exc:
        raise InitFailure("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, exc))
    fn = getattr(module, function_name, None)
    if not callable(fn):
        raise InitFailure("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return fn


class InitFailure(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def main():
    setup_logging()
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    sys.path.insert(0, task_root)
    client = Client()
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as exc:
        error_type = exc.error_type if isinstance(exc, InitFailure) else type(exc).__name__
        body = error_body(exc, error_type)
        sys.stdout.write("[ERROR] %s: %s\n" % (error_type, body["errorMessage"]))
        client.init_error(json.dumps(body), error_type)
        sys.exit(1)
    while True:
        res, data = client.next()
        headers = {k: v for k, v in res.getheaders()}
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        trace = headers.get("Lambda-Runtime-Trace-Id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        RequestIdFilter.request_id = request_id
        try:
            event = json.loads(data) if data else {}
            result = handler(event, Context(headers))
            body = json.dumps(result)
        except Exception as exc:
            err = error_body(exc, request_id=request_id, skip=1)
            sys.stdout.write("[ERROR] %s: %s\n" % (err["errorType"], err["errorMessage"]))
            client.error(request_id, json.dumps(err), err["errorType"])
            continue
        client.response(request_id, body)


if __name__ == "__main__":
    main()
