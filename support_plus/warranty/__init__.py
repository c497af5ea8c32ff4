"""Warranty and service contracts on ERPNext's own records: who owns a serial (serials), THE coverage rule
(coverage), Service Contracts (contracts), warranty claims from tickets (claims), the ticket's coverage
fields (tickets) and the daily coverage alerts (alerts)."""
