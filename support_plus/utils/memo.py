"""A bounded per-process memo, for answers that depend on their key alone."""


def remember(store: dict, key, make, limit: int):
	"""`store[key]`, made by `make()` the first time; a full store is emptied (each cache stays bounded)."""
	if (value := store.get(key)) is None:
		if len(store) >= limit:
			store.clear()
		value = store[key] = make()
	return value
