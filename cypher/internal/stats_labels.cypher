// Nodes per label, for `kg stats` (an entity counts under Entity and under its type).
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS nodes
ORDER BY label
