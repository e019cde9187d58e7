"""Reading the instruments and cutting them into citable clauses."""
