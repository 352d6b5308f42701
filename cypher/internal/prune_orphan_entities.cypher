// Remove entities, authors and repositories nothing links to any more: a name whose key
// changed, or whose last link was pruned or whose paper was merged into another, so a re-run
// on more papers leaves no stale node behind. Runs once after every write.
// An OPTIONAL MATCH, not `NOT (e)--()`: FalkorDB answers it five times faster (0.7 s
// against 3.5 s on 13,575 papers).
MATCH (e)
WHERE e:Entity OR e:Author OR e:Repository
OPTIONAL MATCH (e)--(other)
WITH e, other
WHERE other IS NULL
DELETE e
