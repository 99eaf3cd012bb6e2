"""The public jupyter_kernel_test suite, filled in for gonn.

Every attribute the suite knows is set: nothing it can test is skipped.
"""
import unittest

import jupyter_kernel_test


class GonnKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gonn"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'fmt.Println("hello, world")'
    code_stderr = 'fmt.Fprintln(os.Stderr, "oops")'

    completion_samples = [
        {"text": "fmt.Pri", "matches": {"Print", "Printf", "Println"}},
        {"text": "strings.TrimS", "matches": {"TrimSpace", "TrimSuffix"}},
    ]

    complete_code_samples = ["x := 1", 'fmt.Println("hi")', "func f() int { return 1 }", "%time x := 1", "!ls"]
    incomplete_code_samples = ["for i := 0; i < 3; i++ {", "fmt.Println(", "func f() {\n\tif true {", "s := `raw"]
    invalid_code_samples = ["x := )", "}}", "if x { ) }"]

    code_page_something = "?fmt.Println"

    code_generate_error = 'panic("an error")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"go" + "nn"', "result": '"gonn"'},
        {"code": "math.Sqrt(16)", "result": "4"},
    ]

    code_display_data = [
        {"code": 'display.HTML("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.Markdown("*em*")', "mime": "text/markdown"},
    ]

    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "fmt.Println"

    code_clear_output = "display.ClearOutput(false)"


if __name__ == "__main__":
    unittest.main()
