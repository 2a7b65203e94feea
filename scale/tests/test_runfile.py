"""Run files: read, written back unchanged, and bad ones refused with a one-line reason."""
import json
import os
import tempfile
import unittest
import zipfile

import torch

from scale.networks import build_networks, load_weights
from scale.runfile import RunFileError, pack_run, read_run
from scale.tests.fixtures import cases


# Removed with everything in it when the tests end.
SCRATCH = tempfile.TemporaryDirectory(prefix='scale-runfile-')


def scratch_file() -> str:
    handle, path = tempfile.mkstemp(suffix='.zip', dir=SCRATCH.name)
    os.close(handle)
    return path


def first_case() -> str:
    return next(cases())[1]


def rewritten(path: str, change) -> str:
    """A copy of the run file with `change(files)` applied to its {name: bytes}."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    change(files)
    out = scratch_file()
    with zipfile.ZipFile(out, 'w') as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out


def with_json(path: str, edit) -> str:
    def change(files):
        meta = json.loads(files['run.json'])
        edit(meta)
        files['run.json'] = json.dumps(meta).encode()
    return rewritten(path, change)


class RunFiles(unittest.TestCase):
    def refused(self, path: str, reason: str):
        with self.assertRaises(RunFileError) as caught:
            read_run(path)
        message = str(caught.exception)
        self.assertIn(reason, message)
        self.assertNotIn('\n', message)

    def test_a_run_written_back_reads_the_same(self):
        for name, path, _ in cases():
            with self.subTest(case=name):
                run = read_run(path)
                copy = scratch_file()
                with open(copy, 'wb') as f:
                    f.write(pack_run(run))
                again = read_run(copy)
                self.assertEqual(again.meta, run.meta)
                self.assertEqual(again.images, run.images)
                for network, tensors in run.networks.items():
                    self.assertEqual([n for n, _ in again.networks[network]], [n for n, _ in tensors])
                    self.assertTrue(all(torch.equal(a, b) for (_, a), (_, b) in zip(again.networks[network], tensors)))
                self.assertEqual(len(again.optimizers['g']), len(run.optimizers['g']))

    def test_a_newer_version_is_refused(self):
        path = with_json(first_case(), lambda meta: meta.update(version=99))
        self.refused(path, 'format version 99, newer than this scale package reads')

    def test_a_truncated_file_is_refused(self):
        with open(first_case(), 'rb') as f:
            data = f.read()
        path = scratch_file()
        with open(path, 'wb') as f:
            f.write(data[: len(data) // 2])
        self.refused(path, 'is not a readable .zip file')

    def test_a_short_tensor_file_is_refused(self):
        path = rewritten(first_case(), lambda files: files.update({'tensors.bin': files['tensors.bin'][:-8]}))
        self.refused(path, 'tensors.bin is too short')

    def test_something_else_is_refused(self):
        path = rewritten(first_case(), lambda files: files.pop('run.json'))
        self.refused(path, 'run.json is missing')
        other = scratch_file()
        with open(other, 'wb') as f:
            f.write(b'not a zip at all')
        self.refused(other, 'is not a readable .zip file')

    def test_tensors_that_do_not_fit_the_settings_are_refused(self):
        run = read_run(first_case())
        wider = dict(run.config, genFilters=run.config['genFilters'] * 2)
        with self.assertRaises(ValueError) as caught:
            load_weights(build_networks(wider)['genAB'], dict(run.networks['genAB']))
        self.assertRegex(str(caught.exception), r'has shape \[.*\], expected \[.*\] for these settings')
        deeper = dict(run.config, genResBlocks=run.config['genResBlocks'] + 1)
        with self.assertRaises(ValueError) as caught:
            load_weights(build_networks(deeper)['genAB'], dict(run.networks['genAB']))
        self.assertIn('weights missing', str(caught.exception))


if __name__ == '__main__':
    unittest.main()
