"""Runs the scale package's tests and ends with one line: `N passed, N failed`."""
import sys
import unittest


class Counting(unittest.TextTestResult):
    """Counts each subtest as a test of its own, as the summary line reports them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0
        self.failed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.failed += 1

    def addError(self, test, err):
        super().addError(test, err)
        self.failed += 1

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is None:
            self.passed += 1
        else:
            self.failed += 1


def main() -> int:
    suite = unittest.defaultTestLoader.discover('scale/tests', top_level_dir='.')
    result = unittest.TextTestRunner(resultclass=Counting, verbosity=2).run(suite)
    print(f'{result.passed} passed, {result.failed} failed')
    return 0 if result.failed == 0 and result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
