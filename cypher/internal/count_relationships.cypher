// How many relationships the graph holds (the totals `kg build` and `kg push` report).
MATCH ()-[r]->()
RETURN count(r) AS relationships
