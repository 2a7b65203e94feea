"""scale.bench's turns: a warm model timed on the threads each line asks for."""
import contextlib
import io
import sys
import unittest

import torch

from scale import bench
from scale.tests.fixtures import step_cases


class Turns(unittest.TestCase):
    def test_each_line_gets_a_median_on_its_threads(self):
        _, run_path, _, _ = next(step_cases())
        before = torch.get_num_threads()
        out = io.StringIO()
        stdin = sys.stdin
        sys.stdin = io.StringIO('1 0\n2 0\n')
        try:
            with contextlib.redirect_stdout(out):
                bench.main([run_path, '--turns'])
            threads_after = torch.get_num_threads()
        finally:
            sys.stdin = stdin
            torch.set_num_threads(before)
        lines = out.getvalue().split()
        self.assertEqual(lines[0], 'ready')
        self.assertEqual(len(lines), 3)
        self.assertTrue(all(float(ms) > 0 for ms in lines[1:]), lines)
        self.assertEqual(threads_after, 2)


if __name__ == '__main__':
    unittest.main()
