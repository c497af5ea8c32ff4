"""Field technicians and dispatch: profiles, load counters, the routing engine and assignment (issue 11)."""
