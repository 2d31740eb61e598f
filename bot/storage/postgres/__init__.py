"""The PostgreSQL backend (asyncpg): several workers on one database, exactly once across them."""
