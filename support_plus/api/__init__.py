"""The public scripting API of support_plus: `support_plus.api.<function>`, from Python or over REST as
`/api/method/support_plus.api.<function>`. Each function checks the caller's permissions itself."""

from support_plus.api.analytics import support_kpis
from support_plus.api.appointments import free_slots
from support_plus.api.billing import contract_quota, make_service_invoice
from support_plus.api.dispatch import (
	assign_technician,
	auto_assign,
	respond_to_assignment,
	suggest_technicians,
	technician_workload,
)

# Parts on a job, loaners, returns to vendors (support_plus.parts).
from support_plus.api.parts import (
	create_rma,
	credit_rma,
	receive_rma_replacement,
	reject_rma,
	return_loaner,
	ship_rma,
	ticket_parts,
	use_part,
)
from support_plus.api.sla import escalate, sla_sweep
from support_plus.api.tickets import (
	add_follow_up,
	auto_close,
	bulk_update,
	create_phone_ticket,
	create_ticket_from_project,
	find_callers,
	reopen,
	reply_to_customer,
)
from support_plus.api.vans import create_van, record_van_count, start_van_audit, submit_van_audit, van_stock
from support_plus.api.warranty import create_warranty_claim, service_history, warranty_status
