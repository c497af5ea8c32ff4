"""Generated requests against every API v1 endpoint on the running test server (schemathesis reads the
served OpenAPI document and hypothesis draws the requests): no answer may be a server error, and every
answer must match the document (status code, content type, body schema). As a Support Manager, who may
call every endpoint, so the requests reach the code behind the permission checks."""

import hypothesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
	content_type_conformance,
	not_a_server_error,
	response_schema_conformance,
	status_code_conformance,
)

from support_plus.tests.api_v1_fixtures import ApiTestCase
from support_plus.tests.utils import MANAGER

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_ENDPOINT = 30


class TestGeneratedRequests(ApiTestCase):
	def test_no_server_error_and_no_answer_outside_the_document(self):
		operations = [result.ok() for result in self.schema.get_all_operations()]
		self.assertEqual(len(operations), len(self.document["paths"]))
		headers = self.headers[MANAGER]
		for operation in operations:
			with self.subTest(operation.label):

				@given(case=operation.as_strategy())
				@settings(
					max_examples=EXAMPLES_PER_ENDPOINT,
					deadline=None,
					database=None,
					derandomize=True,
					suppress_health_check=list(HealthCheck),
					phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
				)
				def check(case):
					response = case.call(base_url=self.server.url, headers=headers, timeout=60)
					case.validate_response(response, checks=CHECKS)

				check()
