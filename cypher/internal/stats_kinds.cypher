// Entities by kind: named (proper names) and concept (generic phrases), for `kg stats` (#17).
// A graph stored before kinds has none: its entities count as named.
MATCH (e:Entity)
RETURN coalesce(e.kind, 'named') AS kind, count(e) AS entities
ORDER BY kind
