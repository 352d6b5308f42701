// How many nodes the graph holds (the totals `kg build` and `kg push` report).
MATCH (n)
RETURN count(n) AS nodes
