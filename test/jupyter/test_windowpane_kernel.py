"""jupyter_kernel_test conformance suite for the windowpane kernel.

Run by test/jupyter/kernel-conformance.test.ts, which installs the kernelspec into a temporary
prefix and points JUPYTER_PATH at it. Every sample is filled in; only the pager is left out (the
kernel has no pager payloads).
"""
import os
import time
import unittest

import jupyter_kernel_test

# Cells reach the notebook host through the library, as the chart code does.
IMPORT = "import { notebookHost } from 'windowpane';\n"
HOST = "notebookHost()!"


class WindowpaneKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("WINDOWPANE_KERNEL_NAME", "windowpane")

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        # The type checker warms up in its own thread (seconds on a busy machine) while cells run
        # and completion answers from the live objects; the suite's samples include a completion
        # only a type checker can give (a name the same cell declares), and its 15 s per-message
        # timeout is for the protocol, not for that one-time cost: wait until the checker answers.
        cls.kc.execute_interactive("interface WarmProbe { readiness: number }", timeout=120)
        probe = "({} as WarmProbe).rea"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            reply = cls.kc.complete(probe, len(probe), reply=True, timeout=120)
            if "readiness" in reply["content"]["matches"]:
                break
            time.sleep(0.1)
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "const greeting = 'hi';\ngreeting.toUpp", "matches": {"toUpperCase"}},
    ]
    complete_code_samples = ["1 + 1", "const a = 1;", "function f(x: number) {\n  return x;\n}"]
    incomplete_code_samples = ["function f(x: number) {", "const list = [1,", "if (true) {"]
    invalid_code_samples = ["const = 1;", ")"]

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "[1, 2, 3].length", "result": "3"},
        {"code": "'a' + 'b'", "mime": "text/plain"},
    ]
    # matches exactly one distinct cell of code_execute_result
    code_history_pattern = "1 + ?"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": IMPORT + HOST + ".display({ 'text/html': '<b>hi</b>', 'text/plain': 'hi' })", "mime": "text/html"},
        {"code": IMPORT + HOST + ".display({ 'image/svg+xml': '<svg xmlns=\"http://www.w3.org/2000/svg\"/>' })", "mime": "image/svg+xml"},
    ]
    code_inspect_sample = "Math.max"
    code_clear_output = IMPORT + "console.log('soon gone');\n" + HOST + ".clearOutput!(false);"
    code_generate_error = 'throw new Error("boom")'


if __name__ == "__main__":
    unittest.main()
