"""Spare parts on ERPNext's stock ledger: technicians' vans (Warehouses with Item Reorder par levels),
their refills (Material Requests), audits (Stock Reconciliations), and the parts used on a job.

Every quantity here is ERPNext's (Bin, Stock Ledger Entry): support_plus keeps no count of its own."""
