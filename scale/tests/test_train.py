"""`python -m scale.train`: a run continues and is written back whole; bad input is refused with
one line and exit code 2, and nothing is written."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import zipfile

from scale.runfile import read_run
from scale.tests.fixtures import cases

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRATCH = tempfile.TemporaryDirectory(prefix='scale-train-')


def train(*args):
    return subprocess.run([sys.executable, '-m', 'scale.train', *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def case(model: str) -> str:
    return next(path for name, path, _ in cases() if name.startswith(model))


def edited(path: str, name: str, change) -> str:
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    change(files)
    out = os.path.join(SCRATCH.name, name)
    with zipfile.ZipFile(out, 'w') as archive:
        for n, data in files.items():
            archive.writestr(n, data)
    return out


class Train(unittest.TestCase):
    def test_a_run_continues_and_comes_back_whole(self):
        for model in ('cyclegan', 'fastcut'):
            with self.subTest(model=model):
                source = case(model)
                before = read_run(source)
                out = os.path.join(SCRATCH.name, f'{model}-out.zip')
                done = train(source, '--out', out, '--steps', '6', '--batch', '2')
                self.assertEqual(done.returncode, 0, done.stderr)
                after = read_run(out)
                self.assertEqual(after.step, before.step + 6)
                self.assertEqual(after.config['batchSize'], 2)
                history = after.meta['history']
                steps = [p['step'] for p in history['points'] + history['pending']]
                self.assertEqual(steps[-6:], list(range(before.step + 1, before.step + 7)))
                preview = after.meta['previews'][-1]
                self.assertEqual(preview['step'], after.step)
                self.assertEqual(len(preview['aToB']), min(3, len(after.meta['data']['content'])))
                self.assertEqual(len(preview['bToA']) > 0, model == 'cyclegan')
                for pair in preview['aToB']:
                    self.assertEqual(len(after.rgb(pair['output']).reshape(-1)), 3 * after.config['resolution'] ** 2)
                # Weights moved; the optimisers counted the steps.
                moved = any((a - b).abs().max() > 0 for (_, a), (_, b) in zip(after.networks['genAB'], before.networks['genAB']))
                self.assertTrue(moved)
                self.assertEqual(int(after.optimizers['g'][0][1].item()), int(before.optimizers['g'][0][1].item()) + 6)

    def refused(self, path: str, reason: str):
        out = os.path.join(SCRATCH.name, 'refused-out.zip')
        done = train(path, '--out', out, '--steps', '2')
        self.assertEqual(done.returncode, 2, done.stderr)
        lines = done.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, done.stderr)
        self.assertIn(reason, lines[0])
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(out + '.partial'))

    def test_a_newer_version_is_refused(self):
        def newer(files):
            meta = json.loads(files['run.json'])
            meta['version'] = 99
            files['run.json'] = json.dumps(meta).encode()
        self.refused(edited(case('cyclegan'), 'newer.zip', newer), 'newer than this scale package reads')

    def test_a_truncated_run_is_refused(self):
        with open(case('cyclegan'), 'rb') as f:
            data = f.read()
        path = os.path.join(SCRATCH.name, 'truncated.zip')
        with open(path, 'wb') as f:
            f.write(data[: len(data) // 3])
        self.refused(path, 'is not a readable .zip file')

    def test_tensors_that_do_not_fit_the_settings_are_refused(self):
        def wider(files):
            meta = json.loads(files['run.json'])
            meta['config']['genFilters'] *= 2
            files['run.json'] = json.dumps(meta).encode()
        self.refused(edited(case('cyclegan'), 'wider.zip', wider), "the run's tensors do not fit its settings")

    def test_bad_options_are_refused(self):
        out = os.path.join(SCRATCH.name, 'options-out.zip')
        done = train(case('cyclegan'), '--out', out, '--resolution', '30')
        self.assertEqual(done.returncode, 2)
        self.assertIn('--resolution must be a multiple of 4', done.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == '__main__':
    unittest.main()
