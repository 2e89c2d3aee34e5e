"""Concurrent bursts for the SDK scripts, so that no thread can end without a word.

`run(n, call, refusal)` starts `call(i)` for i in 0..n, each in its own thread, and waits for them.
Every thread reports exactly one outcome (in a `finally`). The burst fails the script (exit 1, with
the reason on stderr) when
- a thread did not report (it hung past the timeout, or died before reporting);
- a call got a 5xx (`ServerResponseException`, or any exception whose `status_code` is >= 500):
  the status, error code and message are named;
- a call raised anything other than a 4xx refusal of the `refusal` class (the SDK's
  `ClientRequestException`): its traceback is printed.
Otherwise it returns the outcomes in the order of i: `Outcome(index, value, None)` for a call that
returned `value`, `Outcome(index, None, (status, error_code))` for a 4xx refusal. The caller then
asserts exactly what it expects of them.

Standard library only; it does not import the SDK, so it can check itself without one:
`python3 burst.py --self-check` runs fake bursts (a success, a 4xx, a 5xx, a timeout, a plain
exception, a hung thread) and exits 0 only if each failure is caught.
"""
import collections
import sys
import threading
import time
import traceback

if not __debug__:
    # The scripts check with `assert`, which -O (or PYTHONOPTIMIZE) would silently remove.
    sys.exit("the SDK scripts check with assert: run them without -O / PYTHONOPTIMIZE")

Outcome = collections.namedtuple("Outcome", "index value refusal")


class BurstFailed(SystemExit):
    """Raised in the main thread when a burst went wrong; exits with status 1."""

    def __init__(self, message):
        super().__init__(1)
        self.message = message


def _status(e):
    try:
        return int(getattr(e, "status_code"))
    except (AttributeError, TypeError, ValueError):
        return None


def run(n, call, refusal, timeout=300.0):
    """Runs `call(i)` for every i in range(n) concurrently; see the module's doc."""
    reports = []  # (index, kind, payload), exactly one per thread
    lock = threading.Lock()

    def one(i):
        report = (i, "error", "the thread ended without recording an outcome")
        try:
            report = (i, "ok", call(i))
        except BaseException as e:  # noqa: B036 - every exception must be reported, not lost
            status = _status(e)
            described = (status, getattr(e, "error_code", None), getattr(e, "error_msg", None))
            if type(e).__name__ == "ServerResponseException" or (status is not None and status >= 500):
                report = (i, "server", described)
            elif isinstance(e, refusal) and status is not None and 400 <= status < 500:
                report = (i, "refused", (status, e.error_code))
            else:
                report = (i, "error", traceback.format_exc())
        finally:
            with lock:
                reports.append(report)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))

    with lock:
        reports = sorted(reports, key=lambda r: r[0])
    problems = []
    missing = sorted(set(range(n)) - {r[0] for r in reports})
    if len(reports) != n or missing:
        problems.append(
            f"{len(reports)} outcomes for {n} threads started; no outcome from thread(s) {missing}"
            f" (hung past {timeout:g}s or died)"
        )
    for i, kind, payload in reports:
        if kind == "server":
            status, code, msg = payload
            problems.append(f"thread {i}: server error {status} {code}: {msg}")
        elif kind == "error":
            problems.append(f"thread {i}: unexpected exception:\n{payload}")
    if problems:
        message = f"burst of {n} failed:\n" + "\n".join(problems)
        print(message, file=sys.stderr, flush=True)
        raise BurstFailed(message)
    return [
        Outcome(i, payload, None) if kind == "ok" else Outcome(i, None, payload) for i, kind, payload in reports
    ]


def _self_check():
    """Fake bursts, no server: each broken burst must fail, the clean one must pass."""

    class SdkError:  # the SDK's SdkError: what the exceptions are built from
        def __init__(self, code, msg):
            self.request_id, self.error_code, self.error_msg = "req", code, msg

    class ServiceResponseException(Exception):
        def __init__(self, status_code, sdk_error):
            super().__init__(status_code)
            self.status_code = status_code
            self.error_code, self.error_msg = sdk_error.error_code, sdk_error.error_msg

    class ClientRequestException(ServiceResponseException):
        pass

    class ServerResponseException(ServiceResponseException):
        pass

    class RequestTimeoutException(Exception):
        pass

    def clean(i):
        if i % 2:
            raise ClientRequestException(409, SdkError("CBC.0154", "insufficient"))
        return i

    got = run(4, clean, ClientRequestException)
    assert got == [
        Outcome(0, 0, None),
        Outcome(1, None, (409, "CBC.0154")),
        Outcome(2, 2, None),
        Outcome(3, None, (409, "CBC.0154")),
    ], got

    def raising(exc):
        def call(i):
            if i == 2:
                raise exc
            return i

        return call

    broken = {
        "503 ServerResponseException": raising(ServerResponseException(503, SdkError("CBC.99007461", "busy"))),
        "500 with a 4xx class": raising(ClientRequestException(500, SdkError("CBC.0999", "internal"))),
        "request timeout": raising(RequestTimeoutException("read timed out")),
        "plain exception": raising(ZeroDivisionError("oops")),
        "4xx of another class": raising(ServiceResponseException(409, SdkError("CBC.0154", "x"))),
        "hung thread": lambda i: time.sleep(5 if i == 2 else 0),
    }
    for name, call in broken.items():
        try:
            run(4, call, ClientRequestException, timeout=1.0)
        except BurstFailed as e:
            assert e.code == 1, (name, e.code)
            print(f"self-check: {name}: caught", file=sys.stderr)
            continue
        raise AssertionError(f"self-check: {name} was not caught")
    print("burst self-check ok")


if __name__ == "__main__" and sys.argv[1:] == ["--self-check"]:
    _self_check()
