"""hooks.py is a table of dicts: a key written twice silently drops the first hook (Python keeps the last),
which is how a merge lost the ticket-deletion hook once. No dict in it may repeat a key."""

import ast
import inspect
import unittest

from support_plus import hooks


class TestHooksFile(unittest.TestCase):
	def test_no_dict_repeats_a_key(self):
		tree = ast.parse(inspect.getsource(hooks))
		repeated = []
		for node in ast.walk(tree):
			if isinstance(node, ast.Dict):
				keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
				repeated += [f"{key!r} (line {node.lineno})" for key in set(keys) if keys.count(key) > 1]
		self.assertEqual(repeated, [])
