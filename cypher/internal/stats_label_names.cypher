// The node labels in use, for `kg stats` (each then counted alone: a label scan is fast).
CALL db.labels() YIELD label
RETURN label
ORDER BY label
