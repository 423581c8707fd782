"""The DuckDB file: connecting and waiting on a busy file (connect), the schema and its versions (schema),
and writing one load in one transaction (write)."""
