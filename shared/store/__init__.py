"""Records on the single table, and the reads and writes every service shares on them."""
