"""Parts on a job, vans, loaners and returns to vendors, all on ERPNext's stock ledger."""
